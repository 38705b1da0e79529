package org.caregate.server.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;

/**
 * Tells the audit trail who reads it on a request. The security package provides it from what it decided for the
 * request (the permitted patients, the site administrator's grant); without one, nobody reads anything.
 */
@FunctionalInterface
public interface AuditReaders {

    AuditReader of(RequestDetails request);
}
