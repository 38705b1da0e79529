package org.caregate.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative.INarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.ETagSupportEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.ArrayList;
import java.util.List;
import org.caregate.profiles.UsCoreServerCapability;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The FHIR REST API at {@code /fhir}: HAPI's {@link RestfulServer} with the JPA resource providers of the
 * served resource types ({@link ServedResourceTypes}: the configured ones and every US Core 6.1.0 type), the system provider (batch/transaction, history), database-backed paging and a
 * cached CapabilityStatement. GraphQL, terminology upload and other administrative operations are not
 * registered: what is not registered cannot leak.
 */
@Configuration(proxyBeanMethods = false)
public class FhirRestConfig {

    public static final String FHIR_PATH = "/fhir";
    /** Resource types served by providers of CareGate's own, not by HAPI's JPA storage. */
    static final List<String> SERVED_OUTSIDE_JPA = List.of("AuditEvent");

    @Bean
    UsCoreServerCapability usCoreServerCapability(FhirContext fhirContext) {
        return UsCoreServerCapability.load(fhirContext);
    }

    @Bean
    ServedResourceTypes servedResourceTypes(FhirProperties properties, UsCoreServerCapability usCore) {
        return ServedResourceTypes.of(properties, usCore);
    }

    @Bean
    RestfulServer fhirServer(
            FhirContext fhirContext,
            ServedResourceTypes servedTypes,
            DaoRegistry daoRegistry,
            ResourceProviderFactory resourceProviders,
            IJpaSystemProvider systemProvider,
            IFhirSystemDao<?, ?> systemDao,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            SmartAuthUrls urls,
            ObjectProvider<FhirServerCustomizer> customizers) {
        // AuditEvent is stored and served by CareGate's own audit store (org.caregate.server.audit), not by HAPI's JPA
        List<String> jpaTypes = new ArrayList<>(servedTypes.all());
        jpaTypes.removeAll(SERVED_OUTSIDE_JPA);
        daoRegistry.setSupportedResourceTypes(jpaTypes);
        fhirContext.setNarrativeGenerator((INarrativeGenerator) null);

        RestfulServer server = new RestfulServer(fhirContext);
        server.setServerName("CareGate");
        // Every absolute URL HAPI writes (paging links, Location, Bundle fullUrl, export manifests) starts with the
        // configured public address, never with the request's Host or X-Forwarded-* headers.
        server.setServerAddressStrategy(new HardcodedServerAddressStrategy(urls.fhirBaseUrl()));
        server.registerProviders(resourceProviders.createProviders().stream()
                .filter(provider -> !(provider instanceof IResourceProvider typed)
                        || !SERVED_OUTSIDE_JPA.contains(typed.getResourceType().getSimpleName()))
                .toList());
        server.registerProvider(systemProvider);
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setDefaultPrettyPrint(false);
        server.setETagSupport(ETagSupportEnum.ENABLED);
        server.registerInterceptor(new ResourceIdValidationInterceptor());

        JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        capabilities.setImplementationDescription("CareGate FHIR R4 server");
        capabilities.setIncludeResourceCounts(false);
        List<CapabilityStatementCustomizer> capabilityCustomizers = new ArrayList<>();
        customizers.orderedStream().forEach(customizer -> customizer.customize(server, capabilityCustomizers));
        server.setServerConformanceProvider(
                new CachingCapabilityStatementProvider(capabilities, capabilityCustomizers));
        return server;
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer fhirServer) {
        ServletRegistrationBean<RestfulServer> registration =
                new ServletRegistrationBean<>(fhirServer, FHIR_PATH + "/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            FhirProperties properties, FhirContext fhirContext, ObjectProvider<RequestBodyLimit> limits) {
        RequestBodyLimit limit = limits.getIfAvailable(
                () -> request -> properties.maxRequestBodySize().toBytes());
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(limit, fhirContext));
        registration.addUrlPatterns(FHIR_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
