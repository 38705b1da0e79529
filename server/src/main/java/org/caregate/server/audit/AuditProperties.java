package org.caregate.server.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the audit trail is written ({@code caregate.audit.*}).
 *
 * @param queueCapacity AuditEvents waiting to be stored before requests feel back-pressure
 * @param batchSize AuditEvents stored per database transaction by the background writer
 * @param offerTimeout how long a request waits for room in a full queue before storing its events itself
 * @param shutdownTimeout how long shutdown waits for the queue to drain
 * @param maxPatientsPerRequest patients recorded individually (one event each) per request; further ones are listed
 *     together in one event that is in no patient's compartment
 */
@ConfigurationProperties("caregate.audit")
public record AuditProperties(
        @DefaultValue("10000") int queueCapacity,
        @DefaultValue("100") int batchSize,
        @DefaultValue("250ms") Duration offerTimeout,
        @DefaultValue("30s") Duration shutdownTimeout,
        @DefaultValue("50") int maxPatientsPerRequest) {

    public AuditProperties {
        if (queueCapacity < 1 || batchSize < 1 || maxPatientsPerRequest < 1) {
            throw new IllegalArgumentException("caregate.audit: queue-capacity, batch-size and "
                    + "max-patients-per-request must be positive");
        }
    }
}
