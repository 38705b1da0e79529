package org.caregate.server.portal;

import java.time.Clock;
import java.util.function.Predicate;
import org.caregate.smart.authserver.SmartAuthorizationServerConfig;
import org.caregate.smart.authserver.account.AccountProperties;
import org.caregate.smart.authserver.account.SessionGuardFilter;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;

/**
 * The {@code /portal/**} chain: the authorization server's form login and session ({@code /auth/login}), CSRF on
 * every form, and pages opened by the account's roles as stored now ({@link PortalRoles}, read per request by
 * {@link PortalAccountFilter}). Ordered after the authorization server's chains and the FHIR chain (10), before
 * the server's deny-everything-else chain.
 *
 * <p>The built-in demo app ({@code /portal/demo-app/**}) stands for a third-party app: it needs no portal login
 * of its own, the authorization server asks for one when it sends the browser there.
 */
@Configuration(proxyBeanMethods = false)
public class PortalSecurityConfig {

    public static final int ORDER = 20;
    static final String FORBIDDEN_PAGE = "/portal/forbidden";

    @Bean
    @Order(ORDER)
    SecurityFilterChain portalChain(
            HttpSecurity http, UserAccountService accounts, Clock clock, AccountProperties accountProperties)
            throws Exception {
        AccessDeniedHandlerImpl accessDenied = new AccessDeniedHandlerImpl();
        accessDenied.setErrorPage(FORBIDDEN_PAGE);
        return http.securityMatcher(path("/portal/**"))
                .authorizeHttpRequests(requests -> requests.requestMatchers(path("/portal/demo-app/**"))
                        .permitAll()
                        // redeeming an activation code or invitation: the code is the credential
                        .requestMatchers(
                                path("/portal/account/activate"),
                                path("/portal/account/ready"),
                                path("/portal/account/register"),
                                path("/portal/account/request"))
                        .permitAll()
                        .requestMatchers(path("/portal/sponsor/**"), path("/portal/sponsor"))
                        .access(accountWhere(PortalRoles::isSponsor))
                        .requestMatchers(
                                path("/portal/admin/access-requests/**"), path("/portal/admin/access-requests"))
                        .access(accountWhere(PortalRoles::isCareGateAdmin))
                        .requestMatchers(path("/portal/patients/**"))
                        .access(accountWhere(PortalRoles::isCareStaff))
                        .requestMatchers(path("/portal/admin/clients/**"), path("/portal/admin/clients"))
                        .access(accountWhere(PortalRoles::isCareGateAdmin))
                        .requestMatchers(path("/portal/admin/accounts/**"), path("/portal/admin/accounts"))
                        .access(accountWhere(PortalRoles::isCareGateAdmin))
                        .requestMatchers(path("/portal/admin/**"))
                        .access(accountWhere(PortalRoles::isSiteAdmin))
                        .anyRequest()
                        .access(accountWhere(account -> true)))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(
                                new LoginUrlAuthenticationEntryPoint(SmartAuthorizationServerConfig.LOGIN_PAGE))
                        .accessDeniedHandler(accessDenied))
                .addFilterBefore(new PortalAccountFilter(accounts), AnonymousAuthenticationFilter.class)
                .addFilterAfter(
                        new SessionGuardFilter(accounts, clock, accountProperties.idleTimeout()),
                        SecurityContextHolderFilter.class)
                .build();
    }

    /** Grants when the request has an active account ({@link PortalAccountFilter}) that matches. */
    static AuthorizationManager<RequestAuthorizationContext> accountWhere(Predicate<UserAccount> condition) {
        return (authentication, context) -> new AuthorizationDecision(
                context.getRequest().getAttribute(PortalAccountFilter.ACCOUNT) instanceof UserAccount account
                        && condition.test(account));
    }

    /** Ant matchers: several servlets (HAPI's, Spring MVC's) share this application. */
    private static AntPathRequestMatcher path(String pattern) {
        return new AntPathRequestMatcher(pattern);
    }
}
