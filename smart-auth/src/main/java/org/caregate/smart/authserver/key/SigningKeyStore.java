package org.caregate.smart.authserver.key;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The token signing keys: RSA 2048, RS256, kept in {@code smart_auth.signing_key} so that every node signs with the
 * same key and publishes the same JWKS.
 *
 * <p>The first node to start generates a key (under a PostgreSQL advisory lock, so two nodes starting together
 * create one). The newest key that is not retired signs; when it is older than the rotation period a new key is
 * made and the old one retired. A retired key is still published (and so still verifies) for
 * {@code retainRetired} (longer than any token it signed lives), then dropped from the JWKS.
 *
 * <p>Reads are served from memory: the key set is reloaded every {@code cacheRefresh}, or at once when a key id is
 * asked for that the cache does not know (another node rotated). The private keys are in the database in clear: the
 * database is the secret store of this server; never export the table.
 */
public class SigningKeyStore implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyStore.class);
    private static final long ADVISORY_LOCK_KEY = 0x5341534b4559L; // "SASKEY"

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration rotation;
    private final Duration retainRetired;
    private final Duration cacheRefresh;

    private volatile Snapshot snapshot;

    public SigningKeyStore(
            JdbcTemplate jdbc, Clock clock, Duration rotation, Duration retainRetired, Duration cacheRefresh) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.rotation = rotation;
        this.retainRetired = retainRetired;
        this.cacheRefresh = cacheRefresh;
    }

    private record Snapshot(JWKSet keys, String activeKeyId, Instant loadedAt) {}

    /** Makes sure a usable signing key exists (creating or rotating one if needed) and loads the cache. */
    public void initialize() {
        ensureActiveKey();
        reload();
    }

    /** The id ({@code kid}) of the key that signs new tokens; put in every JWS header. */
    public String activeKeyId() {
        return current().activeKeyId();
    }

    /** Every published key (the active one and retired ones still within their retention), public parts only. */
    public JWKSet publicKeys() {
        return current().keys().toPublicJWKSet();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        Snapshot current = current();
        List<JWK> selected = selector.select(current.keys());
        String wantedKid = selector.getMatcher().getKeyIDs() == null
                ? null
                : selector.getMatcher().getKeyIDs().stream()
                        .filter(kid -> kid != null)
                        .findFirst()
                        .orElse(null);
        if (selected.isEmpty() && wantedKid != null && current.keys().getKeyByKeyId(wantedKid) == null) {
            selected = selector.select(reload().keys());
        }
        return selected;
    }

    /** Creates a new signing key and retires the current one now (e.g. after a suspected key compromise). */
    public String rotate() {
        String kid = withLock(() -> {
            Instant now = clock.instant();
            jdbc.update(
                    "UPDATE smart_auth.signing_key SET retired_at = ? WHERE retired_at IS NULL", Timestamp.from(now));
            return insertNewKey(now);
        });
        reload();
        return kid;
    }

    private Snapshot current() {
        Snapshot current = snapshot;
        if (current == null || current.loadedAt().plus(cacheRefresh).isBefore(clock.instant())) {
            current = reload();
        }
        return current;
    }

    private synchronized Snapshot reload() {
        Instant now = clock.instant();
        Instant activeCreated = jdbc.query(
                "SELECT max(created_at) FROM smart_auth.signing_key WHERE retired_at IS NULL",
                rs -> rs.next() && rs.getTimestamp(1) != null
                        ? rs.getTimestamp(1).toInstant()
                        : null);
        if (activeCreated == null || activeCreated.plus(rotation).isBefore(now)) {
            ensureActiveKey();
        }
        List<JWK> keys = new ArrayList<>();
        String[] active = new String[1];
        jdbc.query(
                """
                SELECT kid, jwk, retired_at FROM smart_auth.signing_key
                WHERE retired_at IS NULL OR retired_at > ? ORDER BY retired_at IS NULL DESC, created_at DESC
                """,
                rs -> {
                    try {
                        keys.add(JWK.parse(rs.getString("jwk")));
                    } catch (ParseException e) {
                        throw new IllegalStateException("unreadable signing key " + rs.getString("kid"), e);
                    }
                    if (active[0] == null && rs.getTimestamp("retired_at") == null) {
                        active[0] = rs.getString("kid");
                    }
                },
                Timestamp.from(now.minus(retainRetired)));
        if (active[0] == null) {
            throw new IllegalStateException("no active signing key in smart_auth.signing_key");
        }
        Snapshot loaded = new Snapshot(new JWKSet(keys), active[0], now);
        snapshot = loaded;
        return loaded;
    }

    private void ensureActiveKey() {
        withLock(() -> {
            Instant now = clock.instant();
            Instant newest = jdbc.query(
                    "SELECT max(created_at) FROM smart_auth.signing_key WHERE retired_at IS NULL",
                    rs -> rs.next() && rs.getTimestamp(1) != null
                            ? rs.getTimestamp(1).toInstant()
                            : null);
            if (newest != null && !newest.plus(rotation).isBefore(now)) {
                return null;
            }
            if (newest != null) {
                log.info("Rotating the token signing key (older than {})", rotation);
                jdbc.update(
                        "UPDATE smart_auth.signing_key SET retired_at = ? WHERE retired_at IS NULL",
                        Timestamp.from(now));
            }
            return insertNewKey(now);
        });
    }

    private String insertNewKey(Instant now) {
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .issueTime(java.util.Date.from(now))
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA signing key", e);
        }
        jdbc.update(
                "INSERT INTO smart_auth.signing_key (kid, jwk, created_at) VALUES (?, ?, ?)",
                key.getKeyID(),
                key.toJSONString(),
                Timestamp.from(now));
        log.info("Generated token signing key {}", key.getKeyID());
        return key.getKeyID();
    }

    private <T> T withLock(java.util.function.Supplier<T> work) {
        return jdbc.execute((ConnectionCallback<T>) connection -> {
            try (var lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, ADVISORY_LOCK_KEY);
                lock.execute();
            }
            try {
                return work.get();
            } finally {
                try (var unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, ADVISORY_LOCK_KEY);
                    unlock.execute();
                }
            }
        });
    }
}
