package org.caregate.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers every response carries, whichever filter chain (FHIR API, authorization server, portal) serves it:
 * <ul>
 *   <li>{@code Content-Security-Policy}: CareGate's pages run no script and load nothing from elsewhere; styles are
 *       inline. No {@code form-action}: the approval and launch forms end in redirects to the apps' own
 *       addresses;</li>
 *   <li>{@code Referrer-Policy: no-referrer}: authorization codes, launch ids and patient ids in URLs never leave in
 *       a {@code Referer} header;</li>
 *   <li>{@code X-Content-Type-Options: nosniff} and {@code Permissions-Policy} denying powerful browser features.</li>
 * </ul>
 * Spring Security adds {@code X-Frame-Options}, cache control, and HSTS when the public address is https.
 */
final class SecurityHeadersFilter extends OncePerRequestFilter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        chain.doFilter(request, response);
    }
}
