package org.caregate.server.operations;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The management endpoints' own chain: {@code /actuator/health} and its probe groups answer anyone with the status
 * alone; everything else (Prometheus, metrics, health details, info) needs the operator account over HTTP Basic
 * (role {@code OPERATOR}). The account is not one of CareGate's user accounts: it is configured
 * ({@link ManagementProperties}) so that Prometheus can scrape with it.
 */
@Configuration(proxyBeanMethods = false)
public class ManagementSecurityConfig {

    static final String OPERATOR_ROLE = "OPERATOR";
    private static final Logger log = LoggerFactory.getLogger(ManagementSecurityConfig.class);

    @Bean
    @Order(5)
    SecurityFilterChain managementChain(HttpSecurity http, ManagementProperties properties) throws Exception {
        if (!properties.hasOperator()) {
            log.warn("caregate.management.password is not set: the management endpoints other than the health "
                    + "probes (metrics, Prometheus) refuse every request");
        }
        return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(requests -> requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class))
                        .permitAll()
                        .anyRequest()
                        .hasRole(OPERATOR_ROLE))
                .httpBasic(basic -> basic.realmName("CareGate management"))
                .authenticationManager(operatorAuthentication(properties))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .build();
    }

    private static AuthenticationManager operatorAuthentication(ManagementProperties properties) {
        DelegatingPasswordEncoder encoder =
                (DelegatingPasswordEncoder) PasswordEncoderFactories.createDelegatingPasswordEncoder();
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(encoder);
        provider.setUserDetailsService(username -> {
            if (!properties.hasOperator() || !properties.username().equals(username)) {
                throw new UsernameNotFoundException("not the operator");
            }
            String stored =
                    properties.password().startsWith("{") ? properties.password() : "{noop}" + properties.password();
            UserDetails operator = User.withUsername(username)
                    .password(stored)
                    .roles(OPERATOR_ROLE)
                    .build();
            return operator;
        });
        return new ProviderManager(provider);
    }
}
