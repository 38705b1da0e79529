package org.caregate.server.bulk;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The export jobs and their files in PostgreSQL (schema {@value #SCHEMA}), shared by every node. Jobs are claimed
 * with {@code FOR UPDATE SKIP LOCKED}, so two nodes never run one export, and a node that stops reporting loses its
 * claim after {@code caregate.bulk.stale-after}.
 */
public class ExportJobs {

    public static final String SCHEMA = "caregate_bulk";
    private static final String JOB = SCHEMA + ".export_job";
    private static final String PATIENT = SCHEMA + ".export_job_patient";
    private static final String FILE = SCHEMA + ".export_file";
    private static final String PART = SCHEMA + ".export_file_part";
    private static final String COLUMNS = "id, client_id, organization_id, request_url, level, group_id, types, since, "
            + "type_filters, elements, notes, output_format, transaction_time, status, progress, exported, error, created, "
            + "completed, expires, last_polled";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public ExportJobs(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Stores a new export, accepted, with the patients the consent rules permit its client now. */
    public void create(ExportJob job, Collection<String> selected, Collection<String> permitted) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                insertJob(connection, job);
                insertPatients(connection, job.id(), selected, permitted);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not store the export", e);
        }
    }

    private static void insertJob(Connection connection, ExportJob job) throws SQLException {
        ExportRequest request = job.request();
        try (PreparedStatement insert = connection.prepareStatement("insert into " + JOB + " (" + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, job.id());
            insert.setString(2, job.clientId());
            insert.setString(3, job.organizationId());
            insert.setString(4, request.requestUrl());
            insert.setString(5, request.level().code());
            insert.setString(6, request.groupId().orElse(null));
            insert.setArray(7, connection.createArrayOf("text", request.types().toArray()));
            insert.setTimestamp(8, request.since().map(Timestamp::from).orElse(null));
            insert.setArray(
                    9, connection.createArrayOf("text", request.typeFilters().toArray()));
            insert.setArray(
                    10, connection.createArrayOf("text", request.elements().toArray()));
            insert.setArray(11, connection.createArrayOf("text", job.notes().toArray()));
            insert.setString(12, request.outputFormat());
            insert.setTimestamp(13, Timestamp.from(job.transactionTime()));
            insert.setString(14, job.status().code());
            insert.setString(15, job.progress().orElse(null));
            insert.setLong(16, job.exported());
            insert.setString(17, job.error().orElse(null));
            insert.setTimestamp(18, Timestamp.from(job.created()));
            insert.setTimestamp(19, job.completed().map(Timestamp::from).orElse(null));
            insert.setTimestamp(20, job.expires().map(Timestamp::from).orElse(null));
            insert.setTimestamp(21, null);
            insert.executeUpdate();
        }
    }

    private static void insertPatients(
            Connection connection, UUID job, Collection<String> selected, Collection<String> permitted)
            throws SQLException {
        Set<String> chosen = new HashSet<>(selected);
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into " + PATIENT + " (job_id, patient_id, selected) values (?, ?, ?)")) {
            int pending = 0;
            for (String patient : permitted) {
                insert.setObject(1, job);
                insert.setString(2, patient);
                insert.setBoolean(3, chosen.contains(patient));
                insert.addBatch();
                if (++pending == 1000) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            insert.executeBatch();
        }
    }

    public Optional<ExportJob> find(UUID id) {
        return jdbc.query("select " + COLUMNS + " from " + JOB + " where id = ?", JOB_ROW, id).stream()
                .findFirst();
    }

    /**
     * Claims the oldest export waiting to run, or one whose node stopped reporting before {@code staleBefore}
     * (that node's files are removed: the export starts again). Empty if there is none.
     */
    public Optional<ExportJob> claimNext(String node, Instant now, Instant staleBefore) {
        List<ExportJob> claimed = jdbc.query(
                "update " + JOB + " set status = 'running', claimed_by = ?, heartbeat = ?, exported = 0, progress = "
                        + "null where id = (select id from " + JOB + " where status = 'accepted' or (status = "
                        + "'running' and heartbeat < ?) order by created limit 1 for update skip locked) returning "
                        + COLUMNS,
                JOB_ROW,
                node,
                Timestamp.from(now),
                Timestamp.from(staleBefore));
        claimed.forEach(job -> jdbc.update("delete from " + FILE + " where job_id = ?", job.id()));
        return claimed.stream().findFirst();
    }

    /** Reports progress; false if the export was cancelled or taken over by another node meanwhile. */
    public boolean heartbeat(UUID id, String node, Instant now, String progress, long exported) {
        return jdbc.update(
                        "update " + JOB + " set heartbeat = ?, progress = ?, exported = ? where id = ? and "
                                + "claimed_by = ? and status = 'running'",
                        Timestamp.from(now),
                        progress,
                        exported,
                        id,
                        node)
                == 1;
    }

    public boolean complete(UUID id, String node, Instant now, Instant expires, long exported) {
        return jdbc.update(
                        "update " + JOB + " set status = 'completed', completed = ?, expires = ?, exported = ?, "
                                + "progress = null where id = ? and claimed_by = ? and status = 'running'",
                        Timestamp.from(now),
                        Timestamp.from(expires),
                        exported,
                        id,
                        node)
                == 1;
    }

    public void fail(UUID id, String node, Instant now, Instant expires, String error) {
        jdbc.update(
                "update " + JOB + " set status = 'failed', completed = ?, expires = ?, error = ? where id = ? and "
                        + "claimed_by = ? and status = 'running'",
                Timestamp.from(now),
                Timestamp.from(expires),
                error,
                id,
                node);
        jdbc.update("delete from " + FILE + " where job_id = ? and kind = 'output'", id);
    }

    /** Records a status request; returns when the client asked before, if it did. */
    public Optional<Instant> polled(UUID id, Instant now) {
        List<Timestamp> previous = jdbc.query(
                "update " + JOB + " j set last_polled = ? from (select id, last_polled from " + JOB + " where id = ? "
                        + "for update) prev where j.id = prev.id returning prev.last_polled",
                (row, number) -> row.getTimestamp(1),
                Timestamp.from(now),
                id);
        return previous.stream().filter(java.util.Objects::nonNull).findFirst().map(Timestamp::toInstant);
    }

    /** Cancels an export (running or not) and removes its files; false if there was none. */
    public boolean delete(UUID id) {
        return jdbc.update("delete from " + JOB + " where id = ?", id) == 1;
    }

    /** Removes every export that expired before {@code now}, with its files; returns how many. */
    public int deleteExpired(Instant now) {
        return jdbc.update("delete from " + JOB + " where expires < ?", Timestamp.from(now));
    }

    /** The patients the export is about, sorted by id. */
    public List<String> selectedPatients(UUID job) {
        return jdbc.queryForList(
                "select patient_id from " + PATIENT + " where job_id = ? and selected order by patient_id",
                String.class,
                job);
    }

    /** Every patient the consent rules permitted the client at the export's transaction time. */
    public Set<String> permittedPatients(UUID job) {
        return new HashSet<>(
                jdbc.queryForList("select patient_id from " + PATIENT + " where job_id = ?", String.class, job));
    }

    public List<ExportJob.File> files(UUID job) {
        return jdbc.query(
                "select id, kind, resource_type, seq, resources, bytes from " + FILE + " where job_id = ? order by "
                        + "kind desc, resource_type, seq",
                (row, number) -> new ExportJob.File(
                        row.getObject(1, UUID.class),
                        ExportJob.File.Kind.valueOf(row.getString(2).toUpperCase(java.util.Locale.ROOT)),
                        row.getString(3),
                        row.getInt(4),
                        row.getLong(5),
                        row.getLong(6)),
                job);
    }

    public UUID newFile(UUID job, ExportJob.File.Kind kind, String resourceType, int seq) {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "insert into " + FILE + " (id, job_id, kind, resource_type, seq, resources, bytes) values "
                        + "(?, ?, ?, ?, ?, 0, 0)",
                id,
                job,
                kind.name().toLowerCase(java.util.Locale.ROOT),
                resourceType,
                seq);
        return id;
    }

    public void appendPart(UUID file, int part, byte[] data, int length) {
        jdbc.update(
                "insert into " + PART + " (file_id, part, data) values (?, ?, ?)",
                file,
                part,
                length == data.length ? data : Arrays.copyOf(data, length));
    }

    public void updateCounts(UUID file, long resources, long bytes) {
        jdbc.update("update " + FILE + " set resources = ?, bytes = ? where id = ?", resources, bytes, file);
    }

    public void deleteFile(UUID file) {
        jdbc.update("delete from " + FILE + " where id = ?", file);
    }

    /** Writes a file's content to {@code out}, one part at a time. */
    public void copyFile(UUID file, OutputStream out) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement query =
                    connection.prepareStatement("select data from " + PART + " where file_id = ? order by part")) {
                query.setFetchSize(1);
                query.setObject(1, file);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        out.write(rows.getBytes(1));
                    }
                }
            } finally {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read an export file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final RowMapper<ExportJob> JOB_ROW = (row, number) -> {
        ExportRequest request = new ExportRequest(
                ExportLevel.ofCode(row.getString("level")),
                Optional.ofNullable(row.getString("group_id")),
                texts(row.getArray("types")),
                instant(row, "since"),
                texts(row.getArray("type_filters")),
                texts(row.getArray("elements")),
                row.getString("output_format"),
                List.of(),
                row.getString("request_url"));
        return new ExportJob(
                row.getObject("id", UUID.class),
                row.getString("client_id"),
                row.getString("organization_id"),
                request,
                texts(row.getArray("notes")),
                row.getTimestamp("transaction_time").toInstant(),
                ExportJob.Status.ofCode(row.getString("status")),
                Optional.ofNullable(row.getString("progress")),
                row.getLong("exported"),
                Optional.ofNullable(row.getString("error")),
                row.getTimestamp("created").toInstant(),
                instant(row, "completed"),
                instant(row, "expires"),
                instant(row, "last_polled"));
    };

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : new ArrayList<>(Arrays.asList((String[]) array.getArray()));
    }

    private static Optional<Instant> instant(ResultSet row, String column) throws SQLException {
        return Optional.ofNullable(row.getTimestamp(column)).map(Timestamp::toInstant);
    }
}
