package org.caregate.server.portal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads the signed-in user's account afresh on every portal request and puts it in the request attribute
 * {@value #ACCOUNT}. A session whose account has since been suspended, terminated or deleted is ended here: the
 * request goes on unauthenticated, so the browser is sent to the login page, which refuses the account.
 */
public class PortalAccountFilter extends OncePerRequestFilter {

    /** Request attribute holding the current {@link UserAccount} (only for an active account). */
    public static final String ACCOUNT = "caregate.portal.account";

    private final UserAccountService accounts;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    public PortalAccountFilter(UserAccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = contexts.getContext().getAuthentication();
        if (authentication != null
                && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken)) {
            Optional<UserAccount> account = accounts.find(authentication.getName());
            if (account.isPresent() && account.get().isActive()) {
                request.setAttribute(ACCOUNT, account.get());
            } else {
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                contexts.clearContext();
            }
        }
        chain.doFilter(request, response);
    }
}
