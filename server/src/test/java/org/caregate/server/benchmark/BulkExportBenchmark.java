package org.caregate.server.benchmark;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.caregate.server.CareGateApplication;
import org.caregate.server.testing.SmartTokens;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a Bulk Data export costs (issue: Bulk Data {@code $export}), as a command, not a test: starts CareGate on a
 * fresh embedded PostgreSQL, loads a Synthea population (made by {@code server/src/test/scripts/synthea-population.sh}) through
 * the system DAO with every patient in the care of the north clinic (a CareTeam with the clinic as participant),
 * and times {@code Group/org-clinic-north-patients/$export} by the clinic's backend client over HTTP (kick-off, status
 * polled every second, every file downloaded) at each size in {@code benchmark.sizes} (resources loaded, default
 * 10,000 and 50,000). Prints resources/s and the JVM's peak resident memory during each export.
 *
 * <p>Synthea's resources of types CareGate does not serve are left out of the load, and references to them cleared.
 */
public final class BulkExportBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int status = 0;
        try {
            new BulkExportBenchmark().run();
        } catch (Throwable e) {
            System.err.println("BENCHMARK FAILED: " + e);
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    private void run() throws Exception {
        String bundles = System.getProperty("benchmark.synthea");
        if (bundles == null || bundles.isBlank()) {
            throw new IllegalArgumentException("-Dbenchmark.synthea=<directory of Synthea FHIR bundles>: make one with "
                    + "server/src/test/scripts/synthea-population.sh 80");
        }
        Path synthea = Path.of(bundles);
        List<Long> sizes = Stream.of(
                        System.getProperty("benchmark.sizes", "10000,50000").split(","))
                .map(String::trim)
                .map(Long::parseLong)
                .toList();
        Path data = Files.createTempDirectory("caregate-bulk-benchmark-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://localhost:" + port;
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CareGateApplication.class)
                .run(
                        "--server.port=" + port,
                        "--caregate.public-base-url=" + base,
                        "--caregate.data-dir=" + data,
                        "--caregate.database.embedded.data-directory=" + data.resolve("postgres"),
                        "--logging.level.root=WARN",
                        "--logging.level.org.caregate.server.bulk=INFO");
        log("CareGate started on %s; load average %s", base, loadAverage());
        FhirContext fhir = context.getBean(FhirContext.class);
        DaoRegistry daos = context.getBean(DaoRegistry.class);
        @SuppressWarnings("unchecked")
        IFhirSystemDao<Bundle, ?> system = context.getBean(IFhirSystemDao.class);
        Set<String> served = daos.getRegisteredDaoTypes();

        List<Path> files;
        try (Stream<Path> listed = Files.list(synthea)) {
            files = listed.filter(file -> file.toString().endsWith(".json"))
                    .sorted((a, b) ->
                            Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b)) : a.compareTo(b))
                    .toList();
        }
        log("%d Synthea bundles in %s", files.size(), synthea);
        SmartTokens tokens = new SmartTokens(base, data);
        long loaded = 0;
        long skipped = 0;
        int next = 0;
        List<String> results = new ArrayList<>();
        for (long size : sizes) {
            long started = System.nanoTime();
            while (loaded < size && next < files.size()) {
                Bundle bundle;
                try (InputStream in = Files.newInputStream(files.get(next++))) {
                    bundle = fhir.newJsonParser().parseResource(Bundle.class, in);
                }
                skipped += prepare(fhir, bundle, served);
                loaded += bundle.getEntry().size();
                system.transaction(new SystemRequestDetails(), bundle);
            }
            log(
                    "loaded %,d resources (%,d of unserved types left out) in %.0f s",
                    loaded, skipped, (System.nanoTime() - started) / 1e9);
            if (loaded < size) {
                log("the population has fewer than %,d resources: generate more patients", size);
            }
            results.add(export(base, tokens.backendToken("system/*.rs"), loaded));
        }
        System.out.println();
        System.out.println("Bulk Data Group export, north clinic backend client, load average " + loadAverage());
        System.out.println("| resources loaded | resources exported | files | seconds | resources/s | JVM CPU-s "
                + "| resources per JVM CPU-s | peak RSS (MB) | peak heap (MB) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        results.forEach(System.out::println);
        context.close();
    }

    /** Synthea's hospital and practitioner bundles first: the patient bundles refer to them conditionally. */
    private static int rank(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("hospitalInformation") ? 0 : name.startsWith("practitionerInformation") ? 1 : 2;
    }

    /**
     * Leaves out the entries of types CareGate does not serve and clears references to them, and puts each patient
     * of the bundle in the north clinic's care. Returns how many entries were left out.
     */
    private static int prepare(FhirContext fhir, Bundle bundle, Set<String> served) {
        Set<String> removed = new HashSet<>();
        List<Bundle.BundleEntryComponent> kept = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (served.contains(entry.getResource().fhirType())) {
                kept.add(entry);
            } else {
                removed.add(entry.getFullUrl());
            }
        }
        for (Bundle.BundleEntryComponent entry : kept) {
            for (ResourceReferenceInfo reference : fhir.newTerser().getAllResourceReferences(entry.getResource())) {
                String target =
                        reference.getResourceReference().getReferenceElement().getValue();
                if (target != null && removed.contains(target)) {
                    reference.getResourceReference().setReference(null);
                }
            }
        }
        List<Bundle.BundleEntryComponent> patients = kept.stream()
                .filter(entry -> "Patient".equals(entry.getResource().fhirType()))
                .toList();
        for (Bundle.BundleEntryComponent patient : patients) {
            CareTeam team = new CareTeam();
            team.setStatus(CareTeam.CareTeamStatus.ACTIVE);
            team.setSubject(new Reference(patient.getFullUrl()));
            team.addParticipant().setMember(new Reference("Organization/org-clinic-north"));
            team.getPeriod().setStart(java.util.Date.from(Instant.now().minusSeconds(86_400 * 365L)));
            Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
            entry.setFullUrl("urn:uuid:" + java.util.UUID.randomUUID());
            entry.setResource(team);
            entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("CareTeam");
            kept.add(entry);
        }
        int left = bundle.getEntry().size() - (kept.size() - patients.size());
        bundle.setEntry(kept);
        return left;
    }

    private String export(String base, String token, long loaded) throws Exception {
        AtomicLong peakRss = new AtomicLong();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRss.accumulateAndGet(rssKilobytes(), Math::max);
                peakHeap.accumulateAndGet(
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        System.gc();
        sampler.start();
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        HttpResponse<String> kickOff = http.send(
                HttpRequest.newBuilder(URI.create(base + "/fhir/Group/org-clinic-north-patients/$export"))
                        .header("Authorization", "Bearer " + token)
                        .header("Prefer", "respond-async")
                        .header("Accept", "application/fhir+json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (kickOff.statusCode() != 202) {
            throw new IllegalStateException("kick-off: " + kickOff.statusCode() + " " + kickOff.body());
        }
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        JsonNode manifest;
        while (true) {
            Thread.sleep(1000);
            HttpResponse<String> poll = http.send(
                    HttpRequest.newBuilder(URI.create(status))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (poll.statusCode() == 200) {
                manifest = JSON.readTree(poll.body());
                break;
            }
            if (poll.statusCode() != 202 && poll.statusCode() != 429) {
                throw new IllegalStateException("status: " + poll.statusCode() + " " + poll.body());
            }
        }
        long resources = 0;
        int files = 0;
        for (JsonNode output : manifest.get("output")) {
            HttpResponse<InputStream> file = http.send(
                    HttpRequest.newBuilder(URI.create(output.get("url").asText()))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = file.body()) {
                byte[] buffer = new byte[65536];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    for (int i = 0; i < read; i++) {
                        if (buffer[i] == '\n') {
                            resources++;
                        }
                    }
                }
            }
            files++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        sampler.interrupt();
        sampler.join();
        String line = String.format(
                "| %,d | %,d | %d | %.1f | %,.0f | %.1f | %,.0f | %,d | %,d |",
                loaded,
                resources,
                files,
                seconds,
                resources / seconds,
                cpuSeconds,
                resources / cpuSeconds,
                peakRss.get() / 1024,
                peakHeap.get() / (1024 * 1024));
        log("export: %s", line);
        return line;
    }

    /** CPU time of this JVM (all threads), from the platform's OperatingSystemMXBean. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long rssKilobytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // not Linux: no figure
        }
        return 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void log(String format, Object... arguments) {
        System.out.printf("[bulk-benchmark] " + format + "%n", arguments);
    }
}
