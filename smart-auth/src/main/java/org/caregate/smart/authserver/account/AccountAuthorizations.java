package org.caregate.smart.authserver.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.caregate.smart.authserver.token.RevokedAccessTokens;
import org.caregate.smart.authserver.token.SmartClaimNames;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;

/**
 * What a person has allowed apps to do, and taking it back: the authorizations Spring Authorization Server holds for
 * a user (one per approval, with its access and refresh tokens). Revoking removes them (so the refresh tokens end)
 * and records their access tokens' {@code jti} as revoked, so {@code /fhir} refuses them from the next request on
 * this node and within {@code caregate.smart.revocation-cache-refresh} on the others.
 */
public class AccountAuthorizations {

    private final JdbcTemplate jdbc;
    private final OAuth2AuthorizationService authorizations;
    private final RevokedAccessTokens revokedAccessTokens;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public AccountAuthorizations(
            JdbcTemplate jdbc,
            OAuth2AuthorizationService authorizations,
            RevokedAccessTokens revokedAccessTokens,
            Clock clock,
            ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.authorizations = authorizations;
        this.revokedAccessTokens = revokedAccessTokens;
        this.clock = clock;
        this.events = events;
    }

    /**
     * An app the person has allowed, with a token still usable.
     *
     * @param clientId   the app's {@code client_id}
     * @param clientName its registered name
     * @param scopes     what was allowed (the union over its authorizations)
     * @param lastIssued when a token was last issued to it
     */
    public record ConnectedApp(String clientId, String clientName, List<String> scopes, Instant lastIssued) {}

    /** The apps {@code username} has allowed that still hold an unexpired access or refresh token, by name. */
    public List<ConnectedApp> connectedApps(String username) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.query(
                """
                SELECT c.client_id, c.client_name,
                       string_agg(DISTINCT a.authorized_scopes, ',') AS scopes,
                       max(coalesce(a.access_token_issued_at, a.authorization_code_issued_at)) AS last_issued
                FROM smart_auth.oauth2_authorization a
                JOIN smart_auth.oauth2_registered_client c ON c.id = a.registered_client_id
                WHERE a.principal_name = ?
                  AND (a.access_token_expires_at > ? OR a.refresh_token_expires_at > ?)
                GROUP BY c.client_id, c.client_name
                ORDER BY c.client_name, c.client_id
                """,
                (rs, row) -> new ConnectedApp(
                        rs.getString("client_id"),
                        rs.getString("client_name"),
                        scopes(rs.getString("scopes")),
                        rs.getTimestamp("last_issued") == null
                                ? null
                                : rs.getTimestamp("last_issued").toInstant()),
                username,
                now,
                now);
    }

    /** Revokes everything {@code username} allowed {@code clientId}; returns the number of authorizations ended. */
    public int revoke(String username, String clientId) {
        events.publishEvent(AccountEvent.of(AccountEvent.Type.APP_REVOKED, username, null, clientId, clock.instant()));
        return revokeWhere(jdbc.queryForList("""
                SELECT a.id FROM smart_auth.oauth2_authorization a
                JOIN smart_auth.oauth2_registered_client c ON c.id = a.registered_client_id
                WHERE a.principal_name = ? AND c.client_id = ?
                """, String.class, username, clientId));
    }

    /** Revokes every authorization of {@code username}, for every app (an involuntary termination). */
    public int revokeAll(String username) {
        events.publishEvent(
                AccountEvent.of(AccountEvent.Type.APP_REVOKED, username, null, "every app", clock.instant()));
        return revokeWhere(jdbc.queryForList(
                "SELECT id FROM smart_auth.oauth2_authorization WHERE principal_name = ?", String.class, username));
    }

    private int revokeWhere(List<String> ids) {
        int revoked = 0;
        for (String id : ids) {
            OAuth2Authorization authorization = authorizations.findById(id);
            if (authorization == null) {
                continue;
            }
            OAuth2Authorization.Token<OAuth2AccessToken> token = authorization.getAccessToken();
            Map<String, Object> claims = token == null ? null : token.getClaims();
            if (claims != null
                    && claims.get("jti") != null
                    && token.getToken().getExpiresAt() != null
                    && token.getToken().getExpiresAt().isAfter(clock.instant())) {
                Object clientId = claims.get(SmartClaimNames.CLIENT_ID);
                revokedAccessTokens.revoke(
                        claims.get("jti").toString(),
                        clientId == null ? "" : clientId.toString(),
                        token.getToken().getExpiresAt());
            }
            authorizations.remove(authorization);
            revoked++;
        }
        return revoked;
    }

    private static List<String> scopes(String joined) {
        if (joined == null || joined.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(joined.split("[,\\s]+"))
                .filter(s -> !s.isBlank())
                .distinct()
                .sorted()
                .toList();
    }
}
