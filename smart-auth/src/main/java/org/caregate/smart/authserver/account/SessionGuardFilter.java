package org.caregate.smart.authserver.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a signed-in browser session (the login pages' and the portal's) on its first request after it
 * <ul>
 *   <li>has been idle longer than {@code caregate.accounts.idle-timeout} (by the injected clock), or</li>
 *   <li>belongs to an account that is no longer active (terminated, suspended, deleted): a termination ends every
 *       session of the account at once, on every node, without a list of sessions.</li>
 * </ul>
 * The request then goes on unauthenticated (a page asks for a new login). The session's last activity is kept in the
 * session attribute {@value #LAST_SEEN}.
 */
public class SessionGuardFilter extends OncePerRequestFilter {

    static final String LAST_SEEN = "caregate.session.last-seen";
    /** Session attribute of the new session after one was ended for idleness (the login page says so). */
    public static final String IDLE_ENDED = "caregate.session.idle-ended";

    private final UserAccountService accounts;
    private final Clock clock;
    private final Duration idleTimeout;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    public SessionGuardFilter(UserAccountService accounts, Clock clock, Duration idleTimeout) {
        this.accounts = accounts;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = contexts.getContext().getAuthentication();
        HttpSession session = request.getSession(false);
        if (session != null
                && authentication != null
                && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken)) {
            Instant now = clock.instant();
            Object lastSeen = session.getAttribute(LAST_SEEN);
            boolean idle =
                    lastSeen instanceof Instant seen && seen.plus(idleTimeout).isBefore(now);
            Optional<UserAccount> account = accounts.find(authentication.getName());
            if (idle || account.isEmpty() || !account.get().isActive()) {
                end(session);
                if (idle) {
                    // a new session, so the login page can say why (and the page asked for is saved in it)
                    request.getSession(true).setAttribute(IDLE_ENDED, Boolean.TRUE);
                }
            } else {
                session.setAttribute(LAST_SEEN, now);
            }
        }
        chain.doFilter(request, response);
    }

    private void end(HttpSession session) {
        try {
            session.invalidate();
        } catch (IllegalStateException alreadyInvalid) {
            // another request ended it
        }
        contexts.clearContext();
    }
}
