package org.caregate.server.fhir;

import org.hl7.fhir.r4.model.CapabilityStatement;

/** Adds to the CapabilityStatement once, when it is first built (e.g. the SMART security section). */
@FunctionalInterface
public interface CapabilityStatementCustomizer {

    void customize(CapabilityStatement capabilityStatement);
}
