package org.caregate.server.operations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Readiness of the schema: HAPI FHIR's migrations ({@code fly_hfj_migration}) and the authorization server's
 * Flyway migrations ({@code smart_auth.flyway_schema_history}) were applied and none is recorded as failed.
 * Both run before the server accepts requests; a failed one found later (another node's, say) makes this node
 * not ready.
 */
final class SchemaMigrationsHealthIndicator extends AbstractHealthIndicator {

    private final DataSource dataSource;

    SchemaMigrationsHealthIndicator(DataSource dataSource) {
        super("schema migrations check failed");
        this.dataSource = dataSource;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement query = connection.createStatement()) {
            query.setQueryTimeout(5);
            Counts hapi = counts(query, null, "FLY_HFJ_MIGRATION");
            Counts smartAuth = counts(query, "smart_auth", "flyway_schema_history");
            builder.withDetail("hapi-fhir", hapi.applied() + " applied, " + hapi.failed() + " failed")
                    .withDetail("smart-auth", smartAuth.applied() + " applied, " + smartAuth.failed() + " failed");
            if (hapi.applied() == 0 || smartAuth.applied() == 0 || hapi.failed() > 0 || smartAuth.failed() > 0) {
                builder.down();
            } else {
                builder.up();
            }
        }
    }

    private record Counts(long applied, long failed) {}

    /** The table's name as created (HAPI's is upper case, quoted), found case-insensitively; schema null: the current one. */
    private static Counts counts(Statement query, String schema, String table) throws SQLException {
        String name;
        try (ResultSet rows = query.executeQuery("select quote_ident(table_schema) || '.' || quote_ident(table_name)"
                + " from information_schema.tables where lower(table_schema) = "
                + (schema == null ? "current_schema()" : "'" + schema + "'") + " and lower(table_name) = '"
                + table.toLowerCase() + "' limit 1")) {
            if (!rows.next()) {
                return new Counts(0, 0);
            }
            name = rows.getString(1);
        }
        // column names differ in case between HAPI's table and Flyway's: find "success" by its label
        long applied = 0;
        long failed = 0;
        try (ResultSet rows = query.executeQuery("select * from " + name)) {
            int success = 0;
            for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                if (rows.getMetaData().getColumnLabel(column).equalsIgnoreCase("success")) {
                    success = column;
                }
            }
            if (success == 0) {
                throw new SQLException(name + " has no success column");
            }
            while (rows.next()) {
                if (rows.getBoolean(success)) {
                    applied++;
                } else {
                    failed++;
                }
            }
        }
        return new Counts(applied, failed);
    }
}
