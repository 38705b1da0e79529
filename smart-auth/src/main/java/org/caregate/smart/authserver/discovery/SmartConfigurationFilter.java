package org.caregate.smart.authserver.discovery;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves {@code GET /fhir/.well-known/smart-configuration}. HAPI's servlet owns {@code /fhir/*}, so this is a
 * servlet filter registered (by a {@code FilterRegistrationBean}) for exactly that path; it answers and never
 * passes the request on. The document is built once ({@link SmartConfiguration}); browsers may read it from any
 * origin (CORS, with the preflight answered here).
 */
public final class SmartConfigurationFilter extends OncePerRequestFilter {

    private final SmartConfiguration configuration;

    public SmartConfigurationFilter(SmartConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !SmartAuthPaths.SMART_CONFIGURATION.equals(
                request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "GET, OPTIONS");
        response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type, Accept");
        response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "3600");
        switch (request.getMethod()) {
            case "OPTIONS" -> response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            case "GET", "HEAD" -> {
                byte[] json = configuration.jsonShared();
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                response.setHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=3600");
                response.setContentLength(json.length);
                if ("GET".equals(request.getMethod())) {
                    response.getOutputStream().write(json);
                }
            }
            default -> {
                response.setHeader(HttpHeaders.ALLOW, "GET, HEAD, OPTIONS");
                response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            }
        }
    }
}
