package org.caregate.smart.authserver.authentication;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.caregate.smart.authserver.client.ClientRegistration;
import org.caregate.smart.authserver.client.ClientRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Errors of the authorization endpoint, as SAS sends them (RFC 6749 section 4.1.2.1: to the client's validated
 * redirect URI with {@code state}, or a plain 400 when the redirect URI cannot be trusted), with one change: a
 * request of a registered client that is not approved (pending review, disabled) says so, as
 * {@code unauthorized_client}, instead of SAS's "invalid_request: client_id". That answer is never redirected: the
 * redirect URIs of a client nobody approved are not trusted.
 */
public final class AuthorizationErrorResponseHandler implements AuthenticationFailureHandler {

    private final ClientRegistry registry;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();

    public AuthorizationErrorResponseHandler(ClientRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onAuthenticationFailure(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth
                ? oauth.getError()
                : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, exception.getMessage(), null);
        OAuth2AuthorizationCodeRequestAuthenticationToken authorizationRequest =
                exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException codeRequest
                        ? codeRequest.getAuthorizationCodeRequestAuthentication()
                        : null;
        String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
        if (OAuth2ErrorCodes.INVALID_REQUEST.equals(error.getErrorCode())
                && error.getDescription() != null
                && error.getDescription().contains(OAuth2ParameterNames.CLIENT_ID)) {
            ClientRegistration registration = registry.find(clientId).orElse(null);
            if (registration != null && !registration.isApproved()) {
                refuseUnapproved(response, clientId, registration);
                return;
            }
        }
        if (authorizationRequest == null || !StringUtils.hasText(authorizationRequest.getRedirectUri())) {
            response.sendError(HttpStatus.BAD_REQUEST.value(), error.toString());
            return;
        }
        UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(authorizationRequest.getRedirectUri())
                .queryParam(OAuth2ParameterNames.ERROR, error.getErrorCode());
        addEncoded(redirect, OAuth2ParameterNames.ERROR_DESCRIPTION, error.getDescription());
        addEncoded(redirect, OAuth2ParameterNames.ERROR_URI, error.getUri());
        addEncoded(redirect, OAuth2ParameterNames.STATE, authorizationRequest.getState());
        redirects.sendRedirect(request, response, redirect.build(true).toUriString());
    }

    /** A page for the person whose browser the app sent here, with the OAuth error code in it. */
    private static void refuseUnapproved(HttpServletResponse response, String clientId, ClientRegistration registration)
            throws IOException {
        String message = "This app (client " + clientId + ") is "
                + registration.status().name().toLowerCase()
                + ": a CareGate administrator must approve it before it can be used.";
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter()
                .write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                        + "<title>Cannot continue</title></head><body><main><h1>Cannot continue</h1><p role=\"alert\">"
                        + HtmlUtils.htmlEscape(message) + "</p><p>OAuth error: <code>"
                        + OAuth2ErrorCodes.UNAUTHORIZED_CLIENT + "</code></p></main></body></html>");
    }

    private static void addEncoded(UriComponentsBuilder builder, String name, String value) {
        if (StringUtils.hasText(value)) {
            builder.queryParam(name, UriUtils.encode(value, StandardCharsets.UTF_8));
        }
    }
}
