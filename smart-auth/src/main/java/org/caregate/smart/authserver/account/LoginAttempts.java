package org.caregate.smart.authserver.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Lockout after repeated failed sign-ins, in {@code smart_auth.login_attempt}, keyed by the user name as typed (lower
 * case) whether or not an account has that name, so that a lockout tells nothing about which names exist. After
 * {@code maxFailures} failures in a row the name is locked for {@code lockDuration}; while locked even the right
 * password is refused. A successful sign-in (or a password reset) clears the count. Failures older than
 * {@code lockDuration} do not count any more.
 */
public class LoginAttempts {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final int maxFailures;
    private final Duration lockDuration;

    public LoginAttempts(JdbcTemplate jdbc, Clock clock, int maxFailures, Duration lockDuration) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("caregate.accounts.max-failed-logins must be at least 1");
        }
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.lockDuration = lockDuration;
    }

    /** The instant the lock on {@code username} ends, if it is locked now. */
    public Optional<Instant> lockedUntil(String username) {
        Instant now = clock.instant();
        return jdbc.query(
                        "SELECT locked_until FROM smart_auth.login_attempt WHERE username = ?",
                        rs -> rs.next() && rs.getTimestamp(1) != null
                                ? Optional.of(rs.getTimestamp(1).toInstant())
                                : Optional.<Instant>empty(),
                        key(username))
                .filter(until -> until.isAfter(now));
    }

    /**
     * Counts a failed sign-in.
     *
     * @return whether the name is locked now (this failure may have locked it)
     */
    public boolean recordFailure(String username) {
        Instant now = clock.instant();
        Timestamp stale = Timestamp.from(now.minus(lockDuration));
        Timestamp lockEnd = Timestamp.from(now.plus(lockDuration));
        Integer failures = jdbc.queryForObject(
                """
                INSERT INTO smart_auth.login_attempt AS a (username, failures, last_failure, locked_until)
                VALUES (?, 1, ?, NULL)
                ON CONFLICT (username) DO UPDATE SET
                    failures = CASE WHEN a.last_failure < ? OR (a.locked_until IS NOT NULL AND a.locked_until <= ?)
                                    THEN 1 ELSE a.failures + 1 END,
                    last_failure = excluded.last_failure,
                    locked_until = CASE WHEN a.locked_until > ? THEN a.locked_until ELSE NULL END
                RETURNING failures
                """,
                Integer.class,
                key(username),
                Timestamp.from(now),
                stale,
                Timestamp.from(now),
                Timestamp.from(now));
        if (failures != null && failures >= maxFailures) {
            jdbc.update("""
                    UPDATE smart_auth.login_attempt SET locked_until = ?
                    WHERE username = ? AND (locked_until IS NULL OR locked_until <= ?)
                    """, lockEnd, key(username), Timestamp.from(now));
            return true;
        }
        return lockedUntil(username).isPresent();
    }

    /** A successful sign-in or a new password: the count starts again. */
    public void clear(String username) {
        jdbc.update("DELETE FROM smart_auth.login_attempt WHERE username = ?", key(username));
    }

    public Duration lockDuration() {
        return lockDuration;
    }

    private static String key(String username) {
        String key = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return key.length() > 200 ? key.substring(0, 200) : key;
    }
}
