package org.caregate.smart.authserver.token;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Refresh tokens, only when the user granted {@code offline_access} or {@code online_access} (SMART App Launch 2.2,
 * "Scopes for requesting a refresh token"), for public clients too (SAS's own generator never gives public clients
 * one). Opaque, 384 random bits; rotated on every use ({@code reuseRefreshTokens=false}).
 */
public final class SmartRefreshTokenGenerator implements OAuth2TokenGenerator<OAuth2RefreshToken> {

    private final StringKeyGenerator values =
            new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 48);
    private final Clock clock;

    public SmartRefreshTokenGenerator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public OAuth2RefreshToken generate(OAuth2TokenContext context) {
        if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())) {
            return null;
        }
        // On a refresh the client may narrow the scopes of the new access token; what the user granted is what counts.
        Set<String> granted = context.getAuthorization() != null
                        && !context.getAuthorization().getAuthorizedScopes().isEmpty()
                ? context.getAuthorization().getAuthorizedScopes()
                : context.getAuthorizedScopes();
        if (!granted.contains("offline_access") && !granted.contains("online_access")) {
            return null;
        }
        Instant issuedAt = clock.instant();
        Instant expiresAt =
                issuedAt.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive());
        return new OAuth2RefreshToken(values.generateKey(), issuedAt, expiresAt);
    }
}
