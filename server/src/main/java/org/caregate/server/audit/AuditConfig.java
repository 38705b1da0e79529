package org.caregate.server.audit;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import javax.sql.DataSource;
import org.caregate.server.fhir.FhirProperties;
import org.caregate.server.fhir.FhirServerCustomizer;
import org.caregate.server.security.EffectiveAccess;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.scope.Interaction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The audit trail of the FHIR API: every request made with a token is recorded as IHE BALP AuditEvents in CareGate's
 * own audit store (schema {@value AuditStore#SCHEMA}) before it is answered, and served read-only as FHIR AuditEvent.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfig {

    @Bean
    AuditStore auditStore(DataSource dataSource) {
        return AuditStore.migrate(dataSource);
    }

    @Bean
    AuditEventWriter auditEventWriter(AuditStore store, FhirContext fhirContext, AuditProperties properties) {
        return new AuditEventWriter(store, fhirContext, properties);
    }

    @Bean
    AccessAuditInterceptor accessAuditInterceptor(
            FhirContext fhirContext,
            Clock clock,
            SmartAuthUrls urls,
            AuditProperties properties,
            AuditEventWriter writer) {
        PatientCompartmentOwners owners = new PatientCompartmentOwners(fhirContext);
        BalpAuditEvents events =
                new BalpAuditEvents(fhirContext, owners, clock, urls.fhirBaseUrl(), properties.maxPatientsPerRequest());
        return new AccessAuditInterceptor(events, writer, owners);
    }

    /**
     * Who reads the trail on a request: the patients the token's AuditEvent scopes reach now, and a site
     * administrator's organisation ({@link EffectiveAccess}); without the security chain (switched off) nobody. The
     * audit provider shows each reader only that part.
     */
    @Bean
    AuditEventProvider auditEventProvider(AuditStore store, FhirContext fhirContext, FhirProperties fhirProperties) {
        AuditReaders readers = request -> EffectiveAccess.find(request)
                .map(access -> new AuditReader(
                        access.patientsFor("AuditEvent", Interaction.READ), access.siteAdministratorOrganization()))
                .orElse(AuditReader.NOBODY);
        return new AuditEventProvider(store, readers, fhirContext, fhirProperties);
    }

    /** After the security chain's customizer (order 0); the hooks' own orders place them within the request. */
    @Bean
    @Order(100)
    FhirServerCustomizer fhirAudit(AccessAuditInterceptor auditInterceptor, AuditEventProvider provider) {
        return (server, capabilityStatement) -> {
            server.registerInterceptor(auditInterceptor);
            server.registerInterceptor(new ReadOnlyAuditEventInterceptor());
            server.registerProvider(provider);
        };
    }
}
