package org.caregate.server.operations;

import org.caregate.server.audit.AuditEventWriter;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Readiness of the audit trail: the background writer that stores AuditEvents runs. Its backlog (events waiting)
 * and the events it could not store are details, also published as metrics.
 */
final class AuditStoreHealthIndicator extends AbstractHealthIndicator {

    private final AuditEventWriter writer;

    AuditStoreHealthIndicator(AuditEventWriter writer) {
        super("audit store check failed");
        this.writer = writer;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        AuditEventWriter.Statistics statistics = writer.statistics();
        builder.status(writer.isRunning() ? "UP" : "DOWN")
                .withDetail("backlog", statistics.queueSize())
                .withDetail("lost", statistics.lost());
    }
}
