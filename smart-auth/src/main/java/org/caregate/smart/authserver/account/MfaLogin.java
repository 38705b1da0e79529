package org.caregate.smart.authserver.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;

/**
 * The second step of signing in. After the password, an account enrolled in TOTP, or of a kind that must use it
 * ({@code caregate.accounts.mfa-required-kinds}, practitioners and staff by default), is not signed in yet: its
 * authentication waits in the session ({@value #PENDING}) while the session itself stays unauthenticated, and the
 * browser goes to {@link SmartAuthPaths#MFA} for the code (or, not enrolled yet, for enrolment). Only a right code
 * makes the session signed in and returns the browser to the page that asked for the login.
 */
public class MfaLogin {

    static final String PENDING = "caregate.mfa.pending";
    private static final String DEFAULT_TARGET = "/portal/";

    private final UserAccountService users;
    private final Clock clock;
    private final Set<UserKind> requiredKinds;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
    private final HttpSessionRequestCache requestCache = new HttpSessionRequestCache();

    public MfaLogin(UserAccountService users, Clock clock, Set<UserKind> requiredKinds) {
        this.users = users;
        this.clock = clock;
        this.requiredKinds = Set.copyOf(requiredKinds);
    }

    public Clock clock() {
        return clock;
    }

    /** Whether the account must give a TOTP code after its password. */
    public boolean needsSecondStep(UserAccount account) {
        return users.totpSecret(account.username()).isPresent()
                || (requiredKinds.contains(account.kind()) && !users.isMfaExempt(account.username()));
    }

    /** The form login's success handler: signed in now, or held back for the second step. */
    public AuthenticationSuccessHandler successHandler() {
        SavedRequestAwareAuthenticationSuccessHandler signedIn = new SavedRequestAwareAuthenticationSuccessHandler();
        signedIn.setDefaultTargetUrl(DEFAULT_TARGET);
        return (request, response, authentication) -> {
            Optional<UserAccount> account = users.find(authentication.getName());
            if (account.isPresent() && needsSecondStep(account.get())) {
                SecurityContext empty = holder.createEmptyContext();
                holder.setContext(empty);
                contexts.saveContext(empty, request, response);
                request.getSession().setAttribute(PENDING, authentication);
                response.sendRedirect(request.getContextPath() + SmartAuthPaths.MFA);
                return;
            }
            signedIn.onAuthenticationSuccess(request, response, authentication);
        };
    }

    /** The authentication waiting for its second step in this browser's session. */
    public Optional<Authentication> pending(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && session.getAttribute(PENDING) instanceof Authentication authentication
                ? Optional.of(authentication)
                : Optional.empty();
    }

    /** The second step passed: the session is signed in. Returns where the browser goes next. */
    public String complete(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        request.getSession().removeAttribute(PENDING);
        request.changeSessionId();
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(authentication);
        holder.setContext(context);
        contexts.saveContext(context, request, response);
        SavedRequest saved = requestCache.getRequest(request, response);
        if (saved != null) {
            requestCache.removeRequest(request, response);
            return saved.getRedirectUrl();
        }
        return DEFAULT_TARGET;
    }

    /** Gives up the second step (the sign-in starts again). */
    public void abandon(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(PENDING);
        }
    }
}
