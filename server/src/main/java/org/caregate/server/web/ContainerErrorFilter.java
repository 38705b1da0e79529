package org.caregate.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers the container's error dispatch ({@code /error}) of a request meant for the FHIR API or the authorization
 * server's JSON endpoints in their own format ({@link ContainerErrors}) instead of Spring Boot's generic JSON or
 * HTML, and before Spring Security's firewall, which would refuse the error dispatch of a request it refused itself
 * (an unknown HTTP method got an empty 400). Other error dispatches pass on to Spring Boot's error page.
 */
final class ContainerErrorFilter extends OncePerRequestFilter {

    private final ContainerErrors errors;

    ContainerErrorFilter(ContainerErrors errors) {
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        ContainerErrors.Body body = uri instanceof String path
                        && status instanceof Integer code
                        && !response.isCommitted()
                ? errorBody(
                        path,
                        code,
                        request.getAttribute(RequestDispatcher.ERROR_EXCEPTION),
                        request.getAttribute(FirewallRejection.ATTRIBUTE) instanceof String reason ? reason : null)
                : null;
        if (body == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus((Integer) status);
        response.setContentType(body.contentType());
        response.setContentLength(body.bytes().length);
        response.getOutputStream().write(body.bytes());
    }

    private ContainerErrors.Body errorBody(String path, int status, Object exception, String rejection) {
        String detail = exception instanceof RequestRejectedException rejected
                ? rejected.getMessage()
                : exception == null ? rejection : null;
        ContainerErrors.Body body = errors.body(path, status, detail);
        return body.contentType().startsWith("text/plain") ? null : body;
    }
}
