package org.caregate.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.dao.SearchBuilderFactory;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryResourceMatcher;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.caregate.server.access.AccessDecisions;
import org.caregate.server.fhir.FhirServerCustomizer;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.token.SmartAccessTokenValidator;
import org.flywaydb.core.Flyway;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Bulk Data Access 2.0 ({@code $export}): the job store (schema {@value ExportJobs#SCHEMA}, its own Flyway
 * history), the kick-off operations on the FHIR server, the runner on every node, and the CapabilityStatement's
 * declaration of the operations.
 */
@Configuration(proxyBeanMethods = false)
public class BulkExportConfig {

    static final String BULK_DATA_CAPABILITY = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";
    private static final String OPERATIONS = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/";

    @Bean
    ExportJobs exportJobs(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(ExportJobs.SCHEMA)
                .defaultSchema(ExportJobs.SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/caregate-bulk")
                .table("flyway_schema_history")
                .load()
                .migrate();
        return new ExportJobs(dataSource);
    }

    @Bean
    OrganizationGroups organizationGroups(DaoRegistry daoRegistry) {
        return new OrganizationGroups(daoRegistry);
    }

    @Bean
    @SuppressWarnings({"unchecked", "rawtypes"})
    Exporter exporter(
            ExportJobs jobs,
            DataSource dataSource,
            SearchBuilderFactory searchBuilders,
            PlatformTransactionManager transactionManager,
            FhirContext fhirContext,
            SearchParamMatcher matcher,
            AccessDecisions decisions,
            BulkExportProperties properties,
            Clock clock) {
        return new Exporter(
                jobs,
                dataSource,
                (SearchBuilderFactory<JpaPid>) searchBuilders,
                transactionManager,
                fhirContext,
                matcher,
                decisions,
                properties,
                clock);
    }

    @Bean
    ExportRunner exportRunner(ExportJobs jobs, Exporter exporter, BulkExportProperties properties, Clock clock) {
        return new ExportRunner(jobs, exporter, properties, clock);
    }

    @Bean
    BulkDataController bulkDataController(
            ExportJobs jobs,
            SmartAccessTokenValidator validator,
            FhirContext fhirContext,
            SmartAuthUrls urls,
            BulkExportProperties properties,
            Clock clock) {
        return new BulkDataController(jobs, validator, fhirContext, urls, properties, clock);
    }

    @Bean
    @Order(20)
    FhirServerCustomizer bulkExportOperations(
            ExportJobs jobs,
            OrganizationGroups organizationGroups,
            DaoRegistry daoRegistry,
            FhirContext fhirContext,
            InMemoryResourceMatcher matcher,
            SmartAuthUrls urls,
            Clock clock) {
        return (server, capabilityStatement) -> {
            Set<String> served =
                    new TreeSet<>(ExportRequestParser.servedExportTypes(daoRegistry.getRegisteredDaoTypes()));
            ExportRequestParser parser = new ExportRequestParser(fhirContext, served, matcher);
            server.registerProvider(
                    new BulkExportProvider(parser, jobs, organizationGroups, daoRegistry, fhirContext, urls, clock));
            capabilityStatement.add(BulkExportConfig::declareOperations);
        };
    }

    /** {@code instantiates} the Bulk Data server capability; the operations by their canonical definitions. */
    static void declareOperations(CapabilityStatement statement) {
        statement.addInstantiates(BULK_DATA_CAPABILITY);
        CapabilityStatementRestComponent rest = statement.getRestFirstRep();
        rest.getOperation().removeIf(operation -> "export".equals(operation.getName()));
        rest.addOperation().setName("export").setDefinition(OPERATIONS + "export");
        for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
            List<CapabilityStatementRestResourceOperationComponent> operations = resource.getOperation();
            operations.removeIf(operation -> "export".equals(operation.getName()));
            if ("Patient".equals(resource.getType())) {
                operations.add(new CapabilityStatementRestResourceOperationComponent()
                        .setName("export")
                        .setDefinition(OPERATIONS + "patient-export"));
            } else if ("Group".equals(resource.getType())) {
                operations.add(new CapabilityStatementRestResourceOperationComponent()
                        .setName("export")
                        .setDefinition(OPERATIONS + "group-export"));
            }
        }
    }
}
