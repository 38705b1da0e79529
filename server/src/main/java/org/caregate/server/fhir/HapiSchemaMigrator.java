package org.caregate.server.fhir;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates HAPI FHIR's tables on an empty database and applies HAPI's own migrations on an older one, the way
 * HAPI's {@code migrate-database} command does. HAPI records what it applied in {@code FLY_HFJ_MIGRATION} and
 * takes a lock there, so several nodes starting together do not migrate twice.
 */
public final class HapiSchemaMigrator {

    private static final Logger log = LoggerFactory.getLogger(HapiSchemaMigrator.class);
    static final String MIGRATION_TABLE = "FLY_HFJ_MIGRATION";

    private final DataSource dataSource;

    public HapiSchemaMigrator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void migrate() {
        HapiMigrator migrator = new HapiMigrator(MIGRATION_TABLE, dataSource, DriverTypeEnum.POSTGRES_9_4);
        migrator.addTasks(new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()));
        migrator.createMigrationTableIfRequired();
        MigrationResult result = migrator.migrate();
        log.info("HAPI FHIR schema: {} migration task(s) applied", result.succeededTasks.size());
    }
}
