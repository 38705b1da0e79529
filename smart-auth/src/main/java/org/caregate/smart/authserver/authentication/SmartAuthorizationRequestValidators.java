package org.caregate.smart.authserver.authentication;

import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.caregate.smart.authserver.context.LaunchContextService;
import org.caregate.smart.scope.InvalidScopeException;
import org.caregate.smart.scope.ResourceScope;
import org.caregate.smart.scope.ScopeContext;
import org.caregate.smart.scope.SmartScopeParser;
import org.caregate.smart.scope.SmartScopes;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * The checks of a SMART authorization request, as small validators composed with {@code andThen}
 * ({@link #smartDefaults}). They run on every pass of the authorization endpoint, before and after login; the
 * redirect URI is checked first (SAS's exact-match validator), so every later error can safely be sent back to it.
 */
public final class SmartAuthorizationRequestValidators {

    /** The SMART {@code aud} request parameter. */
    public static final String AUD = "aud";
    /** The SMART {@code launch} request parameter (EHR launch). */
    public static final String LAUNCH = "launch";

    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private SmartAuthorizationRequestValidators() {}

    /** Redirect URI (exact match), then PKCE, then SMART scopes, then {@code aud}, then {@code launch}. */
    public static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> smartDefaults(
            String fhirBaseUrl, LaunchContextService launchContexts) {
        return OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
                .andThen(pkce())
                .andThen(smartScopes())
                .andThen(audience(fhirBaseUrl))
                .andThen(launch(launchContexts));
    }

    /**
     * RFC 7636 section 4.2 with SMART App Launch 2.2's {@code S256}: a {@code code_challenge} is the base64url
     * encoding, without padding, of a SHA-256 digest, so exactly 43 characters of {@code [A-Za-z0-9_-]}, and its
     * method is {@code S256}. A malformed challenge can never be met by any verifier; it is refused here rather than
     * at the token endpoint, after the person has signed in and approved.
     */
    public static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> pkce() {
        return context -> {
            OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
            Object challenge = request.getAdditionalParameters().get(PkceParameterNames.CODE_CHALLENGE);
            Object method = request.getAdditionalParameters().get(PkceParameterNames.CODE_CHALLENGE_METHOD);
            if (challenge == null) {
                if (method != null) {
                    throw AuthorizationRequestErrors.redirectError(
                            OAuth2ErrorCodes.INVALID_REQUEST,
                            "code_challenge_method without code_challenge",
                            request,
                            context.getRegisteredClient());
                }
                return;
            }
            if (!(challenge instanceof String value)
                    || !S256_CHALLENGE.matcher(value).matches()) {
                throw AuthorizationRequestErrors.redirectError(
                        OAuth2ErrorCodes.INVALID_REQUEST,
                        "code_challenge must be the base64url-encoded SHA-256 of the code verifier: 43 characters of"
                                + " A-Z, a-z, 0-9, '-' and '_' (RFC 7636 section 4.2)",
                        request,
                        context.getRegisteredClient());
            }
            if (!"S256".equals(method)) {
                throw AuthorizationRequestErrors.redirectError(
                        OAuth2ErrorCodes.INVALID_REQUEST,
                        "code_challenge_method must be S256 (SMART App Launch)",
                        request,
                        context.getRegisteredClient());
            }
        };
    }

    /**
     * Scopes follow the SMART grammar ({@code invalid_scope} otherwise) and are covered by the client's registered
     * scopes in SMART's sense ({@code patient/*.rs} covers {@code patient/Observation.rs}), not by exact string
     * match. {@code system/} scopes belong to backend services, never to an authorization request.
     */
    public static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> smartScopes() {
        return context -> {
            OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
            RegisteredClient client = context.getRegisteredClient();
            if (request.getScopes().isEmpty()) {
                throw AuthorizationRequestErrors.redirectError(
                        OAuth2ErrorCodes.INVALID_SCOPE,
                        "scope is required (SMART App Launch: the app asks for the scopes it needs)",
                        request,
                        client);
            }
            SmartScopes requested;
            SmartScopes registered;
            try {
                requested = SmartScopeParser.parse(String.join(" ", request.getScopes()));
                registered = SmartScopeParser.parse(String.join(" ", client.getScopes()));
            } catch (InvalidScopeException e) {
                throw AuthorizationRequestErrors.redirectError(
                        OAuth2ErrorCodes.INVALID_SCOPE, e.getMessage(), request, client);
            }
            for (ResourceScope scope : requested.resourceScopes()) {
                if (scope.context() == ScopeContext.SYSTEM) {
                    throw AuthorizationRequestErrors.redirectError(
                            OAuth2ErrorCodes.INVALID_SCOPE,
                            "system/ scopes are for backend services (client_credentials), not for an app a person"
                                    + " authorizes: " + scope.value(),
                            request,
                            client);
                }
            }
            if (!registered.covers(requested)) {
                throw AuthorizationRequestErrors.redirectError(
                        OAuth2ErrorCodes.INVALID_SCOPE,
                        "the client is not registered for some requested scopes",
                        request,
                        client);
            }
        };
    }

    /**
     * SMART App Launch 2.2, "Obtain authorization code": {@code aud} is required and must be the FHIR base URL of the
     * resource server; otherwise the request is refused (never a code), so that a token cannot be phished for
     * another server.
     */
    public static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> audience(String fhirBaseUrl) {
        String expected = stripSlash(fhirBaseUrl);
        return context -> {
            OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
            Object aud = request.getAdditionalParameters().get(AUD);
            if (!(aud instanceof String value) || value.isBlank()) {
                throw AuthorizationRequestErrors.redirectError(
                        OAuth2ErrorCodes.INVALID_REQUEST,
                        "aud is required: the FHIR base URL " + expected,
                        request,
                        context.getRegisteredClient());
            }
            if (!stripSlash(value).equals(expected)) {
                throw AuthorizationRequestErrors.redirectError(
                        OAuth2ErrorCodes.INVALID_REQUEST,
                        "aud must be the FHIR base URL of this server, " + expected,
                        request,
                        context.getRegisteredClient());
            }
        };
    }

    /**
     * EHR launch: a {@code launch} parameter must name a launch context that exists, is unused, has not expired
     * and (if bound) was made for this client; the {@code launch} scope needs one. The context is redeemed, for the
     * logged-in user only, when the approval page is shown.
     */
    public static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> launch(
            LaunchContextService launchContexts) {
        return context -> {
            OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
            Object launch = request.getAdditionalParameters().get(LAUNCH);
            if (launch == null) {
                if (request.getScopes().contains("launch")) {
                    throw AuthorizationRequestErrors.redirectError(
                            OAuth2ErrorCodes.INVALID_REQUEST,
                            "the launch scope needs the launch parameter received from the EHR",
                            request,
                            context.getRegisteredClient());
                }
                return;
            }
            if (!(launch instanceof String launchId)
                    || launchContexts
                            .findUsable(launchId, request.getClientId())
                            .isEmpty()) {
                throw AuthorizationRequestErrors.redirectError(
                        OAuth2ErrorCodes.INVALID_REQUEST,
                        "unknown, used or expired launch; launch the app again from the portal",
                        request,
                        context.getRegisteredClient());
            }
        };
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
