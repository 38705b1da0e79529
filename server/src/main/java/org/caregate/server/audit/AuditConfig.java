package org.caregate.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import org.caregate.server.fhir.FhirServerCustomizer;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The audit trail of the FHIR API: every request made with a token is recorded as IHE BALP AuditEvents in the FHIR
 * database by a background writer, and AuditEvents are read-only through the API.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfig {

    @Bean
    AuditEventWriter auditEventWriter(DaoRegistry daoRegistry, PlatformTransactionManager transactionManager,
            FhirContext fhirContext, SmartAuthUrls urls, AuditProperties properties) {
        return new AuditEventWriter(daoRegistry, transactionManager, fhirContext, urls.fhirBaseUrl(), properties);
    }

    @Bean
    AccessAuditInterceptor accessAuditInterceptor(FhirContext fhirContext, Clock clock, SmartAuthUrls urls,
            AuditProperties properties, AuditEventWriter writer) {
        PatientCompartmentOwners owners = new PatientCompartmentOwners(fhirContext);
        BalpAuditEvents events = new BalpAuditEvents(fhirContext, owners, clock, urls.fhirBaseUrl(),
                properties.maxPatientsPerRequest());
        return new AccessAuditInterceptor(events, writer, owners);
    }

    /** After the security chain's customizer (order 0); the hooks' own orders place them within the request. */
    @Bean
    @Order(100)
    FhirServerCustomizer fhirAudit(AccessAuditInterceptor auditInterceptor) {
        return (server, capabilityStatement) -> {
            server.registerInterceptor(auditInterceptor);
            server.registerInterceptor(new ReadOnlyAuditEventInterceptor());
        };
    }
}
