package org.caregate.smart.authserver.token;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ids ({@code jti}) of revoked access tokens, for the FHIR server's per-request check {@link #isRevoked}.
 *
 * <p>Cost: {@code isRevoked} is a look-up in an in-memory set; no database call on the request path. The set is
 * reloaded from {@code smart_auth.revoked_access_token} at most every {@code refresh} (default 5 s) by the first
 * request after that interval (the others keep using the current set meanwhile). A revocation on this node is
 * visible at once; one made on another node within {@code refresh}. Entries are dropped once the token has
 * expired, so the set only holds revoked tokens that would otherwise still be valid.
 */
public class RevokedAccessTokens {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration refresh;
    private final ReentrantLock reloading = new ReentrantLock();

    /** jti to expiry; a revocation is never undone, so entries only leave when the token expires. */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private volatile Instant loadedAt = Instant.MIN;

    public RevokedAccessTokens(JdbcTemplate jdbc, Clock clock, Duration refresh) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.refresh = refresh;
    }

    /** Whether the access token with this {@code jti} has been revoked (RFC 7009). Cheap: see the class comment. */
    public boolean isRevoked(String jti) {
        if (jti == null) {
            return false;
        }
        Instant now = clock.instant();
        if (loadedAt.plus(refresh).isBefore(now) && reloading.tryLock()) {
            try {
                reload(now);
            } finally {
                reloading.unlock();
            }
        }
        return revoked.containsKey(jti);
    }

    /** Records a revoked access token; kept until {@code expiresAt}. */
    public void revoke(String jti, String clientId, Instant expiresAt) {
        Instant now = clock.instant();
        jdbc.update("""
                INSERT INTO smart_auth.revoked_access_token (jti, client_id, revoked_at, expires_at)
                VALUES (?, ?, ?, ?) ON CONFLICT (jti) DO NOTHING
                """, jti, clientId, Timestamp.from(now), Timestamp.from(expiresAt));
        revoked.put(jti, expiresAt);
    }

    private void reload(Instant now) {
        jdbc.update("DELETE FROM smart_auth.revoked_access_token WHERE expires_at < ?", Timestamp.from(now));
        jdbc.query("SELECT jti, expires_at FROM smart_auth.revoked_access_token WHERE expires_at >= ?",
                rs -> {
                    revoked.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }, Timestamp.from(now));
        revoked.values().removeIf(expiresAt -> expiresAt.isBefore(now));
        loadedAt = now;
    }
}
