package org.caregate.server.operations;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashSet;
import javax.sql.DataSource;
import org.caregate.server.audit.AuditEventWriter;
import org.caregate.server.fhir.FhirRestConfig;
import org.caregate.server.fhir.FhirServerCustomizer;
import org.caregate.server.fhir.ServedResourceTypes;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Health indicators, metrics and the request id. The probes are Spring Boot's: {@code /actuator/health/liveness}
 * (the application runs) and {@code /actuator/health/readiness} (it may take traffic: the database answers, the
 * migrations are applied, the audit writer runs); which indicators each group holds is set in
 * {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
public class OperationsConfig {

    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FhirRequestMetrics fhirRequestMetrics(MeterRegistry registry, ServedResourceTypes servedTypes) {
        HapiRefusalLogFilter.install();
        return new FhirRequestMetrics(registry, new HashSet<>(servedTypes.all()));
    }

    @Bean
    FilterRegistrationBean<?> fhirRequestTimingFilter(FhirRequestMetrics metrics) {
        FilterRegistrationBean<?> registration = new FilterRegistrationBean<>(metrics.timingFilter());
        registration.addUrlPatterns(FhirRestConfig.FHIR_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** First of the customizers, so that refusals by the security interceptors are counted too. */
    @Bean
    @Order(-100)
    FhirServerCustomizer fhirRequestMetricsInterceptor(FhirRequestMetrics metrics) {
        return (server, capabilityStatement) -> server.registerInterceptor(metrics);
    }

    @Bean
    HealthIndicator migrationsHealthIndicator(DataSource dataSource) {
        return new SchemaMigrationsHealthIndicator(dataSource);
    }

    @Bean
    HealthIndicator auditStoreHealthIndicator(AuditEventWriter writer) {
        return new AuditStoreHealthIndicator(writer);
    }

    @Bean
    MeterBinder auditMetrics(AuditEventWriter writer) {
        return registry -> {
            Gauge.builder("caregate.audit.backlog", writer, w -> w.statistics().queueSize())
                    .description("AuditEvents waiting for the background writer")
                    .register(registry);
            FunctionCounter.builder(
                            "caregate.audit.lost", writer, w -> w.statistics().lost())
                    .description("AuditEvents that could not be stored (each also logged)")
                    .register(registry);
            FunctionCounter.builder(
                            "caregate.audit.stored",
                            writer,
                            w -> w.statistics().storedInBackground()
                                    + w.statistics().storedSynchronously())
                    .description("AuditEvents stored")
                    .register(registry);
        };
    }
}
