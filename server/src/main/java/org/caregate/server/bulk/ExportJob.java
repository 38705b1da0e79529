package org.caregate.server.bulk;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One export as stored ({@code caregate_bulk.export_job}). */
public record ExportJob(
        UUID id,
        String clientId,
        String organizationId,
        ExportRequest request,
        List<String> notes,
        Instant transactionTime,
        Status status,
        Optional<String> progress,
        long exported,
        Optional<String> error,
        Instant created,
        Optional<Instant> completed,
        Optional<Instant> expires,
        Optional<Instant> lastPolled) {

    /** Where an export is. A cancelled export is deleted, so it has no status. */
    public enum Status {
        ACCEPTED,
        RUNNING,
        COMPLETED,
        FAILED;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status ofCode(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** One NDJSON file of an export: its resources of one type ({@code output}) or its OperationOutcomes. */
    public record File(UUID id, Kind kind, String resourceType, int seq, long resources, long bytes) {

        public enum Kind {
            OUTPUT,
            ERROR
        }
    }

    public boolean finished() {
        return status == Status.COMPLETED || status == Status.FAILED;
    }

    /** The types to export. */
    public List<String> types() {
        return request.types();
    }
}
