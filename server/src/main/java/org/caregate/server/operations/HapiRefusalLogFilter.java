package org.caregate.server.operations;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops HAPI's ERROR line with a full stack trace that {@code BaseInterceptorService} writes for every exception an
 * interceptor throws, when the exception is a 4xx answer (a refused token, a denial, bad input): those are answers,
 * not failures, and {@link FhirRequestMetrics} logs a refusal as one INFO line naming the rule. A 5xx, or anything
 * that is not an HTTP answer, is still logged by HAPI as before.
 */
final class HapiRefusalLogFilter extends TurboFilter {

    static final String HAPI_INTERCEPTOR_LOGGER = "ca.uhn.fhir.interceptor.executor.BaseInterceptorService";

    /** Installs the filter if logging is Logback (Spring Boot's default); a no-op otherwise. */
    static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(HapiRefusalLogFilter.class::isInstance)) {
            HapiRefusalLogFilter filter = new HapiRefusalLogFilter();
            filter.setName("hapi-refusal-log");
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.ERROR || logger == null || !HAPI_INTERCEPTOR_LOGGER.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t;
        if (thrown == null
                && params != null
                && params.length > 0
                && params[params.length - 1] instanceof Throwable last) {
            thrown = last;
        }
        return thrown instanceof BaseServerResponseException answer && answer.getStatusCode() < 500
                ? FilterReply.DENY
                : FilterReply.NEUTRAL;
    }
}
