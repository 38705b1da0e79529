package org.caregate.server.bulk;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs exports on this node: {@code caregate.bulk.workers} threads each claim the oldest waiting export (or one
 * whose node went silent) and run it; one more thread removes expired exports. A node that stops leaves its
 * running export behind, claimed but silent; another node (or this one, started again) takes it over after
 * {@code caregate.bulk.stale-after} and runs it from the beginning with the same transaction time.
 */
final class ExportRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExportRunner.class);

    private final ExportJobs jobs;
    private final Exporter exporter;
    private final BulkExportProperties properties;
    private final Clock clock;
    private final String node = "node-" + UUID.randomUUID();
    private ScheduledExecutorService executor;

    ExportRunner(ExportJobs jobs, Exporter exporter, BulkExportProperties properties, Clock clock) {
        this.jobs = jobs;
        this.exporter = exporter;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newScheduledThreadPool(properties.workers() + 1, runnable -> {
            Thread thread = new Thread(runnable, "bulk-export");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.checkInterval().toMillis();
        for (int i = 0; i < properties.workers(); i++) {
            executor.scheduleWithFixedDelay(this::runWaiting, interval, interval, TimeUnit.MILLISECONDS);
        }
        executor.scheduleWithFixedDelay(this::removeExpired, 1, 1, TimeUnit.MINUTES);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /** Runs exports until none is waiting. */
    private void runWaiting() {
        try {
            Optional<ExportJob> claimed;
            while ((claimed = claim()).isPresent()) {
                run(claimed.get());
            }
        } catch (RuntimeException e) {
            log.warn("Looking for exports to run failed; trying again", e);
        }
    }

    private Optional<ExportJob> claim() {
        Instant now = clock.instant();
        return jobs.claimNext(node, now, now.minus(properties.staleAfter()));
    }

    private void run(ExportJob job) {
        long started = System.nanoTime();
        try {
            long exported = exporter.run(job, node);
            Instant now = clock.instant();
            if (jobs.complete(job.id(), node, now, now.plus(properties.fileRetention()), exported)) {
                log.info(
                        "Export {} of {} complete: {} resources in {} ms",
                        job.id(),
                        job.clientId(),
                        exported,
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (Exporter.Abandoned e) {
            log.info("Export {} was cancelled or taken over by another node; stopped", job.id());
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                log.info("Export {} interrupted by shutdown; another node takes it over", job.id());
                return;
            }
            log.error("Export {} failed", job.id(), e);
            Instant now = clock.instant();
            // the details are in this node's log under the export's id, never in an answer
            jobs.fail(job.id(), node, now, now.plus(properties.fileRetention()), "an internal error stopped it");
        }
    }

    private void removeExpired() {
        try {
            int removed = jobs.deleteExpired(clock.instant());
            if (removed > 0) {
                log.info("Removed {} expired export(s) and their files", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Removing expired exports failed; trying again", e);
        }
    }
}
