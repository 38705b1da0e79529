package org.caregate.smart.authserver.token;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * Completes a revocation (RFC 7009) that SAS has done: SAS marks the token invalid in its authorization (revoking a
 * refresh token revokes the access token too); this records the {@code jti} of the access token concerned in
 * {@link RevokedAccessTokens}, which the FHIR server checks on every request. An access token SAS no longer holds
 * (an earlier one of a refreshed authorization) is still revoked when it is a valid token of ours issued to the
 * client asking. Always answers 200, as RFC 7009 section 2.2 requires, including for unknown tokens.
 */
public final class RevocationResponseHandler implements AuthenticationSuccessHandler {

    private final OAuth2AuthorizationService authorizations;
    private final JwtDecoder accessTokenDecoder;
    private final RevokedAccessTokens revokedAccessTokens;

    public RevocationResponseHandler(
            OAuth2AuthorizationService authorizations,
            JwtDecoder accessTokenDecoder,
            RevokedAccessTokens revokedAccessTokens) {
        this.authorizations = authorizations;
        this.accessTokenDecoder = accessTokenDecoder;
        this.revokedAccessTokens = revokedAccessTokens;
    }

    @Override
    public void onAuthenticationSuccess(
            HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        OAuth2TokenRevocationAuthenticationToken revocation = (OAuth2TokenRevocationAuthenticationToken) authentication;
        String clientId = clientId(revocation);
        OAuth2Authorization authorization = authorizations.findByToken(revocation.getToken(), null);
        if (authorization != null) {
            OAuth2Authorization.Token<OAuth2AccessToken> accessToken = authorization.getAccessToken();
            if (accessToken != null && accessToken.isInvalidated()) {
                record(accessToken.getClaims(), clientId, accessToken.getToken().getExpiresAt());
            }
        } else {
            try {
                Jwt jwt = accessTokenDecoder.decode(revocation.getToken());
                if (clientId != null && clientId.equals(jwt.getClaimAsString(SmartClaimNames.CLIENT_ID))) {
                    record(jwt.getClaims(), clientId, jwt.getExpiresAt());
                }
            } catch (JwtException e) {
                // not one of our access tokens: nothing to revoke
            }
        }
        response.setStatus(HttpStatus.OK.value());
    }

    private void record(Map<String, Object> claims, String clientId, Instant expiresAt) {
        Object jti = claims == null ? null : claims.get("jti");
        if (jti != null && expiresAt != null) {
            revokedAccessTokens.revoke(jti.toString(), clientId == null ? "" : clientId, expiresAt);
        }
    }

    private static String clientId(OAuth2TokenRevocationAuthenticationToken revocation) {
        return revocation.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                        && client.getRegisteredClient() != null
                ? client.getRegisteredClient().getClientId()
                : null;
    }
}
