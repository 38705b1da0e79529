package org.caregate.server.benchmark;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.caregate.server.CareGateApplication;
import org.caregate.server.testing.SmartTokens;
import org.caregate.server.testing.SyntheaFeedLoader;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What loading a hospital's data through the EHR feed costs, as a command (not a test): starts CareGate (security on,
 * audit on, a fresh embedded PostgreSQL), generates or reuses a Synthea population, loads it unchanged through the
 * feed over HTTP with a real {@code private_key_jwt} token, as {@code SyntheaFeedLoader} does in the test, and prints
 * resources/s and CPU-ms per resource of this JVM (CareGate and the loader) and of PostgreSQL. Options:
 * {@code -Dbenchmark.patients} (20), {@code -Dbenchmark.seed} (42), {@code -Dbenchmark.workers} (patient bundles
 * sent at a time, 2), {@code -Dbenchmark.rounds} (populations loaded one after the other into the same database, each
 * a fresh seed, 1; the first round includes the JIT's warm-up).
 */
public final class EhrFeedBenchmark {

    private EhrFeedBenchmark() {}

    public static void main(String[] args) throws Exception {
        int status = 0;
        try {
            run();
        } catch (Throwable e) {
            System.err.println("BENCHMARK FAILED: " + e);
            e.printStackTrace();
            status = 2;
        }
        System.out.flush();
        System.exit(status);
    }

    private static void run() throws IOException {
        int patients = Integer.getInteger("benchmark.patients", 20);
        long seed = Long.getLong("benchmark.seed", 42);
        int workers = Integer.getInteger("benchmark.workers", 2);
        int rounds = Integer.getInteger("benchmark.rounds", 1);
        Path data = Files.createTempDirectory("caregate-feed-benchmark-");
        int port = freePort();
        String base = "http://localhost:" + port;
        long started = System.nanoTime();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CareGateApplication.class)
                .run(
                        "--server.port=" + port,
                        "--caregate.public-base-url=" + base,
                        "--caregate.data-dir=" + data,
                        "--caregate.database.embedded.data-directory=" + data.resolve("postgres"),
                        "--logging.level.root=WARN");
        System.out.printf(
                "CareGate started on %s in %.1f s (data in %s)%n", base, (System.nanoTime() - started) / 1e9, data);
        Path postmasterPid = data.resolve("postgres").resolve("postmaster.pid");
        SmartTokens smart = new SmartTokens(base, data);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            for (int round = 0; round < rounds; round++) {
                List<Path> bundles = SyntheaFeedLoader.population(patients, seed + round);
                SyntheaFeedLoader loader =
                        new SyntheaFeedLoader(base + "/fhir", () -> smart.ehrFeedToken("system/*.cud system/*.rs"));
                long jvmBefore = os.getProcessCpuTime();
                long pgBefore = PostgresCpu.nanos(postmasterPid);
                SyntheaFeedLoader.Result result = loader.load(bundles, 2, workers);
                double jvmMillis = (os.getProcessCpuTime() - jvmBefore) / 1e6;
                double pgMillis = (PostgresCpu.nanos(postmasterPid) - pgBefore) / 1e6;
                System.out.printf(
                        "round %d: Synthea %d patients (seed %d), %d bundles, %,d resources in %.1f s: %.0f resources/s;"
                                + " CPU-ms per resource: JVM %.2f (CareGate and loader), PostgreSQL %.2f; "
                                + "%d workers, %d failures%n",
                        round + 1,
                        patients,
                        seed + round,
                        result.bundles(),
                        result.resources(),
                        result.nanos() / 1e9,
                        result.resourcesPerSecond(),
                        jvmMillis / result.resources(),
                        pgMillis / result.resources(),
                        workers,
                        result.failures().size());
                result.failures().stream().limit(20).forEach(failure -> System.out.println("  failed: " + failure));
            }
            System.out.println("vanilla HAPI 8.8.0 JPA starter on this machine (docs/DESIGN.md): 368-475 resources/s");
        } finally {
            context.close();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU of the embedded PostgreSQL: the postmaster, its live children, and its exited children (Linux /proc). */
    static final class PostgresCpu {

        static long nanos(Path postmasterPidFile) {
            try {
                if (!Files.exists(postmasterPidFile)) {
                    return 0;
                }
                String pid = Files.readAllLines(postmasterPidFile).get(0).trim();
                long[] postmaster = stat(pid);
                if (postmaster == null) {
                    return 0;
                }
                long ticks = postmaster[1] + postmaster[2] + postmaster[3] + postmaster[4];
                try (var processes = Files.list(Path.of("/proc"))) {
                    for (Path process : (Iterable<Path>) processes::iterator) {
                        String name = process.getFileName().toString();
                        if (name.chars().allMatch(Character::isDigit) && !name.equals(pid)) {
                            long[] child = stat(name);
                            if (child != null && child[0] == Long.parseLong(pid)) {
                                ticks += child[1] + child[2];
                            }
                        }
                    }
                }
                return ticks * 10_000_000L; // USER_HZ is 100 on Linux
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** ppid, utime, stime, cutime, cstime from /proc/{pid}/stat, or null if the process is gone. */
        private static long[] stat(String pid) {
            try {
                String stat = Files.readString(Path.of("/proc", pid, "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return new long[] {
                    Long.parseLong(fields[1]),
                    Long.parseLong(fields[11]),
                    Long.parseLong(fields[12]),
                    Long.parseLong(fields[13]),
                    Long.parseLong(fields[14])
                };
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
