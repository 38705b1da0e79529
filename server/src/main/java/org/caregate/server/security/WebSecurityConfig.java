package org.caregate.server.security;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;

/**
 * Spring Security chains of the server module. The FHIR API authenticates bearer tokens itself, inside HAPI
 * (so that a refusal is a FHIR OperationOutcome and every path HAPI serves is covered); at the servlet level
 * {@code /fhir/**} is stateless and carries no session or CSRF machinery. Everything not claimed by a more
 * specific chain (the authorization server's {@code /auth/**}, the portal) is denied.
 */
@Configuration(proxyBeanMethods = false)
public class WebSecurityConfig {

    @Bean
    @Order(10)
    SecurityFilterChain fhirApiChain(HttpSecurity http) throws Exception {
        // an explicit Ant matcher: HAPI's servlet, not Spring MVC's, serves /fhir/*
        return statelessApi(http, "/fhir/**");
    }

    /**
     * Bulk Data status and files ({@code /bulk/**}): like the FHIR API, stateless; the controller checks the
     * bearer token and that it is the token of the client that asked for the export.
     */
    @Bean
    @Order(11)
    SecurityFilterChain bulkDataChain(HttpSecurity http) throws Exception {
        return statelessApi(http, "/bulk/**");
    }

    /** A bearer-token API: no session, CSRF, request cache or anonymous user; CORS for browser apps. */
    private static SecurityFilterChain statelessApi(HttpSecurity http, String paths) throws Exception {
        return http.securityMatcher(new AntPathRequestMatcher(paths))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .cors(cors -> cors.configurationSource(request -> fhirCors()))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .anonymous(anonymous -> anonymous.disable())
                .build();
    }

    /**
     * Browser apps (the SMART JavaScript client) call the FHIR API from their own origin with an Authorization
     * header: any origin may, without cookies (the API never uses them).
     */
    private static CorsConfiguration fhirCors() {
        CorsConfiguration cors = new CorsConfiguration();
        cors.addAllowedOriginPattern("*");
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of(
                "Authorization",
                "Content-Type",
                "Accept",
                "Accept-Language",
                "Prefer",
                "If-Match",
                "If-None-Match",
                "If-None-Exist",
                "If-Modified-Since",
                "X-Requested-With"));
        cors.setExposedHeaders(List.of(
                "Location",
                "Content-Location",
                "ETag",
                "Last-Modified",
                "WWW-Authenticate",
                "Retry-After",
                "X-Progress"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(3600L);
        return cors;
    }

    @Bean
    @Order(Integer.MAX_VALUE - 10)
    SecurityFilterChain everythingElseChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                new AntPathRequestMatcher("/error"), new AntPathRequestMatcher("/favicon.ico"))
                        .permitAll()
                        .anyRequest()
                        .denyAll())
                .csrf(csrf -> csrf.disable())
                .build();
    }
}
