package org.caregate.smart.authserver.registration;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * RFC 7591 initial access tokens (section 1.2, 3): an administrator issues one to a developer, who registers one
 * client with it. Single use, expiring ({@code caregate.smart.initial-access-token-time-to-live}, 7 days); only the
 * SHA-256 is stored ({@code smart_auth.initial_access_token}), so the clear value is shown once, on the page that
 * issued it.
 */
public class InitialAccessTokens {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration timeToLive;

    public InitialAccessTokens(JdbcTemplate jdbc, Clock clock, Duration timeToLive) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.timeToLive = timeToLive;
    }

    /** A token issued now by {@code administrator}. */
    public record Issued(String token, Instant expiresAt) {}

    public Issued issue(String administrator, String note) {
        String token = OpaqueTokens.generate();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(timeToLive);
        jdbc.update("""
                INSERT INTO smart_auth.initial_access_token (token_hash, issued_by, note, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                """, OpaqueTokens.hash(token), administrator, note, Timestamp.from(now), Timestamp.from(expiresAt));
        return new Issued(token, expiresAt);
    }

    /**
     * Uses the token up, atomically (two requests with one token: one wins).
     *
     * @throws RegistrationException {@code invalid_token} if it is unknown, used or expired
     */
    public void redeem(String token) {
        Timestamp now = Timestamp.from(clock.instant());
        int used = jdbc.update("""
                UPDATE smart_auth.initial_access_token SET used_at = ?
                WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
                """, now, OpaqueTokens.hash(token), now);
        if (used != 1) {
            throw new RegistrationException(
                    RegistrationException.INVALID_TOKEN,
                    "the initial access token is unknown, already used or expired: ask a CareGate administrator"
                            + " for a new one");
        }
    }

    /** Records which client a redeemed token registered (for the administrators' review). */
    public void recordClient(String token, String clientId) {
        jdbc.update(
                "UPDATE smart_auth.initial_access_token SET client_id = ? WHERE token_hash = ?",
                clientId,
                OpaqueTokens.hash(token));
    }
}
