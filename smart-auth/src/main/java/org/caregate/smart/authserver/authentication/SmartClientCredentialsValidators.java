package org.caregate.smart.authserver.authentication;

import java.util.function.Consumer;
import org.caregate.smart.scope.InvalidScopeException;
import org.caregate.smart.scope.ResourceScope;
import org.caregate.smart.scope.ScopeContext;
import org.caregate.smart.scope.SmartScope;
import org.caregate.smart.scope.SmartScopeParser;
import org.caregate.smart.scope.SmartScopes;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;

/**
 * SMART Backend Services token requests ({@code client_credentials}): {@code scope} is required, every scope is a
 * {@code system/} resource scope, and the client is registered for it in SMART's sense (covers, not string match).
 * Anything else is {@code invalid_scope} (RFC 6749, section 5.2).
 */
public final class SmartClientCredentialsValidators {

    private static final String ERROR_URI = "https://hl7.org/fhir/smart-app-launch/backend-services.html";

    private SmartClientCredentialsValidators() {}

    public static Consumer<OAuth2ClientCredentialsAuthenticationContext> systemScopes() {
        return context -> {
            OAuth2ClientCredentialsAuthenticationToken request = context.getAuthentication();
            if (request.getScopes().isEmpty()) {
                throw invalidScope("scope is required, e.g. system/*.rs");
            }
            SmartScopes requested;
            SmartScopes registered;
            try {
                requested = SmartScopeParser.parse(String.join(" ", request.getScopes()));
                registered = SmartScopeParser.parse(
                        String.join(" ", context.getRegisteredClient().getScopes()));
            } catch (InvalidScopeException e) {
                throw invalidScope(e.getMessage());
            }
            for (SmartScope scope : requested) {
                if (!(scope instanceof ResourceScope resource) || resource.context() != ScopeContext.SYSTEM) {
                    throw invalidScope("backend services may only ask for system/ scopes: " + scope.value());
                }
            }
            if (!registered.covers(requested)) {
                throw invalidScope("the client is not registered for some requested scopes");
            }
        };
    }

    private static OAuth2AuthenticationException invalidScope(String description) {
        return new OAuth2AuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, description, ERROR_URI));
    }
}
