package org.caregate.server.audit;

import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;

/** 503: the request's audit record could not be stored, so the request is not answered (nothing goes unrecorded). */
final class AuditUnavailableException extends UnclassifiedServerFailureException {

    AuditUnavailableException(Throwable cause) {
        super(503, "The audit trail could not record this request, so it is not answered; please try again later.");
        initCause(cause);
    }
}
