package org.caregate.server.fhir;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;

/**
 * A hook for other parts of CareGate (security, audit) to register interceptors and providers on the FHIR
 * server, and to add to its CapabilityStatement, without the FHIR configuration knowing about them.
 * Beans of this type are applied in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface FhirServerCustomizer {

    void customize(RestfulServer server, List<CapabilityStatementCustomizer> capabilityStatement);
}
