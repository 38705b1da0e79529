package org.caregate.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Spring Security's firewall refuses paths with {@code ;}, {@code ..}, encoded slashes and unknown HTTP methods;
 * this handler keeps its reason (e.g. "the URL contained a potentially malicious String ";"") for the error
 * response {@link ContainerErrorFilter} writes, and answers 400 as the default handler does.
 */
final class FirewallRejection implements RequestRejectedHandler {

    static final String ATTRIBUTE = FirewallRejection.class.getName() + ".reason";

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejection)
            throws IOException {
        request.setAttribute(ATTRIBUTE, rejection.getMessage());
        response.sendError(HttpServletResponse.SC_BAD_REQUEST);
    }
}
