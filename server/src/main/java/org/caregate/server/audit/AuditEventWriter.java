package org.caregate.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores AuditEvents in the FHIR database off the request thread: a bounded queue, drained by one background
 * thread that stores up to {@code batchSize} events per database transaction through HAPI's AuditEvent DAO with a
 * {@link SystemRequestDetails} (so the writes pass no REST interceptor: they are neither audited nor refused as
 * writes of AuditEvents).
 *
 * <p><b>Nothing is dropped silently.</b>
 * <ul>
 *   <li>Queue full: the request thread waits up to {@code offerTimeout} for room, then stores its events itself
 *       (synchronously, slower, logged as a warning at most once a minute): back-pressure, never loss.</li>
 *   <li>A batch that fails is retried one event at a time; an event whose references point at resources that do not
 *       exist (a read of an unknown id, a deleted patient) is stored with those references made logical (the full URL
 *       as identifier); an event that still cannot be stored is logged as an error with its full JSON.</li>
 *   <li>Shutdown: stops after the web server (no more requests) and drains the queue before the database goes;
 *       anything submitted after that is stored synchronously.</li>
 * </ul>
 *
 * <p>{@link #flush()} blocks until everything recorded so far is stored, for tests and for an orderly hand-over.
 */
public final class AuditEventWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditEventWriter.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final DaoRegistry daoRegistry;
    private final TransactionTemplate transactions;
    private final FhirContext fhirContext;
    private final String fhirBaseUrl;
    private final BlockingQueue<AuditEvent> queue;
    private final int batchSize;
    private final Duration offerTimeout;
    private final Duration shutdownTimeout;

    private final Object progress = new Object();
    private final AtomicLong queued = new AtomicLong();
    private long stored; // guarded by progress: events taken from the queue and stored (or logged as lost)
    private int openRequests; // guarded by progress: requests being recorded whose events are not yet queued
    private final AtomicLong writtenSynchronously = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong storeNanos = new AtomicLong();
    private final AtomicLong storeCpuNanos = new AtomicLong();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private volatile long lastFullWarning = System.nanoTime() - WARN_INTERVAL_NANOS;

    private volatile IFhirResourceDao<AuditEvent> dao;
    private volatile boolean running;
    private Thread thread;

    public AuditEventWriter(DaoRegistry daoRegistry, PlatformTransactionManager transactionManager,
            FhirContext fhirContext, String fhirBaseUrl, AuditProperties properties) {
        this.daoRegistry = daoRegistry;
        this.transactions = new TransactionTemplate(transactionManager);
        this.fhirContext = fhirContext;
        this.fhirBaseUrl = fhirBaseUrl;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.batchSize = properties.batchSize();
        this.offerTimeout = properties.offerTimeout();
        this.shutdownTimeout = properties.shutdownTimeout();
    }

    /** Hands one event over for storage; returns at once unless the queue is full (see the class comment). */
    public void submit(AuditEvent event) {
        if (running) {
            queued.incrementAndGet();
            if (queue.offer(event)) {
                return;
            }
            try {
                if (queue.offer(event, offerTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queued.decrementAndGet();
            long now = System.nanoTime();
            if (now - lastFullWarning >= WARN_INTERVAL_NANOS) {
                lastFullWarning = now;
                log.warn("The audit queue is full ({} events): requests now store their AuditEvents themselves "
                        + "until the writer catches up", queue.size());
            }
        }
        writtenSynchronously.incrementAndGet();
        storeOne(event);
    }

    /** A request whose events will be submitted soon (so that {@link #flush()} waits for them too). */
    void requestOpened() {
        synchronized (progress) {
            openRequests++;
        }
    }

    /** The request announced by {@link #requestOpened()} has submitted its events (or has none). */
    void requestClosed() {
        synchronized (progress) {
            openRequests--;
            progress.notifyAll();
        }
    }

    /**
     * Blocks until every request being recorded has submitted its events and every event submitted so far is stored.
     *
     * @throws IllegalStateException if that takes longer than a minute
     */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        synchronized (progress) {
            while (openRequests > 0 || stored < queued.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("audit queue not drained within a minute: " + openRequests
                            + " requests open, " + (queued.get() - stored) + " events pending");
                }
                try {
                    progress.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while flushing the audit queue", e);
                }
            }
        }
    }

    /** Counters since start: events stored in the background, stored on a request thread, lost, and store time. */
    public Statistics statistics() {
        synchronized (progress) {
            return new Statistics(stored, writtenSynchronously.get(), lost.get(), storeNanos.get(), storeCpuNanos.get(),
                    queue.size());
        }
    }

    /**
     * @param storedInBackground events stored by the background thread (including those logged as lost)
     * @param storedSynchronously events a request thread stored itself (queue full or writer stopped)
     * @param lost events that could not be stored at all (each logged as an error with its JSON)
     * @param storeNanos wall time spent storing batches in the background
     * @param storeCpuNanos CPU time of the same (this JVM only; PostgreSQL's own work is not in it)
     * @param queueSize events waiting now
     */
    public record Statistics(long storedInBackground, long storedSynchronously, long lost, long storeNanos,
            long storeCpuNanos, int queueSize) {
    }

    @Override
    public void start() {
        dao = daoRegistry.getResourceDao(AuditEvent.class);
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
            log.error("AUDIT RECORDS MAY BE LOST: the audit writer did not drain its queue within {} ({} events left)",
                    shutdownTimeout, queue.size());
        }
        // anything that slipped in between the last poll and running = false
        List<AuditEvent> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.forEach(this::storeOne);
        markStored(rest.size());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop after the web server has stopped taking requests, start before it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void drain() {
        List<AuditEvent> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                storeBatch(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    Thread.currentThread().interrupt();
                }
            } catch (RuntimeException e) {
                log.error("The audit writer failed unexpectedly; continuing", e);
            } finally {
                markStored(batch.size());
                batch.clear();
            }
        }
    }

    private void markStored(int count) {
        if (count == 0) {
            return;
        }
        synchronized (progress) {
            stored += count;
            progress.notifyAll();
        }
    }

    private void storeBatch(List<AuditEvent> batch) {
        long start = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        try {
            SystemRequestDetails request = new SystemRequestDetails();
            transactions.executeWithoutResult(status -> {
                for (AuditEvent event : batch) {
                    dao.create(event, request);
                }
            });
        } catch (RuntimeException batchFailure) {
            log.debug("An audit batch of {} failed ({}); storing its events one by one", batch.size(),
                    batchFailure.toString());
            for (AuditEvent event : batch) {
                clearStorageFields(event);
                storeOne(event);
            }
        } finally {
            storeNanos.addAndGet(System.nanoTime() - start);
            storeCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuStart);
        }
    }

    /** Stores one event in its own transaction, making dangling references logical if it has to. */
    private void storeOne(AuditEvent event) {
        try {
            create(event);
            return;
        } catch (RuntimeException first) {
            clearStorageFields(event);
            if (makeDanglingReferencesLogical(event) == 0) {
                lose(event, first);
                return;
            }
        }
        try {
            create(event);
        } catch (RuntimeException second) {
            lose(event, second);
        }
    }

    private void create(AuditEvent event) {
        IFhirResourceDao<AuditEvent> auditDao = dao != null ? dao : daoRegistry.getResourceDao(AuditEvent.class);
        transactions.executeWithoutResult(status -> auditDao.create(event, new SystemRequestDetails()));
    }

    private void lose(AuditEvent event, RuntimeException cause) {
        lost.incrementAndGet();
        log.error("AUDIT RECORD NOT STORED ({}): {}", cause.toString(),
                fhirContext.newJsonParser().encodeResourceToString(event), cause);
    }

    private static void clearStorageFields(AuditEvent event) {
        event.setIdElement(null);
        event.getMeta().setVersionId(null).setLastUpdatedElement(null);
    }

    /** Replaces literal references to resources that do not exist by logical ones; returns how many it replaced. */
    private int makeDanglingReferencesLogical(AuditEvent event) {
        int replaced = 0;
        List<Reference> references = new ArrayList<>();
        event.getAgent().forEach(agent -> references.add(agent.getWho()));
        event.getEntity().forEach(entity -> references.add(entity.getWhat()));
        for (Reference reference : references) {
            if (reference == null || !reference.hasReference() || exists(reference.getReferenceElement())) {
                continue;
            }
            String literal = reference.getReferenceElement().toUnqualifiedVersionless().getValue();
            Reference logical = BalpAuditEvents.logicalReference(literal, fhirBaseUrl);
            reference.setReference(null);
            reference.setType(logical.getType());
            reference.setIdentifier(logical.getIdentifier());
            if (!reference.hasDisplay()) {
                reference.setDisplay(logical.getDisplay());
            }
            replaced++;
        }
        return replaced;
    }

    private boolean exists(org.hl7.fhir.instance.model.api.IIdType id) {
        if (!id.hasResourceType() || !id.hasIdPart() || !daoRegistry.isResourceTypeSupported(id.getResourceType())) {
            return false;
        }
        try {
            transactions.executeWithoutResult(status -> daoRegistry.getResourceDao(id.getResourceType())
                    .read(new IdType(id.getResourceType(), id.getIdPart()), new SystemRequestDetails()));
            return true;
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
