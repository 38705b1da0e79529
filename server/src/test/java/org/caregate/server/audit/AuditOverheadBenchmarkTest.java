package org.caregate.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.caregate.server.testing.FullStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A measurement, not a timed test: what auditing adds to a request. It prints (asserts nothing about time):
 * <ul>
 *   <li>client-side latency of {@code GET Patient/pat-adult-alice} as Dr. Okafor, p50/p99 and throughput, with the
 *       audit interceptor registered and unregistered, in alternating rounds of one run;</li>
 *   <li>request-thread time the interceptor spends building and enqueueing the events (the added latency);</li>
 *   <li>the writer's time per stored record and the records per commit;</li>
 *   <li>the CPU cost of one stored record: 20,000 real AuditEvents stored by 4 threads at once, as 4 requests would,
 *       counting this JVM's CPU (turning events into rows on the request threads, the writer thread's JDBC batches)
 *       and the embedded PostgreSQL's processes' CPU (from {@code /proc}).</li>
 * </ul>
 * Run alone: {@code ./mvnw -B -pl server test -Dtest=AuditOverheadBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
class AuditOverheadBenchmarkTest extends FullStackTest {

    private static final int READS = 200;
    private static final int ROUNDS = 3;

    @Autowired
    private RestfulServer fhirServer;

    @Autowired
    private AccessAuditInterceptor auditInterceptor;

    @Autowired
    private AuditEventWriter writer;

    @Autowired
    private AuditStore store;

    @Autowired
    private javax.sql.DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void printCpuCostPerStoredRecord() throws Exception {
        String token = tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null);
        fhirClient(token)
                .read()
                .resource(org.hl7.fhir.r4.model.Patient.class)
                .withId("pat-adult-alice")
                .execute();
        String jti = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        org.hl7.fhir.r4.model.AuditEvent template = fhirContext
                .newJsonParser()
                .parseResource(
                        org.hl7.fhir.r4.model.AuditEvent.class,
                        store.byTokenId(jti).get(0).json());
        int threads = 4;
        int warmup = 5_000;
        int measured = 20_000;
        storeConcurrently(template, threads, warmup); // JIT
        long postmaster = postmasterPid();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        AuditEventWriter.Statistics before = writer.statistics();
        long pgBefore = postgresCpuTicks(postmaster);
        long start = System.nanoTime();
        long requestThreadsCpu = storeConcurrently(template, threads, measured);
        long wall = System.nanoTime() - start;
        long pgTicks = postgresCpuTicks(postmaster) - pgBefore;
        AuditEventWriter.Statistics after = writer.statistics();
        long records = after.storedInBackground() - before.storedInBackground();
        double writerMs = (after.storeCpuNanos() - before.storeCpuNanos()) / 1e6 / records;
        double requestMs = requestThreadsCpu / 1e6 / records;
        double prepareMs = (after.prepareCpuNanos() - before.prepareCpuNanos()) / 1e6 / records;
        double pgMs = pgTicks * 10.0 / records; // clock ticks of 10 ms (USER_HZ 100)
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "== Audit store: %d records by %d threads in %.1f s (%.0f records/s), %d commits "
                        + "(%.1f records per commit) ==%n",
                records,
                threads,
                wall / 1e9,
                records / (wall / 1e9),
                after.batches() - before.batches(),
                records / (double) Math.max(1, after.batches() - before.batches()));
        System.out.printf(
                Locale.ROOT,
                "CPU-ms per stored record: request threads %.3f (of which rows + JSON %.3f), "
                        + "writer thread %.3f, PostgreSQL %.3f; total %.3f%n",
                requestMs,
                prepareMs,
                writerMs,
                pgMs,
                requestMs + writerMs + pgMs);
        System.out.println();
        assertThat(records).isEqualTo(measured); // every record handed over was stored: the figures are real
        assertThat(cpu.isCurrentThreadCpuTimeSupported()).isTrue();
    }

    /** Stores {@code count} copies of the template from {@code threads} threads; returns those threads' CPU time. */
    private long storeConcurrently(org.hl7.fhir.r4.model.AuditEvent template, int threads, int count) throws Exception {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.atomic.AtomicLong cpuNanos = new java.util.concurrent.atomic.AtomicLong();
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    long cpuStart = cpu.getCurrentThreadCpuTime();
                    for (int i = 0; i < count / threads; i++) {
                        org.hl7.fhir.r4.model.AuditEvent event = template.copy();
                        event.setRecorded(new java.util.Date());
                        writer.store(List.of(event));
                    }
                    cpuNanos.addAndGet(cpu.getCurrentThreadCpuTime() - cpuStart);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : done) {
                future.get();
            }
            return cpuNanos.get();
        } finally {
            pool.shutdown();
        }
    }

    /** The embedded PostgreSQL's postmaster: the parent of this connection's backend. */
    private long postmasterPid() throws Exception {
        try (java.sql.Connection connection = dataSource.getConnection();
                java.sql.ResultSet rows = connection.createStatement().executeQuery("select pg_backend_pid()")) {
            rows.next();
            return Long.parseLong(procStat(rows.getLong(1))[3]);
        }
    }

    /** utime + stime of the postmaster and all its children (the backends, the WAL writer, ...), in clock ticks. */
    private static long postgresCpuTicks(long postmaster) throws IOException {
        long ticks = 0;
        try (java.util.stream.Stream<java.nio.file.Path> processes =
                java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            for (java.nio.file.Path process : processes.toList()) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] stat = procStat(Long.parseLong(name));
                if (stat != null && (Long.parseLong(name) == postmaster || Long.parseLong(stat[3]) == postmaster)) {
                    ticks += Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
                }
            }
        }
        return ticks;
    }

    /** /proc/pid/stat split into fields (the command name, in parentheses, as field 1); null if it is gone. */
    private static String[] procStat(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "stat"));
            int close = stat.lastIndexOf(')');
            String[] rest = stat.substring(close + 2).split(" ");
            String[] fields = new String[rest.length + 2];
            fields[0] = String.valueOf(pid);
            fields[1] = stat.substring(stat.indexOf('(') + 1, close);
            System.arraycopy(rest, 0, fields, 2, rest.length);
            return fields;
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void printAddedLatencyOfAuditingReads() throws Exception {
        String token = tokens().userToken("dr.okafor", "openid fhirUser user/*.cruds", null);
        HttpRequest read = HttpRequest.newBuilder(URI.create(FHIR_BASE + "/Patient/pat-adult-alice"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json")
                .GET()
                .build();
        run(read, READS); // warm-up, audited
        writer.flush();

        long[] on = new long[READS * ROUNDS];
        long[] off = new long[READS * ROUNDS];
        long onWall = 0;
        long offWall = 0;
        AccessAuditInterceptor.RecordingCost costBefore = auditInterceptor.cost();
        AuditEventWriter.Statistics writerBefore = writer.statistics();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                writer.flush(); // each round starts with an empty queue: 'off' carries none of 'on's writes
                fhirServer.getInterceptorService().unregisterInterceptor(auditInterceptor);
                offWall += timed(read, off, round * READS, READS);
                fhirServer.getInterceptorService().registerInterceptor(auditInterceptor);
                onWall += timed(read, on, round * READS, READS);
            }
        } finally {
            if (!fhirServer
                    .getInterceptorService()
                    .getAllRegisteredInterceptors()
                    .contains(auditInterceptor)) {
                fhirServer.getInterceptorService().registerInterceptor(auditInterceptor);
            }
        }
        long flushStart = System.nanoTime();
        writer.flush();
        long flushNanos = System.nanoTime() - flushStart;
        AccessAuditInterceptor.RecordingCost cost = auditInterceptor.cost();
        AuditEventWriter.Statistics stats = writer.statistics();
        long recorded = cost.requests() - costBefore.requests();
        long storedEvents = (stats.storedInBackground() - writerBefore.storedInBackground())
                + (stats.storedSynchronously() - writerBefore.storedSynchronously());

        System.out.println();
        System.out.println("== Audit overhead: GET Patient/pat-adult-alice as dr.okafor, " + READS * ROUNDS
                + " sequential reads per mode, " + ROUNDS + " alternating rounds ==");
        System.out.println(line("audit off", off, offWall));
        System.out.println(line("audit on ", on, onWall));
        System.out.printf(
                Locale.ROOT,
                "p50 ratio on/off: %.2f; throughput ratio on/off: %.2f%n",
                percentile(on, 50) / (double) percentile(off, 50),
                (double) offWall / onWall);
        System.out.printf(
                Locale.ROOT,
                "request thread, build + store (waiting for the commit): %.1f us wall, %.1f us "
                        + "CPU per request (%d requests)%n",
                (cost.nanos() - costBefore.nanos()) / 1000.0 / Math.max(1, recorded),
                (cost.cpuNanos() - costBefore.cpuNanos()) / 1000.0 / Math.max(1, recorded),
                recorded);
        System.out.printf(
                Locale.ROOT,
                "audit writer: %.2f ms wall, %.2f ms JVM CPU per stored event (%d events, "
                        + "%d on request threads, %d lost); final flush waited %.1f ms%n",
                (stats.storeNanos() - writerBefore.storeNanos()) / 1e6 / Math.max(1, storedEvents),
                (stats.storeCpuNanos() - writerBefore.storeCpuNanos()) / 1e6 / Math.max(1, storedEvents),
                storedEvents,
                stats.storedSynchronously() - writerBefore.storedSynchronously(),
                stats.lost() - writerBefore.lost(),
                flushNanos / 1e6);
        System.out.println();

        assertThat(recorded).isEqualTo(READS * ROUNDS); // every audited read was recorded: the figures are real

        printConcurrentThroughput(read);
    }

    /** 4 clients at once: throughput on vs off, and how large the writer's batches get. */
    private void printConcurrentThroughput(HttpRequest read) throws Exception {
        int clients = 4;
        int perClient = 150;
        double offRate;
        double onRate;
        fhirServer.getInterceptorService().unregisterInterceptor(auditInterceptor);
        try {
            offRate = concurrent(read, clients, perClient);
        } finally {
            fhirServer.getInterceptorService().registerInterceptor(auditInterceptor);
        }
        AuditEventWriter.Statistics before = writer.statistics();
        onRate = concurrent(read, clients, perClient);
        int queueAtEnd = writer.statistics().queueSize();
        long flushStart = System.nanoTime();
        writer.flush();
        AuditEventWriter.Statistics after = writer.statistics();
        long events = after.storedInBackground() - before.storedInBackground();
        System.out.printf(
                Locale.ROOT,
                "%d concurrent clients x %d reads: off %.0f req/s, on %.0f req/s (ratio %.2f); "
                        + "queue at the end %d, drained in %.0f ms; writer %.2f ms JVM CPU per event%n%n",
                clients,
                perClient,
                offRate,
                onRate,
                onRate / offRate,
                queueAtEnd,
                (System.nanoTime() - flushStart) / 1e6,
                (after.storeCpuNanos() - before.storeCpuNanos()) / 1e6 / Math.max(1, events));
    }

    private double concurrent(HttpRequest read, int clients, int perClient) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    run(read, perClient);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : done) {
                future.get();
            }
            return clients * perClient / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    private long timed(HttpRequest request, long[] into, int offset, int count)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long one = System.nanoTime();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            into[offset + i] = System.nanoTime() - one;
            if (response.statusCode() != 200) {
                throw new AssertionError("read returned " + response.statusCode());
            }
        }
        return System.nanoTime() - start;
    }

    private void run(HttpRequest request, int times) throws IOException, InterruptedException {
        timed(request, new long[times], 0, times);
    }

    private static String line(String label, long[] nanos, long wall) {
        return String.format(
                Locale.ROOT,
                "%s: p50 %.2f ms, p99 %.2f ms, %.0f req/s",
                label,
                percentile(nanos, 50) / 1e6,
                percentile(nanos, 99) / 1e6,
                nanos.length / (wall / 1e9));
    }

    private static long percentile(long[] values, int percentile) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}
