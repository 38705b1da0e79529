package org.caregate.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import java.util.Optional;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.token.InvalidTokenException;
import org.caregate.smart.token.SmartAccessToken;
import org.caregate.smart.token.SmartAccessTokenValidator;

/**
 * Step 1 of every FHIR request: a valid bearer token (RFC 6750), or 401 with {@code WWW-Authenticate: Bearer}.
 * Only the CapabilityStatement ({@code /metadata}) is public; the SMART configuration is served before HAPI.
 *
 * <p>A person's token is only as good as their account: a suspended or terminated account is refused on its very
 * next request, whatever tokens it still holds (one indexed look-up per request).
 *
 * <p>It also puts the request's {@link EffectiveAccess} on it, which every later step reads.
 */
@Interceptor(order = BearerTokenInterceptor.ORDER)
public final class BearerTokenInterceptor {

    /** Before search narrowing and authorization, which read the context this sets. */
    public static final int ORDER = -1000;

    private final SmartAccessTokenValidator validator;
    private final UserAccountService accounts;
    private final EffectiveAccessResolver effectiveAccess;

    public BearerTokenInterceptor(
            SmartAccessTokenValidator validator, UserAccountService accounts, EffectiveAccessResolver effectiveAccess) {
        this.validator = validator;
        this.accounts = accounts;
        this.effectiveAccess = effectiveAccess;
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = ORDER)
    public boolean authenticate(RequestDetails request) {
        if (request.getRestOperationType() == RestOperationTypeEnum.METADATA) {
            return true;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized(
                    "Bearer realm=\"CareGate\"",
                    "This request needs an access token: send 'Authorization: Bearer <token>' (SMART App Launch).");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized(
                    "Bearer realm=\"CareGate\", error=\"invalid_request\"",
                    "The Authorization header must use the Bearer scheme.");
        }
        SmartAccessToken token;
        try {
            token = validator.validate(authorization.substring(7).trim());
        } catch (InvalidTokenException e) {
            throw invalidToken("The access token is not valid: " + e.getMessage() + ".");
        }
        Optional<UserAccount> user = Optional.empty();
        if (token.fhirUserReference().isPresent()) {
            UserAccount account = accounts.find(token.subject())
                    .orElseThrow(() -> invalidToken("The access token's user no longer exists."));
            if (!account.isActive()) {
                throw invalidToken("The account '" + account.username() + "' is "
                        + account.status().name().toLowerCase() + "; its access has ended.");
            }
            user = Optional.of(account);
        } else if (token.clientOrganization().isEmpty()) {
            throw invalidToken("The access token names neither a user (fhirUser) nor an organisation.");
        }
        AccessContext context = new AccessContext(token, user);
        context.attachTo(request);
        effectiveAccess.resolve(context).attachTo(request);
        return true;
    }

    private static AuthenticationException invalidToken(String message) {
        return unauthorized(
                "Bearer realm=\"CareGate\", error=\"invalid_token\", error_description=\"" + message.replace("\"", "'")
                        + "\"",
                message);
    }

    private static AuthenticationException unauthorized(String challenge, String message) {
        AuthenticationException exception = new AuthenticationException(message);
        exception.addResponseHeader("WWW-Authenticate", challenge);
        return exception;
    }
}
