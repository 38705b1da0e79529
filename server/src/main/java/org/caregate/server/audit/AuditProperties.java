package org.caregate.server.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the audit trail is written ({@code caregate.audit.*}).
 *
 * @param queueCapacity requests whose records wait for the writer at most; beyond, a request waits for room
 * @param batchSize records stored per database transaction at most (each transaction carries every request that
 *     was waiting, up to this many records)
 * @param commitTimeout how long a request waits for its records to be committed before it fails with 503
 * @param shutdownTimeout how long shutdown waits for the writer to store what is waiting
 * @param maxPatientsPerRequest patients recorded individually (one event each) per request; further ones are named
 *     together in one more event
 */
@ConfigurationProperties("caregate.audit")
public record AuditProperties(
        @DefaultValue("10000") int queueCapacity,
        @DefaultValue("500") int batchSize,
        @DefaultValue("10s") Duration commitTimeout,
        @DefaultValue("30s") Duration shutdownTimeout,
        @DefaultValue("50") int maxPatientsPerRequest) {

    public AuditProperties {
        if (queueCapacity < 1 || batchSize < 1 || maxPatientsPerRequest < 1) {
            throw new IllegalArgumentException(
                    "caregate.audit: queue-capacity, batch-size and " + "max-patients-per-request must be positive");
        }
    }
}
