package org.caregate.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Optional;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.scope.ScopeContext;
import org.caregate.smart.token.SmartAccessToken;

/**
 * Who is asking, for one FHIR request: the validated access token and, for a person's token, their account. Put on
 * the request by {@link BearerTokenInterceptor}, with the {@link EffectiveAccess} built from it.
 */
public final class AccessContext {

    private static final String KEY = AccessContext.class.getName();

    private final SmartAccessToken token;
    private final Optional<UserAccount> user;

    /**
     * @param token the validated SMART access token
     * @param user the account named by the token's {@code sub}, for a person's token; empty for a backend client
     */
    public AccessContext(SmartAccessToken token, Optional<UserAccount> user) {
        this.token = token;
        this.user = user;
    }

    public SmartAccessToken token() {
        return token;
    }

    public Optional<UserAccount> user() {
        return user;
    }

    /** The context of an authenticated request, if the request carried a valid token. */
    public static Optional<AccessContext> find(RequestDetails request) {
        return Optional.ofNullable((AccessContext) request.getUserData().get(KEY));
    }

    void attachTo(RequestDetails request) {
        request.getUserData().put(KEY, this);
    }

    /** A backend-services client acting for an organisation ({@code system/} scopes, no user). */
    public boolean isBackendClient() {
        return user.isEmpty() && token.clientOrganization().isPresent();
    }

    /** Whether the token carries any scope of this context ({@code patient/}, {@code user/}, {@code system/}). */
    public boolean hasScopesIn(ScopeContext context) {
        return token.scopes().resourceScopes().stream().anyMatch(scope -> scope.context() == context);
    }
}
