package org.caregate.smart.authserver.throttle;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Brute-force protection of the authorization server by client address ({@link AddressThrottle}): counts the failed
 * sign-ins (password or second factor) and the failed token, introspection and revocation requests of each address,
 * and once an address is over its budget answers every such request, and every authorization request, with
 * {@code 429 Too Many Requests} and {@code Retry-After}, before the password or the client is even checked. The
 * endpoints answer an OAuth error (RFC 6749 section 5.2) there, the pages a short HTML page.
 */
public final class AddressThrottleFilter extends OncePerRequestFilter {

    private static final Set<String> OAUTH_ENDPOINTS =
            Set.of(SmartAuthPaths.TOKEN, SmartAuthPaths.INTROSPECT, SmartAuthPaths.REVOKE);
    private static final Set<String> SIGN_IN_PAGES = Set.of(SmartAuthPaths.LOGIN, SmartAuthPaths.MFA);

    private final AddressThrottle throttle;

    public AddressThrottleFilter(AddressThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        boolean post = "POST".equalsIgnoreCase(request.getMethod());
        return !(SmartAuthPaths.AUTHORIZE.equals(path)
                || (post && (OAUTH_ENDPOINTS.contains(path) || SIGN_IN_PAGES.contains(path))));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        String path = request.getRequestURI();
        Optional<Duration> wait = throttle.retryAfter(address);
        if (wait.isPresent()) {
            refuse(response, path, wait.get());
            return;
        }
        chain.doFilter(request, response);
        if (failed(path, response)) {
            throttle.recordFailure(address);
        }
    }

    private static boolean failed(String path, HttpServletResponse response) {
        int status = response.getStatus();
        if (OAUTH_ENDPOINTS.contains(path)) {
            return status == 400 || status == 401;
        }
        if (SIGN_IN_PAGES.contains(path)) {
            String location = response.getHeader("Location");
            return status >= 400
                    || (location != null
                            && (location.contains(SmartAuthPaths.LOGIN + "?error")
                                    || location.contains(SmartAuthPaths.LOGIN + "?locked")));
        }
        return false;
    }

    private static void refuse(HttpServletResponse response, String path, Duration wait) throws IOException {
        long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
        String reason = "Too many failed requests from this address; try again in " + seconds + " seconds.";
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(seconds));
        response.setHeader("Cache-Control", "no-store");
        byte[] body;
        if (OAUTH_ENDPOINTS.contains(path)) {
            response.setContentType("application/json;charset=UTF-8");
            body = ("{\"error\":\"temporarily_unavailable\",\"error_description\":\"" + reason + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            response.setContentType("text/html;charset=UTF-8");
            body = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many attempts"
                            + " · CareGate</title></head><body><main><h1>Too many attempts</h1><p>" + reason
                            + "</p></main></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
