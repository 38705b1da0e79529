package org.caregate.smart.authserver.client;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Remembers the {@code jti} of every client assertion until it expires, in the database so that all nodes share
 * it. SMART App Launch 2.2, Backend Services: the server "SHALL ... check that the jti value has not been used
 * before by the same client" (RFC 7523, section 3, item 7).
 */
public class ClientAssertionReplayGuard {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ClientAssertionReplayGuard(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** True the first time {@code jti} is seen for this client; false for a replay. */
    public boolean firstUse(String clientId, String jti, Instant expiresAt) {
        Instant now = clock.instant();
        jdbc.update("DELETE FROM smart_auth.client_assertion_jti WHERE expires_at < ?", Timestamp.from(now));
        return jdbc.update("""
                INSERT INTO smart_auth.client_assertion_jti (client_id, jti, expires_at) VALUES (?, ?, ?)
                ON CONFLICT DO NOTHING
                """, clientId, jti, Timestamp.from(expiresAt)) == 1;
    }
}
