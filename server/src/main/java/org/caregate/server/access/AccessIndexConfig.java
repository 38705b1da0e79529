package org.caregate.server.access;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.caregate.server.config.CareGateProperties;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The access index: its schema ({@value AccessIndex#SCHEMA}, migrated by its own Flyway history), its maintenance
 * on every FHIR write, and its build on start (before the seed data is loaded, which the maintenance then indexes).
 */
@Configuration(proxyBeanMethods = false)
public class AccessIndexConfig {

    @Bean
    AccessIndex accessIndex(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(AccessIndex.SCHEMA)
                .defaultSchema(AccessIndex.SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/caregate-access")
                .table("flyway_schema_history")
                .load()
                .migrate();
        return new AccessIndex(dataSource);
    }

    @Bean
    AccessFactExtractor accessFactExtractor(CareGateProperties properties) {
        return new AccessFactExtractor(properties.facilityZone());
    }

    @Bean
    AccessIndexMaintainer accessIndexMaintainer(
            AccessIndex index, AccessFactExtractor extractor, IInterceptorService storageInterceptors) {
        AccessIndexMaintainer maintainer = new AccessIndexMaintainer(index, extractor);
        storageInterceptors.registerInterceptor(maintainer);
        return maintainer;
    }

    @Bean
    AccessIndexBuilder accessIndexBuilder(
            AccessIndex index,
            AccessFactExtractor extractor,
            DaoRegistry daoRegistry,
            PlatformTransactionManager transactionManager,
            CareGateProperties properties,
            Clock clock) {
        return new AccessIndexBuilder(
                index, extractor, daoRegistry, transactionManager, properties.facilityZone(), clock);
    }

    /**
     * Builds the index on start if it is absent or stale, or always with {@code caregate.access-index.rebuild=true}
     * (the explicit command after data was changed behind CareGate's back). Before the seed loader (order 100).
     */
    @Bean
    @Order(50)
    ApplicationRunner accessIndexStartup(
            AccessIndexBuilder builder, @Value("${caregate.access-index.rebuild:false}") boolean rebuild) {
        return arguments -> {
            if (rebuild) {
                builder.rebuild();
            } else {
                builder.rebuildIfStale();
            }
        };
    }
}
