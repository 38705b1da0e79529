package org.caregate.server.access;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * CareGate's own index of {@link AccessFact}s (schema {@value #SCHEMA}, see {@code db/caregate-access}): what a
 * request needs to decide access, read with one or two indexed queries instead of HAPI searches, and without any SQL
 * against HAPI's tables.
 *
 * <p>Writes ({@link #replace}) run on the connection of the caller's transaction (HAPI's, for a FHIR write), so the
 * facts of a resource change exactly when the resource does, and roll back with it. Every change also advances the
 * index's {@link #generation()}, which is how decisions cached on any node learn that they may be stale.
 *
 * <p>A rebuild and the writes exclude each other with a PostgreSQL advisory lock (writes share it, a rebuild takes
 * it alone), so a rebuild on one node never misses a write committed on another while it ran.
 */
public class AccessIndex {

    static final String SCHEMA = "caregate_access";
    /** The advisory lock that writes hold shared and a rebuild exclusively ("CGACCESS"). */
    private static final long LOCK_KEY = 0x4347414343455353L;

    private static final String COLUMNS = "source, kind, patient_id, party, context, period_start, period_end, detail";
    private static final String SELECT = "select " + COLUMNS + " from " + SCHEMA + ".access_fact f where ";
    private static final String INSERT =
            "insert into " + SCHEMA + ".access_fact (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final AtomicLong queries = new AtomicLong();

    public AccessIndex(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    // --- reading -------------------------------------------------------------------------------------------------

    /**
     * The facts of a CareGate user: the resources that carry their username ({@link AccessFact.Kind#USER}) and the
     * guardianships of those RelatedPersons and of {@code relatedPersonId} (their fhirUser, which may lack the
     * identifier). One query.
     */
    List<AccessFact> ofUser(String username, String relatedPersonId) {
        String user = "user:" + username;
        return query(SELECT + """
                (f.party = ? and f.kind = 'USER')
                 or (f.kind = 'GUARDIANSHIP' and (f.source = ? or f.source in (
                     select u.source from caregate_access.access_fact u where u.party = ? and u.kind = 'USER')))
                """, (connection, statement) -> {
            statement.setString(1, user);
            statement.setString(2, relatedPersonId == null ? "" : "RelatedPerson/" + relatedPersonId);
            statement.setString(3, user);
        });
    }

    /**
     * The PractitionerRoles of a practitioner or in an organisation ({@code null} for none), and the Patient records
     * of the user {@code username} ({@code null} for none). One query.
     */
    List<AccessFact> rolesAndOwnRecords(String practitionerReference, String organizationReference, String username) {
        return query(SELECT + """
                (f.kind = 'ROLE' and (f.party = ? or f.context = ?))
                 or (f.party = ? and f.kind = 'USER' and f.patient_id is not null)
                """, (connection, statement) -> {
            statement.setString(1, practitionerReference == null ? "" : practitionerReference);
            statement.setString(2, organizationReference == null ? "" : organizationReference);
            statement.setString(3, username == null ? "" : "user:" + username);
        });
    }

    /** The care relationships (general practitioner, care team, referrals, encounters) naming one of these parties. */
    List<AccessFact> careRelationships(Collection<String> parties) {
        if (parties.isEmpty()) {
            return List.of();
        }
        return query(SELECT + """
                f.party = any(?) and f.kind in
                  ('GENERAL_PRACTITIONER', 'CARE_TEAM', 'REFERRAL_SENT', 'REFERRAL_RECEIVED', 'ENCOUNTER')
                """, (connection, statement) -> statement.setArray(1, textArray(connection, parties)));
    }

    /** The patient facts (record, incapacity, consent refusals) of these patients. One query. */
    List<AccessFact> patients(Collection<String> patientIds) {
        if (patientIds.isEmpty()) {
            return List.of();
        }
        return query(
                SELECT + "f.patient_id = any(?) and f.kind in ('PATIENT', 'INCAPACITY', 'CONSENT_REFUSAL')",
                (connection, statement) -> statement.setArray(1, textArray(connection, patientIds)));
    }

    /** Every fact, in a stable order (for comparing a rebuilt index with a maintained one). */
    public List<AccessFact> all() {
        return query(SELECT + "true order by " + COLUMNS, (connection, statement) -> {});
    }

    /** The current generation: it grows with every committed change of the facts. */
    public long generation() {
        queries.incrementAndGet();
        Long generation = jdbc.queryForObject("select generation from " + SCHEMA + ".access_index_state", Long.class);
        return generation == null ? 0 : generation;
    }

    /** How many queries this index has answered since start (for tests and benchmarks). */
    long queryCount() {
        return queries.get();
    }

    // --- writing -------------------------------------------------------------------------------------------------

    /**
     * Replaces the facts of {@code source} ({@code Type/id}) with {@code facts} on the caller's transaction, and
     * advances the generation if anything changed.
     */
    void replace(String source, List<AccessFact> facts) {
        jdbc.queryForList("select pg_advisory_xact_lock_shared(?)", LOCK_KEY);
        int removed = jdbc.update("delete from " + SCHEMA + ".access_fact where source = ?", source);
        insert(facts);
        if (removed > 0 || !facts.isEmpty()) {
            jdbc.update("update " + SCHEMA + ".access_index_state set generation = generation + 1");
        }
    }

    /** What the index was built for ({@code null} if never built). */
    String builtFor() {
        return jdbc.queryForObject("select built_for from " + SCHEMA + ".access_index_state", String.class);
    }

    /** Takes the rebuild lock (on the caller's transaction) and removes every fact. */
    void clearForRebuild() {
        jdbc.queryForList("select pg_advisory_xact_lock(?)", LOCK_KEY);
        jdbc.update("delete from " + SCHEMA + ".access_fact");
    }

    void insert(List<AccessFact> facts) {
        if (facts.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, facts, 500, (statement, fact) -> {
            statement.setString(1, fact.source());
            statement.setString(2, fact.kind().name());
            statement.setString(3, fact.patientId());
            statement.setString(4, fact.party());
            statement.setString(5, fact.context());
            statement.setTimestamp(6, fact.start() == null ? null : Timestamp.from(fact.start()));
            statement.setTimestamp(7, fact.end() == null ? null : Timestamp.from(fact.end()));
            statement.setString(8, fact.detail());
        });
    }

    /** Records a finished rebuild and advances the generation. */
    void markBuilt(String builtFor, Instant at) {
        jdbc.update(
                "update " + SCHEMA + ".access_index_state set generation = generation + 1, built_at = ?, "
                        + "built_for = ?",
                Timestamp.from(at),
                builtFor);
    }

    // --- plumbing ------------------------------------------------------------------------------------------------

    private interface Binder {
        void bind(Connection connection, PreparedStatement statement) throws SQLException;
    }

    private List<AccessFact> query(String sql, Binder binder) {
        queries.incrementAndGet();
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(connection, statement);
            List<AccessFact> facts = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    facts.add(fact(rows));
                }
            }
            return facts;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read CareGate's access index", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private static AccessFact fact(ResultSet row) throws SQLException {
        Timestamp start = row.getTimestamp(6);
        Timestamp end = row.getTimestamp(7);
        return new AccessFact(
                row.getString(1),
                AccessFact.Kind.valueOf(row.getString(2)),
                row.getString(3),
                row.getString(4),
                row.getString(5),
                start == null ? null : start.toInstant(),
                end == null ? null : end.toInstant(),
                row.getString(8));
    }

    private static Array textArray(Connection connection, Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray(String[]::new));
    }
}
