package org.caregate.server.feed;

import jakarta.servlet.http.HttpServletRequest;
import org.caregate.server.fhir.FhirProperties;
import org.caregate.server.fhir.FhirServerCustomizer;
import org.caregate.server.fhir.RequestBodyLimit;
import org.caregate.smart.token.InvalidTokenException;
import org.caregate.smart.token.SmartAccessTokenValidator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The EHR feed's larger body limit, and the summary of every batch's outcome ({@link BatchSummaryInterceptor}).
 *
 * <p>Body limit: a request whose bearer token is valid and issued to one of the feed's clients
 * ({@link EhrFeedProperties}) may send {@code caregate.ehr-feed.max-request-body-size}; everyone else, and any request
 * whose token does not validate, {@code caregate.fhir.max-request-body-size}. The token is validated again, with the
 * same validator, by the security chain.
 */
@Configuration(proxyBeanMethods = false)
public class EhrFeedConfig {

    @Bean
    FhirServerCustomizer batchSummary() {
        return (server, capabilityStatement) -> server.registerInterceptor(new BatchSummaryInterceptor());
    }

    @Bean
    RequestBodyLimit ehrFeedRequestBodyLimit(
            FhirProperties fhir, EhrFeedProperties feed, SmartAccessTokenValidator validator) {
        long ordinary = fhir.maxRequestBodySize().toBytes();
        long feedLimit = Math.max(ordinary, feed.maxRequestBodySize().toBytes());
        return request -> isFeed(request, feed, validator) ? feedLimit : ordinary;
    }

    private static boolean isFeed(
            HttpServletRequest request, EhrFeedProperties feed, SmartAccessTokenValidator validator) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        try {
            return feed.isFeed(
                    validator.validate(authorization.substring(7).trim()).clientId());
        } catch (InvalidTokenException e) {
            return false;
        }
    }
}
