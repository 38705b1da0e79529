package org.caregate.server.bulk;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How Bulk Data exports run ({@code caregate.bulk.*}).
 *
 * @param fileRetention how long a completed export's files stay downloadable; then the job and its files are gone
 * @param minPollInterval a client polling the status of one export more often than this gets 429 with Retry-After
 * @param retryAfter the {@code Retry-After} a running export's status answers with
 * @param staleAfter a running export whose node has not reported for this long is taken over by another node (the
 *     node was stopped or died), and started again from the beginning with the same transaction time
 * @param patientsPerQuery patients whose records one database query looks up
 * @param resourcesPerLoad resources loaded, checked and written per step (memory holds at most this many)
 * @param resourcesPerFile resources per NDJSON file at most; more make a second file of that type
 * @param partSize bytes of a file held in memory and stored per database row
 * @param workers exports run at the same time on one node
 * @param checkInterval how often an idle node looks for an export to run
 */
@ConfigurationProperties("caregate.bulk")
public record BulkExportProperties(
        @DefaultValue("24h") Duration fileRetention,
        @DefaultValue("1s") Duration minPollInterval,
        @DefaultValue("2") int retryAfter,
        @DefaultValue("30s") Duration staleAfter,
        @DefaultValue("200") int patientsPerQuery,
        @DefaultValue("500") int resourcesPerLoad,
        @DefaultValue("100000") int resourcesPerFile,
        @DefaultValue("1048576") int partSize,
        @DefaultValue("1") int workers,
        @DefaultValue("500ms") Duration checkInterval) {

    public BulkExportProperties {
        if (patientsPerQuery < 1 || resourcesPerLoad < 1 || resourcesPerFile < 1 || partSize < 1024 || workers < 0) {
            throw new IllegalArgumentException("caregate.bulk: patients-per-query, resources-per-load and "
                    + "resources-per-file must be positive, part-size at least 1024, workers not negative");
        }
    }
}
