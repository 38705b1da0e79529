package org.caregate.server.fhir;

import ca.uhn.fhir.rest.annotation.Metadata;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IServerConformanceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * Builds the CapabilityStatement once per server base URL and serves copies of it. HAPI's JPA provider
 * rebuilds it on every call (about 14 requests/s on two cores); the statement only changes when the server's
 * configuration does, which needs a restart anyway.
 */
public final class CachingCapabilityStatementProvider implements IServerConformanceProvider<IBaseConformance> {

    private final IServerConformanceProvider<IBaseConformance> delegate;
    private final List<CapabilityStatementCustomizer> customizers;
    private final Map<String, CapabilityStatement> byServerBase = new ConcurrentHashMap<>();

    CachingCapabilityStatementProvider(
            IServerConformanceProvider<IBaseConformance> delegate, List<CapabilityStatementCustomizer> customizers) {
        this.delegate = delegate;
        this.customizers = List.copyOf(customizers);
    }

    @Override
    @Metadata
    public IBaseConformance getServerConformance(HttpServletRequest request, RequestDetails requestDetails) {
        CapabilityStatement cached = byServerBase.computeIfAbsent(requestDetails.getFhirServerBase(), base -> {
            CapabilityStatement built = (CapabilityStatement) delegate.getServerConformance(request, requestDetails);
            customizers.forEach(customizer -> customizer.customize(built));
            return built;
        });
        return cached.copy();
    }

    @Override
    public IBaseResource readOperationDefinition(IIdType id, RequestDetails requestDetails) {
        return delegate.readOperationDefinition(id, requestDetails);
    }

    @Override
    public void setRestfulServer(RestfulServer server) {
        delegate.setRestfulServer(server);
    }
}
