package org.caregate.server.operations;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Metrics of the FHIR API, and one INFO line per refusal.
 *
 * <ul>
 *   <li>{@code caregate.fhir.requests} (Prometheus {@code caregate_fhir_requests_seconds_*}): a timer with a latency
 *       histogram, tagged {@code interaction} (HAPI's operation type: {@code read}, {@code search-type},
 *       {@code transaction}, ...), {@code type} (the resource type, or {@code none}) and {@code status} (the HTTP
 *       status). Requests refused before HAPI routes them have {@code interaction=unknown}.</li>
 *   <li>{@code caregate.fhir.refusals}: a counter tagged {@code rule} (the rule named in the refusal, {@code scope}
 *       for a missing scope, {@code bearer-token} for a 401) and {@code status}.</li>
 * </ul>
 * Tag values come from closed sets (HAPI's operation types, the configured resource types, rule names of the
 * shape {@code [a-z0-9-]+}), never from ids, search parameters or anything else a caller chooses; so neither the
 * metrics nor the refusal log line carry patient data.
 */
@Interceptor
public final class FhirRequestMetrics {

    static final String REQUESTS = "caregate.fhir.requests";
    static final String REFUSALS = "caregate.fhir.refusals";
    private static final String INTERACTION = FhirRequestMetrics.class.getName() + ".interaction";
    private static final String TYPE = FhirRequestMetrics.class.getName() + ".type";
    private static final Pattern RULE = Pattern.compile("(?:rule|regla) '([a-z0-9-]{1,48})'");
    private static final Logger refusalLog = LoggerFactory.getLogger("org.caregate.server.Refusals");

    private final MeterRegistry registry;
    private final Set<String> resourceTypes;

    public FhirRequestMetrics(MeterRegistry registry, Set<String> resourceTypes) {
        this.registry = registry;
        this.resourceTypes = Set.copyOf(resourceTypes);
    }

    /** The servlet filter that times every request to {@code /fhir}, whoever answers it. */
    public OncePerRequestFilter timingFilter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                long start = System.nanoTime();
                try {
                    chain.doFilter(request, response);
                } finally {
                    Timer.builder(REQUESTS)
                            .description("FHIR API requests")
                            .tag("interaction", attribute(request, INTERACTION, "unknown"))
                            .tag("type", attribute(request, TYPE, "none"))
                            .tag("status", Integer.toString(response.getStatus()))
                            .publishPercentileHistogram()
                            .register(registry)
                            .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                }
            }
        };
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean routed(RequestDetails details, HttpServletRequest request) {
        RestOperationTypeEnum operation = details.getRestOperationType();
        if (operation != null) {
            request.setAttribute(
                    INTERACTION, operation.getCode().replace("$", "").toLowerCase(Locale.ROOT));
        }
        String type = details.getResourceName();
        if (type != null) {
            request.setAttribute(TYPE, resourceTypes.contains(type) ? type : "other");
        }
        return true;
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean refused(RequestDetails details, HttpServletRequest request, BaseServerResponseException exception) {
        String rule;
        if (exception instanceof AuthenticationException) {
            rule = "bearer-token";
        } else if (exception instanceof ForbiddenOperationException) {
            Matcher named = RULE.matcher(String.valueOf(exception.getMessage()));
            rule = named.find() ? named.group(1) : "scope";
        } else {
            return true;
        }
        String status = Integer.toString(exception.getStatusCode());
        Counter.builder(REFUSALS)
                .description("FHIR requests refused, by the deciding rule")
                .tag("rule", rule)
                .tag("status", status)
                .register(registry)
                .increment();
        refusalLog.info(
                "Refused {} {} with {}: rule '{}'",
                attribute(request, INTERACTION, "unknown"),
                attribute(request, TYPE, "none"),
                status,
                rule);
        return true;
    }

    private static String attribute(HttpServletRequest request, String name, String otherwise) {
        Object value = request.getAttribute(name);
        return value == null ? otherwise : value.toString();
    }
}
