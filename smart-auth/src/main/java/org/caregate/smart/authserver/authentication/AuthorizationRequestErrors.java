package org.caregate.smart.authserver.authentication;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.util.StringUtils;

/**
 * Refuses an authorization request with an error that SAS returns to the client's redirect URI (RFC 6749, section
 * 4.1.2.1), with {@code state}. Only used after the redirect URI has been validated, so the redirect is safe.
 */
final class AuthorizationRequestErrors {

    static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2.1";

    private AuthorizationRequestErrors() {}

    static OAuth2AuthorizationCodeRequestAuthenticationException redirectError(
            String errorCode,
            String description,
            OAuth2AuthorizationCodeRequestAuthenticationToken request,
            RegisteredClient client) {
        String redirectUri = StringUtils.hasText(request.getRedirectUri())
                ? request.getRedirectUri()
                : client.getRedirectUris().iterator().next();
        OAuth2AuthorizationCodeRequestAuthenticationToken result =
                new OAuth2AuthorizationCodeRequestAuthenticationToken(
                        request.getAuthorizationUri(),
                        request.getClientId(),
                        (Authentication) request.getPrincipal(),
                        redirectUri,
                        request.getState(),
                        request.getScopes(),
                        request.getAdditionalParameters());
        result.setAuthenticated(true);
        return new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(errorCode, description, ERROR_URI), result);
    }
}
