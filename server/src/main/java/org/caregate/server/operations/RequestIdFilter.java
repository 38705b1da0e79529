package org.caregate.server.operations;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, in the response header {@code X-Request-Id} and in the log context ({@code request_id},
 * shown in every log line written while the request is served, and a field of the JSON logs). A well-formed id sent
 * by a proxy in {@code X-Request-Id} is kept so that its logs and CareGate's can be joined; anything else is
 * replaced by a random one (a UUID). HAPI's own request id is this one.
 */
public final class RequestIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9-]{8,64}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String offered = request.getHeader(HEADER);
        String id = offered != null && WELL_FORMED.matcher(offered).matches()
                ? offered
                : UUID.randomUUID().toString();
        response.setHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        try {
            // HAPI answers with the X-Request-ID it is given (or makes its own): give it this one
            chain.doFilter(
                    new HttpServletRequestWrapper(request) {
                        @Override
                        public String getHeader(String name) {
                            return HEADER.equalsIgnoreCase(name) ? id : super.getHeader(name);
                        }

                        @Override
                        public java.util.Enumeration<String> getHeaders(String name) {
                            return HEADER.equalsIgnoreCase(name)
                                    ? java.util.Collections.enumeration(java.util.List.of(id))
                                    : super.getHeaders(name);
                        }
                    },
                    response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}
