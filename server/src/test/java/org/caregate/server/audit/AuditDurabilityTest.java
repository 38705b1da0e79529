package org.caregate.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.caregate.server.CareGateApplication;
import org.caregate.server.testing.SmartTokens;
import org.junit.jupiter.api.Test;

/**
 * No answered request goes unrecorded, however CareGate stops: CareGate runs in a child JVM (started as the README's
 * run command does, on a data directory of its own) under a read load of 4 clients, is stopped, and afterwards the
 * audit store holds a record of every request that was answered. Once with a graceful stop (SIGTERM), once with
 * {@code kill -9} of the JVM and then of its PostgreSQL, as a power cut would.
 */
class AuditDurabilityTest {

    private static final String ALICE = "Patient/pat-adult-alice";
    private static final int CLIENTS = 4;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void stopWhenGracefulOrKilledUnderReadLoadThenEveryAnsweredRequestIsOnRecord() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "caregate-durability-");

        Load graceful = runAndStop(data, false);
        assertThat(graceful.answered()).isPositive();
        long stored = recordsOf(data, graceful.jti());
        // at least one record per answered read (the reads answered otherwise, and those in flight, add their own)
        assertThat(stored)
                .as("records of %d answered reads after a graceful stop", graceful.answered())
                .isGreaterThanOrEqualTo(graceful.answered());

        Load killed = runAndStop(data, true);
        assertThat(killed.answered()).isPositive();
        stored = recordsOf(data, killed.jti());
        assertThat(stored)
                .as("records of %d answered reads after kill -9", killed.answered())
                .isGreaterThanOrEqualTo(killed.answered());
    }

    /** What a load run did: the token's id, and how many reads were answered 200 in full. */
    private record Load(String jti, long answered) {}

    private Load runAndStop(Path data, boolean kill) throws Exception {
        int port = freePort();
        String base = "http://localhost:" + port;
        Process child = start(data, port);
        try {
            awaitReady(base, child);
            // a backend client's token (client credentials with the generated key): no login pages involved
            String token = new SmartTokens(base, data).backendToken("system/*.rs");
            HttpRequest read = HttpRequest.newBuilder(URI.create(base + "/fhir/" + ALICE))
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build();
            AtomicLong answered = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                running.add(clients.submit(() -> {
                    while (!stop.get()) {
                        try {
                            HttpResponse<String> response = http.send(read, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200 && response.body().contains("pat-adult-alice")) {
                                answered.incrementAndGet();
                            }
                        } catch (IOException e) {
                            return null; // the server is gone: this client is done
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (answered.get() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (kill) {
                long postmaster = postmasterPid(data);
                child.destroyForcibly(); // SIGKILL
                child.waitFor(60, TimeUnit.SECONDS);
                ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroyForcibly);
                awaitExit(postmaster);
            } else {
                child.destroy(); // SIGTERM: Spring Boot's graceful shutdown
                assertThat(child.waitFor(120, TimeUnit.SECONDS))
                        .as("graceful stop within 2 minutes")
                        .isTrue();
            }
            stop.set(true);
            for (Future<?> client : running) {
                client.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();
            return new Load(SignedJWT.parse(token).getJWTClaimsSet().getJWTID(), answered.get());
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process start(Path data, int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-Xmx768m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CareGateApplication.class.getName(),
                        "--server.port=" + port,
                        "--caregate.public-base-url=http://localhost:" + port,
                        "--caregate.data-dir=" + data,
                        "--caregate.database.embedded.data-directory=" + data.resolve("postgres"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        data.resolve("caregate.log").toFile()));
        return builder.start();
    }

    private void awaitReady(String base, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("CareGate exited with " + child.exitValue() + " while starting");
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/fhir/metadata"))
                                .timeout(Duration.ofSeconds(30))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("CareGate did not start within 15 minutes");
    }

    /** Counts the token's records with a PostgreSQL of this test's own on the child's data directory. */
    private static long recordsOf(Path data, String jti) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(data.resolve("postgres"))
                        .setCleanDataDirectory(false)
                        .start();
                Connection connection =
                        postgres.getDatabase("postgres", "caregate").getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select count(*) from caregate_audit.audit_record where token_id = ?")) {
            query.setString(1, jti);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid"))
                .get(0)
                .trim());
    }

    private static void awaitExit(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(2000); // its backends notice and exit
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
