package org.caregate.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stores AuditEvents in the {@link AuditStore} <em>before</em> the request they record is answered, by group commit:
 * the request thread turns its events into rows (the JSON and the search columns, on its own core), hands them to
 * one writer thread and waits; the writer stores everything that is waiting in one JDBC batch and one durable
 * commit, then releases every request of that batch. Under load, each commit carries the records of every request
 * that finished meanwhile, so the cost per record falls as the load rises; alone, a request waits for one commit
 * (about a millisecond).
 *
 * <p><b>Nothing answered goes unrecorded.</b> A request's answer leaves only after its records are committed
 * ({@link AccessAuditInterceptor} stores them in the last hook before the response is written), so neither a
 * graceful stop nor {@code kill -9} of CareGate or of PostgreSQL can lose the record of an answered request. If the
 * records cannot be stored (the database is gone, or the commit takes longer than {@code commitTimeout}), the
 * request fails with 503 instead of being answered without a record. A batch that fails is retried request by
 * request, so one bad record fails only its own request.
 *
 * <p>Stop (graceful shutdown, after the web server has stopped taking requests): the writer stores what is waiting
 * and ends; a record handed over after that is stored on the caller's thread.
 */
public final class AuditEventWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditEventWriter.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final AuditStore store;
    private final FhirContext fhirContext;
    private final ThreadLocal<IParser> parsers;
    private final BlockingQueue<Pending> queue;
    private final int batchSize;
    private final Duration commitTimeout;
    private final Duration shutdownTimeout;

    private final Object progress = new Object();
    private int openRequests; // guarded by progress: requests being recorded whose records are not stored yet

    private final AtomicLong storedInBackground = new AtomicLong();
    private final AtomicLong storedSynchronously = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong storeNanos = new AtomicLong();
    private final AtomicLong storeCpuNanos = new AtomicLong();
    private final AtomicLong prepareCpuNanos = new AtomicLong();

    private volatile boolean running;
    private Thread thread;

    /** Records of one request, and the request waiting for them to be committed. */
    private record Pending(List<AuditRecord> records, CompletableFuture<Void> committed) {}

    AuditEventWriter(AuditStore store, FhirContext fhirContext, AuditProperties properties) {
        this.store = store;
        this.fhirContext = fhirContext;
        this.parsers = ThreadLocal.withInitial(() -> fhirContext.newJsonParser().setPrettyPrint(false));
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.batchSize = properties.batchSize();
        this.commitTimeout = properties.commitTimeout();
        this.shutdownTimeout = properties.shutdownTimeout();
    }

    /**
     * Stores the events durably and returns once they are committed.
     *
     * @throws AuditUnavailableException if they could not be stored within {@code commitTimeout}
     */
    public void store(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        List<AuditRecord> records = new ArrayList<>(events.size());
        IParser json = parsers.get();
        for (AuditEvent event : events) {
            records.add(AuditRecord.of(event, json));
        }
        prepareCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuStart);
        Pending pending = new Pending(records, new CompletableFuture<>());
        long deadline = System.nanoTime() + commitTimeout.toNanos();
        try {
            if (running && queue.offer(pending, commitTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                pending.committed().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            }
            if (running) {
                throw new TimeoutException("the audit queue stayed full");
            }
            storeNow(records); // stopped: nobody else will store them
            storedSynchronously.addAndGet(records.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(records, e);
        } catch (ExecutionException e) {
            throw unavailable(records, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw unavailable(records, e);
        }
    }

    private AuditUnavailableException unavailable(List<AuditRecord> records, Throwable cause) {
        lost.addAndGet(records.size());
        log.error(
                "AUDIT RECORD NOT STORED, the request is refused with 503 ({}): {}",
                cause.toString(),
                records.get(0).json());
        return new AuditUnavailableException(cause);
    }

    private void storeNow(List<AuditRecord> records) {
        try {
            store.insert(records);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A request whose records will be stored soon (so that {@link #flush()} waits for them too). */
    void requestOpened() {
        synchronized (progress) {
            openRequests++;
        }
    }

    /** The request announced by {@link #requestOpened()} has stored its records (or has none). */
    void requestClosed() {
        synchronized (progress) {
            openRequests--;
            progress.notifyAll();
        }
    }

    /**
     * Blocks until every request being recorded has stored its records. Requests store theirs before they are
     * answered; this is for work that looks at the store right after a request whose answer it did not wait for.
     *
     * @throws IllegalStateException if that takes longer than a minute
     */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        synchronized (progress) {
            while (openRequests > 0 || !queue.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("audit records not stored within a minute: " + openRequests
                            + " requests open, " + queue.size() + " waiting");
                }
                try {
                    progress.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 20)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while flushing the audit records", e);
                }
            }
        }
    }

    /** Counters since start. */
    public Statistics statistics() {
        return new Statistics(
                storedInBackground.get(),
                storedSynchronously.get(),
                lost.get(),
                storeNanos.get(),
                storeCpuNanos.get(),
                queue.size(),
                batches.get(),
                prepareCpuNanos.get());
    }

    /**
     * @param storedInBackground records stored by the writer thread
     * @param storedSynchronously records a request thread stored itself (after the writer stopped)
     * @param lost records that could not be stored (their requests were refused with 503; each logged)
     * @param storeNanos wall time the writer spent storing batches
     * @param storeCpuNanos this JVM's CPU time of the same (PostgreSQL's own work is not in it)
     * @param queueSize requests waiting for the writer now
     * @param batches batches (transactions) the writer committed
     * @param prepareCpuNanos request threads' CPU time turning events into rows (JSON, search columns)
     */
    public record Statistics(
            long storedInBackground,
            long storedSynchronously,
            long lost,
            long storeNanos,
            long storeCpuNanos,
            int queueSize,
            long batches,
            long prepareCpuNanos) {}

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::drain, "audit-event-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread drainer = thread;
        if (drainer == null) {
            return;
        }
        try {
            drainer.join(shutdownTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drainer.isAlive()) {
            log.error(
                    "The audit writer did not finish within {} ({} requests still waiting: they fail with 503)",
                    shutdownTimeout,
                    queue.size());
        }
        // anything handed over between the writer's last look and running = false
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        storeGroup(rest);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop after the web server has stopped taking requests and finished those in flight; start before it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void drain() {
        List<Pending> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int rows = first.records().size();
                Pending next;
                while (rows < batchSize && (next = queue.poll()) != null) {
                    group.add(next);
                    rows += next.records().size();
                }
                storeGroup(group);
            } catch (InterruptedException e) {
                if (!running) {
                    Thread.currentThread().interrupt();
                }
            } catch (RuntimeException e) {
                log.error("The audit writer failed unexpectedly; continuing", e);
                group.forEach(pending -> pending.committed().completeExceptionally(e));
            } finally {
                group.clear();
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        }
    }

    /** One transaction for the whole group; if it fails, one per request, so that only the bad one fails. */
    private void storeGroup(List<Pending> group) {
        if (group.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        try {
            List<AuditRecord> rows = new ArrayList<>();
            group.forEach(pending -> rows.addAll(pending.records()));
            try {
                store.insert(rows);
                batches.incrementAndGet();
                storedInBackground.addAndGet(rows.size());
                group.forEach(pending -> pending.committed().complete(null));
                return;
            } catch (java.sql.SQLException | RuntimeException batchFailure) {
                if (group.size() == 1) {
                    group.get(0).committed().completeExceptionally(batchFailure);
                    return;
                }
                log.warn(
                        "An audit batch of {} records failed ({}); storing them request by request",
                        rows.size(),
                        batchFailure.toString());
            }
            for (Pending pending : group) {
                try {
                    store.insert(pending.records());
                    batches.incrementAndGet();
                    storedInBackground.addAndGet(pending.records().size());
                    pending.committed().complete(null);
                } catch (java.sql.SQLException | RuntimeException failure) {
                    pending.committed().completeExceptionally(failure);
                }
            }
        } finally {
            storeNanos.addAndGet(System.nanoTime() - start);
            storeCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuStart);
        }
    }
}
