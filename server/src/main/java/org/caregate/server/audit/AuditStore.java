package org.caregate.server.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * CareGate's append-only audit store: table {@code caregate_audit.audit_record} in the FHIR database (schema
 * migrated with Flyway, like the authorization server's), written with plain JDBC batch inserts and read by the
 * FHIR AuditEvent searches. Nothing here updates or deletes a row.
 *
 * <p>Every batch is one transaction that commits with {@code synchronous_commit = on} whatever the server's default
 * (the embedded PostgreSQL runs with {@code off}): when {@link #insert} returns, the rows survive a crash of this
 * process and of PostgreSQL. Batches take a transaction-level advisory lock before they draw ids, so ids become
 * visible in increasing order, also with several CareGate nodes on one database: a search that remembers the
 * highest id it saw ({@link #lastId()}) can page through exactly the rows it counted, however many arrive meanwhile.
 */
final class AuditStore {

    static final String SCHEMA = "caregate_audit";
    static final String TABLE = SCHEMA + ".audit_record";
    /** The advisory lock that orders the audit store's batches ('CGAU'). */
    private static final long WRITE_LOCK = 0x43474155L;

    private static final String INSERT = "insert into " + TABLE + " (recorded, types, subtypes, action, outcome, "
            + "token_id, organization, agents, patients, entities, query, resource) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    private AuditStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The store on {@code dataSource}, its schema created or migrated first (Flyway locks: nodes may start together). */
    static AuditStore migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/caregate-audit")
                .table("flyway_schema_history")
                .load()
                .migrate();
        return new AuditStore(dataSource);
    }

    /** Stores the rows in one durable transaction (see the class comment). */
    void insert(List<AuditRecord> records) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement settings = connection.createStatement();
                    PreparedStatement insert = connection.prepareStatement(INSERT)) {
                settings.execute("set local synchronous_commit = on; select pg_advisory_xact_lock(" + WRITE_LOCK + ")");
                for (AuditRecord record : records) {
                    insert.setTimestamp(1, Timestamp.from(record.recorded()));
                    insert.setArray(2, connection.createArrayOf("text", record.types()));
                    insert.setArray(3, connection.createArrayOf("text", record.subtypes()));
                    insert.setString(4, record.action());
                    insert.setString(5, record.outcome());
                    insert.setString(6, record.tokenId());
                    insert.setString(7, record.organization());
                    insert.setArray(8, connection.createArrayOf("text", record.agents()));
                    insert.setArray(9, connection.createArrayOf("text", record.patients()));
                    insert.setArray(10, connection.createArrayOf("text", record.entities()));
                    insert.setString(11, record.query());
                    insert.setString(12, record.json());
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** The highest id stored so far (0: none). */
    long lastId() {
        try (Connection connection = dataSource.getConnection();
                Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("select coalesce(max(id), 0) from " + TABLE)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("audit store: " + e.getMessage(), e);
        }
    }

    /** A stored event: its id, when it was recorded, the patients it is about, and its JSON. */
    record StoredEvent(long id, Instant recorded, Set<String> patients, String organization, String json) {}

    Optional<StoredEvent> read(long id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select id, recorded, patients, organization, resource from " + TABLE + " where id = ?")) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(storedEvent(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit store: " + e.getMessage(), e);
        }
    }

    /** Every event recorded for one access token ({@code jti}), whole, oldest first: for operators and tests. */
    List<StoredEvent> byTokenId(String tokenId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("select id, recorded, patients, organization, "
                        + "resource from " + TABLE + " where token_id = ? order by id")) {
            query.setString(1, tokenId);
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(storedEvent(rows));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException("audit store: " + e.getMessage(), e);
        }
    }

    /** How many rows {@code search} matches. */
    long count(AuditSearch search) {
        if (search.matchesNothing()) {
            return 0;
        }
        List<Object> parameters = new ArrayList<>();
        String where = search.where(parameters);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query =
                        connection.prepareStatement("select count(*) from " + TABLE + " where " + where)) {
            bind(connection, query, parameters);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit store: " + e.getMessage(), e);
        }
    }

    /** One page of the rows {@code search} matches, by {@code recorded} (then id) in its order. */
    List<StoredEvent> page(AuditSearch search, int offset, int count) {
        if (search.matchesNothing() || count <= 0) {
            return List.of();
        }
        List<Object> parameters = new ArrayList<>();
        String where = search.where(parameters);
        String direction = search.ascending() ? "asc" : "desc";
        String sql = "select id, recorded, patients, organization, resource from " + TABLE + " where " + where
                + " order by recorded " + direction + ", id " + direction + " limit ? offset ?";
        parameters.add(count);
        parameters.add(offset);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            bind(connection, query, parameters);
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(storedEvent(rows));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException("audit store: " + e.getMessage(), e);
        }
    }

    private static StoredEvent storedEvent(ResultSet rows) throws SQLException {
        Array patients = rows.getArray(3);
        return new StoredEvent(
                rows.getLong(1),
                rows.getTimestamp(2).toInstant(),
                Set.copyOf(java.util.Arrays.asList((String[]) patients.getArray())),
                rows.getString(4),
                rows.getString(5));
    }

    private static void bind(Connection connection, PreparedStatement statement, List<Object> parameters)
            throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value instanceof String[] array) {
                statement.setArray(i + 1, connection.createArrayOf("text", array));
            } else if (value instanceof Instant instant) {
                statement.setTimestamp(i + 1, Timestamp.from(instant));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }
}
