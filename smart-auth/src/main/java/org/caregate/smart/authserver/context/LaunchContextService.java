package org.caregate.smart.authserver.context;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * EHR launch contexts (SMART App Launch 2.2, "EHR launch"): the provider portal calls {@link #create} when a user
 * launches an app for a patient, and passes the returned id to the app as its {@code launch} parameter. The
 * authorization server redeems it once, for the same user, within a few minutes ({@link #consume}).
 */
public class LaunchContextService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS =
            "launch_id, patient_id, encounter_id, username, client_id, created_at," + " expires_at, used_at";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration timeToLive;

    public LaunchContextService(JdbcTemplate jdbc, Clock clock, Duration timeToLive) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.timeToLive = timeToLive;
    }

    /**
     * Stores a launch context for {@code username} and patient (and encounter, may be null), for any client.
     *
     * @return the opaque launch id to give the app as {@code launch}
     */
    public String create(String username, String patientId, String encounterId) {
        return create(username, null, patientId, encounterId);
    }

    /** As {@link #create(String, String, String)}, but only {@code clientId} may redeem it (if not null). */
    public String create(String username, String clientId, String patientId, String encounterId) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(patientId, "patientId");
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String launchId = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        jdbc.update(
                "INSERT INTO smart_auth.launch_context (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                launchId,
                patientId,
                encounterId,
                username,
                clientId,
                Timestamp.from(now),
                Timestamp.from(now.plus(timeToLive)));
        jdbc.update(
                "DELETE FROM smart_auth.launch_context WHERE expires_at < ?",
                Timestamp.from(now.minus(Duration.ofDays(1))));
        return launchId;
    }

    /** The launch context if it exists, has not been used and has not expired; it stays usable. */
    public Optional<LaunchContext> findUsable(String launchId, String clientId) {
        Instant now = clock.instant();
        return find(launchId)
                .filter(context -> context.isUsable(now))
                .filter(context ->
                        context.clientId() == null || context.clientId().equals(clientId));
    }

    /**
     * Redeems the launch context: it must exist, be unused and unexpired, belong to {@code username} and (if bound)
     * to {@code clientId}. Marks it used in the same statement, so two concurrent redemptions cannot both succeed.
     */
    public Optional<LaunchContext> consume(String launchId, String username, String clientId) {
        Instant now = clock.instant();
        List<LaunchContext> consumed = jdbc.query(
                """
                UPDATE smart_auth.launch_context SET used_at = ?
                WHERE launch_id = ? AND used_at IS NULL AND expires_at > ? AND username = ?
                  AND (client_id IS NULL OR client_id = ?)
                RETURNING\s""" + COLUMNS,
                LaunchContextService::map,
                Timestamp.from(now),
                launchId,
                Timestamp.from(now),
                username,
                clientId);
        return consumed.stream().findFirst();
    }

    public Optional<LaunchContext> find(String launchId) {
        if (launchId == null || launchId.isBlank()) {
            return Optional.empty();
        }
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM smart_auth.launch_context WHERE launch_id = ?",
                        LaunchContextService::map,
                        launchId)
                .stream()
                .findFirst();
    }

    private static LaunchContext map(ResultSet rs, int row) throws SQLException {
        Timestamp used = rs.getTimestamp("used_at");
        return new LaunchContext(
                rs.getString("launch_id"),
                rs.getString("patient_id"),
                rs.getString("encounter_id"),
                rs.getString("username"),
                rs.getString("client_id"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(),
                used == null ? null : used.toInstant());
    }
}
