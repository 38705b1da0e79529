package org.caregate.smart.authserver.storage;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The authorization server's view of the shared PostgreSQL database: its schema migrated (once the bean exists) and
 * a {@link JdbcTemplate} whose connections qualify SAS's table names ({@link SchemaQualifyingDataSource}).
 */
public final class SmartAuthDatabase {

    private final JdbcTemplate jdbc;

    private SmartAuthDatabase(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Flyway for schema {@value SmartAuthSchema#NAME} only, with its history table there too. */
    public static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(SmartAuthSchema.NAME)
                .defaultSchema(SmartAuthSchema.NAME)
                .createSchemas(true)
                .locations(SmartAuthSchema.MIGRATIONS)
                .table("flyway_schema_history")
                .load();
    }

    /** Applies pending migrations (Flyway locks, so several nodes starting together are safe). */
    public static SmartAuthDatabase migrate(Flyway flyway, DataSource dataSource) {
        flyway.migrate();
        return new SmartAuthDatabase(
                new JdbcTemplate(new SchemaQualifyingDataSource(dataSource, SmartAuthSchema.NAME)));
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }
}
