package org.caregate.smart.authserver.token;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.caregate.smart.token.SmartAccessToken;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ids ({@code jti}) of revoked access tokens and the clients whose tokens are refused (disabled or deleted
 * clients, and tokens issued before a client was last disabled), for the FHIR server's per-request check
 * {@link #isRevoked(SmartAccessToken)}.
 *
 * <p>Cost: {@code isRevoked} is a look-up in an in-memory set; no database call on the request path. The set is
 * reloaded from {@code smart_auth.revoked_access_token} at most every {@code refresh} (default 5 s) by the first
 * request after that interval (the others keep using the current set meanwhile). A revocation on this node is
 * visible at once; one made on another node within {@code refresh}. Entries are dropped once the token has
 * expired, so the set only holds revoked tokens that would otherwise still be valid.
 */
public class RevokedAccessTokens {

    /** Longer than any access token lives: a cutoff older than this refuses nothing any more. */
    private static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(1);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration refresh;
    private final ReentrantLock reloading = new ReentrantLock();

    /** jti to expiry; a revocation is never undone, so entries only leave when the token expires. */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    /** Clients with refused tokens, from {@code smart_auth.client_registration}; replaced on every reload. */
    private volatile Map<String, ClientCutoff> clientCutoffs = Map.of();

    private volatile Instant loadedAt = Instant.MIN;

    public RevokedAccessTokens(JdbcTemplate jdbc, Clock clock, Duration refresh) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.refresh = refresh;
    }

    /**
     * A client whose tokens are refused: all of them while it is disabled or deleted, and those issued before
     * {@code tokensValidAfter} (its last disabling) once it is approved again. {@code iat} has whole seconds, so a
     * token issued in the very second of the disabling is not caught here: {@code ClientRegistry.disable} revokes
     * the tokens the authorization server holds by their {@code jti} as well.
     */
    private record ClientCutoff(boolean disabled, Instant tokensValidAfter) {

        boolean refuses(Instant issuedAt) {
            return disabled
                    || tokensValidAfter != null
                            && (issuedAt == null
                                    || issuedAt.isBefore(tokensValidAfter.truncatedTo(ChronoUnit.SECONDS)));
        }
    }

    /** Whether the access token with this {@code jti} has been revoked (RFC 7009). Cheap: see the class comment. */
    public boolean isRevoked(String jti) {
        if (jti == null) {
            return false;
        }
        reloadIfDue();
        return revoked.containsKey(jti);
    }

    /**
     * The FHIR server's check ({@code org.caregate.smart.token.RevocationCheck}): the token was revoked, or its
     * client is disabled or deleted, or the token was issued before the client was last disabled. Memory only.
     */
    public boolean isRevoked(SmartAccessToken token) {
        if (isRevoked(token.tokenId())) {
            return true;
        }
        ClientCutoff cutoff = clientCutoffs.get(token.clientId());
        return cutoff != null && cutoff.refuses(token.issuedAt());
    }

    /** Reloads now: after a change of a client's status on this node, so it counts from the next request. */
    public void reloadNow() {
        reloading.lock();
        try {
            reload(clock.instant());
        } finally {
            reloading.unlock();
        }
    }

    private void reloadIfDue() {
        Instant now = clock.instant();
        if (loadedAt.plus(refresh).isBefore(now) && reloading.tryLock()) {
            try {
                reload(now);
            } finally {
                reloading.unlock();
            }
        }
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
        jdbc.query(
                "SELECT jti, expires_at FROM smart_auth.revoked_access_token WHERE expires_at >= ?",
                rs -> {
                    revoked.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                },
                Timestamp.from(now));
        revoked.values().removeIf(expiresAt -> expiresAt.isBefore(now));
        Map<String, ClientCutoff> cutoffs = new HashMap<>();
        jdbc.query(
                """
                SELECT client_id, status IN ('DISABLED', 'DELETED'), tokens_valid_after
                FROM smart_auth.client_registration
                WHERE status IN ('DISABLED', 'DELETED') OR tokens_valid_after > ?
                """,
                rs -> {
                    Timestamp validAfter = rs.getTimestamp(3);
                    cutoffs.put(
                            rs.getString(1),
                            new ClientCutoff(rs.getBoolean(2), validAfter == null ? null : validAfter.toInstant()));
                },
                Timestamp.from(now.minus(MAX_TOKEN_LIFETIME)));
        clientCutoffs = Map.copyOf(cutoffs);
        loadedAt = now;
    }
}
