package org.caregate.server.feed;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The hospital's EHR feed: the backend clients of its integration engine, the only clients that may write outside
 * the compartments of the patients their organisation reaches (they load the hospital's data), within their
 * {@code system/} scopes.
 *
 * @param clientIds the feed's registered backend clients (SMART Backend Services); a client id not listed here is an
 *     ordinary backend client whatever scopes it holds
 * @param maxRequestBodySize the body limit of the feed's requests (transaction and batch bundles), instead of
 *     {@code caregate.fhir.max-request-body-size}; a request counts as the feed's only with a valid access token of
 *     one of these clients
 */
@ConfigurationProperties("caregate.ehr-feed")
public record EhrFeedProperties(
        @DefaultValue("caregate-ehr-feed") List<String> clientIds,
        @DefaultValue("200MB") DataSize maxRequestBodySize) {

    public EhrFeedProperties {
        clientIds = List.copyOf(clientIds);
    }

    /** Whether this client id is one of the feed's. */
    public boolean isFeed(String clientId) {
        return clientId != null && clientIds.contains(clientId);
    }
}
