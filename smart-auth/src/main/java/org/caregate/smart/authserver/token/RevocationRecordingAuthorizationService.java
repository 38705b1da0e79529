package org.caregate.smart.authserver.token;

import java.time.Instant;
import java.util.Map;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Spring Authorization Server's authorization store, telling the FHIR server about every access token SAS
 * invalidates. SAS forgets a token by marking it invalid in its own table, which the FHIR server never reads (it
 * verifies JWTs and checks {@link RevokedAccessTokens}). The case that matters: a replayed authorization code. RFC
 * 6749 section 4.1.2 says the server "SHOULD revoke (when possible) all tokens previously issued based on that
 * authorization code", and SAS does invalidate them on the replay; saving that authorization here also records the
 * access token's {@code jti} as revoked, so the token of the first use gets 401 at {@code /fhir} from then on.
 * Revocation through {@code /auth/revoke} passes here too (recording twice is harmless).
 */
public final class RevocationRecordingAuthorizationService implements OAuth2AuthorizationService {

    private final OAuth2AuthorizationService delegate;
    private final RevokedAccessTokens revokedAccessTokens;

    public RevocationRecordingAuthorizationService(
            OAuth2AuthorizationService delegate, RevokedAccessTokens revokedAccessTokens) {
        this.delegate = delegate;
        this.revokedAccessTokens = revokedAccessTokens;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        delegate.save(authorization);
        OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
        if (accessToken == null || !accessToken.isInvalidated()) {
            return;
        }
        Map<String, Object> claims = accessToken.getClaims();
        Instant expiresAt = accessToken.getToken().getExpiresAt();
        if (claims != null && claims.get("jti") != null && expiresAt != null) {
            Object clientId = claims.get(SmartClaimNames.CLIENT_ID);
            revokedAccessTokens.revoke(
                    claims.get("jti").toString(), clientId == null ? "" : clientId.toString(), expiresAt);
        }
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return delegate.findByToken(token, tokenType);
    }
}
