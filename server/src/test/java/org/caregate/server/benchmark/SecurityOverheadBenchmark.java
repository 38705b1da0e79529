package org.caregate.server.benchmark;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.caregate.server.CareGateApplication;
import org.caregate.server.audit.AccessAuditInterceptor;
import org.caregate.server.audit.AuditEventWriter;
import org.caregate.server.testing.SmartTokens;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What CareGate's security chain costs, as a command (not a test): one JVM starts CareGate twice against the same
 * PostgreSQL, node A with the full FHIR security chain (bearer token, scopes, consent, search narrowing, release
 * hold, audit) and node B with {@code caregate.security.enabled=false}, and drives the same requests at both
 * (A with real tokens from the real SMART flows, B without), alternating A and B within each scenario so both share
 * the machine's noise. It prints, per scenario and node, throughput, p50/p90/p95/p99 latency, errors, and CPU-ms
 * per request (JVM, load-generator share, PostgreSQL), then the A/B ratios.
 *
 * <p>Two phases: first the scenarios whose cost may depend on the size of a provider's panel (dr.okafor's and the
 * north clinic's backend client's) on the seed data alone (14 patients); then the command loads
 * {@code benchmark.panel} generated Patients of dr.okafor ({@code generalPractitioner} {@code prac-north-gp}), each
 * with a few Observations, through node A's DAO in transaction bundles (below the REST security chain, through
 * HAPI's storage pointcuts), and runs every scenario again. The summary puts the panel-sized searches of both phases
 * side by side.
 *
 * <pre>
 * ./mvnw -B -q -pl server -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=$PWD/server/target/benchmark.classpath
 * java -cp server/target/test-classes:server/target/classes:$(cat server/target/benchmark.classpath) \
 *     [-Dbenchmark.panel=10000 -Dbenchmark.measure=20s ...] org.caregate.server.benchmark.SecurityOverheadBenchmark
 * </pre>
 *
 * System properties (durations as {@code 20s}, {@code 2m}, {@code 500ms} or ISO-8601):
 * <ul>
 *   <li>{@code benchmark.workers} concurrent clients per node (default 4)</li>
 *   <li>{@code benchmark.warmup} warm-up per phase, spread over the scenarios and both nodes (default 60s)</li>
 *   <li>{@code benchmark.measure} measured time per scenario per node (default 20s)</li>
 *   <li>{@code benchmark.rounds} A/B alternations per scenario, in ABBA order (default 2: A B B A)</li>
 *   <li>{@code benchmark.scenarios} comma-separated scenario names to run (default all)</li>
 *   <li>{@code benchmark.panel} generated patients of dr.okafor to load before the second phase (default 10000;
 *       0: no loading and a single phase)</li>
 *   <li>{@code benchmark.panel-observations} Observations per generated patient (default 3: vital signs and
 *       laboratory, alternating)</li>
 *   <li>{@code benchmark.panel-batch} resources per transaction bundle when loading (default 500)</li>
 *   <li>{@code benchmark.seed-phase} run the panel-sized scenarios on the seed data before loading (default true)</li>
 *   <li>{@code benchmark.timeout} how long a request may take before it counts as failed (default 60s)</li>
 *   <li>{@code benchmark.without-audit} also run node A with the audit interceptor unregistered (default true)</li>
 *   <li>{@code benchmark.data-dir} where the temporary database goes (default a new directory under the system
 *       temp directory, deleted at the end unless {@code benchmark.keep-data=true})</li>
 * </ul>
 * Exit status 0 when every request of the measured and warm-up phases answered 2xx, 1 otherwise.
 */
public final class SecurityOverheadBenchmark {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
    private static final String ALICE_SCOPES = "openid fhirUser launch/patient patient/*.rs";
    private static final String USER_SCOPES = "openid fhirUser user/*.rs";
    private static final String BACKEND_SCOPES = "system/*.rs";
    /** Backend tokens live 5 minutes (SMART Backend Services); user tokens an hour. Renew well before. */
    private static final Duration BACKEND_TOKEN_RENEWAL = Duration.ofMinutes(3);

    private static final Duration USER_TOKEN_RENEWAL = Duration.ofMinutes(45);

    private final int workers = Integer.getInteger("benchmark.workers", 4);
    private final Duration warmup = duration("benchmark.warmup", "60s");
    private final Duration measure = duration("benchmark.measure", "20s");
    private final int rounds = Integer.getInteger("benchmark.rounds", 2);
    private final List<String> only = csv(System.getProperty("benchmark.scenarios", ""));
    private final boolean withoutAuditVariant =
            Boolean.parseBoolean(System.getProperty("benchmark.without-audit", "true"));
    private final int panel = Integer.getInteger("benchmark.panel", 10_000);
    private final int panelObservations = Integer.getInteger("benchmark.panel-observations", 3);
    private final int panelBatch = Integer.getInteger("benchmark.panel-batch", 500);
    private final boolean seedPhase = Boolean.parseBoolean(System.getProperty("benchmark.seed-phase", "true"));
    private final Duration requestTimeout = duration("benchmark.timeout", "60s");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final List<String> failures = new ArrayList<>();

    private Node nodeA;
    private Node nodeB;
    private Variant secured;
    private Variant securedWithoutAudit;
    private Variant open;
    private AuditEventWriter auditWriter;
    private AccessAuditInterceptor auditInterceptor;
    private IInterceptorService fhirInterceptors;
    private FhirContext fhirContext;
    private Path postmasterPidFile;
    private final List<HikariDataSource> pools = new ArrayList<>();

    public static void main(String[] args) {
        int status;
        try {
            status = new SecurityOverheadBenchmark().run();
        } catch (Throwable e) {
            System.out.flush();
            System.err.println();
            System.err.println("BENCHMARK FAILED: " + e);
            e.printStackTrace();
            status = 2;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status); // stops both applications and the embedded PostgreSQL (shutdown hooks)
    }

    private int run() throws Exception {
        if (workers < 1 || rounds < 1 || measure.isZero() || measure.isNegative()) {
            throw new IllegalArgumentException(
                    "benchmark.workers, benchmark.rounds and benchmark.measure must be positive");
        }
        String startLoad = loadAverage();
        Path data = dataDirectory();
        header(startLoad, data);

        long started = System.nanoTime();
        int portA = freePort();
        String baseA = "http://localhost:" + portA;
        ConfigurableApplicationContext contextA = new SpringApplicationBuilder(CareGateApplication.class)
                .run(
                        "--server.port=" + portA,
                        "--caregate.public-base-url=" + baseA,
                        "--caregate.data-dir=" + data,
                        "--caregate.database.embedded.data-directory=" + data.resolve("postgres"),
                        "--spring.application.name=caregate-node-a",
                        "--logging.level.root=WARN");
        log("node A (security on) started on %s in %.1f s", baseA, (System.nanoTime() - started) / 1e9);

        HikariDataSource dataSourceA = contextA.getBean(HikariDataSource.class);
        pools.add(dataSourceA);
        String jdbcUrl = dataSourceA.getJdbcUrl();
        postmasterPidFile = data.resolve("postgres").resolve("postmaster.pid");
        auditWriter = contextA.getBean(AuditEventWriter.class);
        auditInterceptor = contextA.getBean(AccessAuditInterceptor.class);
        fhirInterceptors = contextA.getBean(RestfulServer.class).getInterceptorService();
        fhirContext = contextA.getBean(FhirContext.class);

        long startedB = System.nanoTime();
        int portB = freePort();
        String baseB = "http://localhost:" + portB;
        ConfigurableApplicationContext contextB = new SpringApplicationBuilder(CareGateApplication.class)
                .run(
                        "--server.port=" + portB,
                        "--caregate.public-base-url=" + baseB,
                        "--caregate.data-dir=" + data.resolve("node-b"),
                        "--caregate.security.enabled=false",
                        "--caregate.seed.enabled=false",
                        "--spring.datasource.url=" + jdbcUrl,
                        "--spring.datasource.username=" + dataSourceA.getUsername(),
                        "--spring.application.name=caregate-node-b",
                        "--logging.level.root=WARN",
                        // the warning that /fhir is open is the point of node B: keep it visible
                        "--logging.level.org.caregate.server.security.FhirSecurityConfig=WARN");
        pools.add(contextB.getBean(HikariDataSource.class));
        log(
                "node B (security OFF) started on %s against node A's database %s in %.1f s",
                baseB, jdbcUrl, (System.nanoTime() - startedB) / 1e9);

        try {
            nodeA = new Node("A", baseA + "/fhir");
            nodeB = new Node("B", baseB + "/fhir");
            secured = new Variant("A", "security on (with audit)", nodeA, true, true);
            securedWithoutAudit =
                    new Variant("A-audit", "security on, audit interceptor unregistered", nodeA, true, false);
            open = new Variant("B", "security off", nodeB, false, false);
            List<Variant> variants =
                    withoutAuditVariant ? List.of(secured, securedWithoutAudit, open) : List.of(secured, open);
            log("Tomcat request threads: node A http-nio-%d-exec-*, node B http-nio-%d-exec-*", portA, portB);

            SmartTokens smart = new SmartTokens(baseA, data);
            Map<String, Persona> personas = new LinkedHashMap<>();
            personas.put(
                    "alice",
                    new Persona(
                            "alice (patient/*.rs, launch/patient)",
                            () -> smart.userToken("alice", ALICE_SCOPES, null),
                            USER_TOKEN_RENEWAL));
            personas.put(
                    "maria",
                    new Persona(
                            "maria (user/*.rs, guardian)",
                            () -> smart.userToken("maria", USER_SCOPES, null),
                            USER_TOKEN_RENEWAL));
            personas.put(
                    "okafor",
                    new Persona(
                            "dr.okafor (user/*.rs, practitioner)",
                            () -> smart.userToken("dr.okafor", USER_SCOPES, null),
                            USER_TOKEN_RENEWAL));
            personas.put(
                    "north",
                    new Persona(
                            "backend north (system/*.rs)",
                            () -> smart.backendToken(BACKEND_SCOPES),
                            BACKEND_TOKEN_RENEWAL));
            for (Persona persona : personas.values()) {
                persona.token(); // through the real flows, now: a failure shows before any measuring
                log("token: %s", persona.label);
            }

            List<Scenario> scenarios = scenarios(personas);
            if (scenarios.isEmpty()) {
                throw new IllegalArgumentException("no scenario matches benchmark.scenarios=" + only);
            }
            List<Result> results = new ArrayList<>();
            List<Scenario> panelSized =
                    scenarios.stream().filter(scenario -> scenario.panelSized).toList();
            if (panel > 0 && seedPhase && !panelSized.isEmpty()) {
                results.addAll(phase("seed", panelSized, variants));
            }
            if (panel > 0) {
                loadPanel(contextA.getBean(IFhirSystemDao.class));
            }
            results.addAll(phase(panel > 0 ? "panel" : "seed", scenarios, variants));

            String endLoad = loadAverage();
            summary(results, startLoad, endLoad);
            if (!failures.isEmpty()) {
                System.out.println();
                System.out.println("!!!!! BENCHMARK INVALID: requests failed (every request must answer 2xx) !!!!!");
                failures.forEach(failure -> System.out.println("!!!!! " + failure));
                return 1;
            }
            return 0;
        } finally {
            stop(contextB, contextA, data);
        }
    }

    /** Describes, warms up and measures the scenarios on the data as it is now; {@code name} labels the results. */
    private List<Result> phase(String name, List<Scenario> scenarios, List<Variant> variants) throws Exception {
        int patients = patientCount();
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "==== phase '%s': %,d Patients in the database, %d scenarios ====%n",
                name,
                patients,
                scenarios.size());
        System.out.println();
        System.out.println("== Responses (one request per scenario and node, before warm-up) ==");
        Map<Scenario, String[]> entries = new LinkedHashMap<>();
        for (Scenario scenario : scenarios) {
            try {
                entries.put(scenario, describe(scenario));
            } catch (NoSecondPage e) {
                System.out.printf(Locale.ROOT, "%-19s skipped in this phase: %s%n", scenario.name, e.getMessage());
            } catch (IllegalStateException e) {
                // a first request (or the first page of a page-2 scenario) that fails: reported, not measured
                String failure =
                        String.format(Locale.ROOT, "%s [%s]: %s: not measured", scenario.name, name, e.getMessage());
                failures.add(failure);
                System.out.println("!!!!! " + failure);
            } catch (java.net.http.HttpTimeoutException e) {
                String failure = String.format(
                        Locale.ROOT,
                        "%s [%s]: no answer within %d s (%s): not measured",
                        scenario.name,
                        name,
                        requestTimeout.toSeconds(),
                        scenario.path);
                failures.add(failure);
                System.out.println("!!!!! " + failure);
            }
        }
        scenarios = List.copyOf(entries.keySet());

        Duration warmupSlice = warmup.dividedBy(Math.max(1, scenarios.size() * 2L));
        if (!warmupSlice.isZero()) {
            System.out.println();
            log(
                    "warm-up: %s in total, %d ms per scenario and node, %d workers",
                    warmup, warmupSlice.toMillis(), workers);
            for (Scenario scenario : scenarios) {
                Map<Variant, Slice> slices = new LinkedHashMap<>();
                slices.put(secured, drive(secured, scenario, warmupSlice));
                slices.put(open, drive(open, scenario, warmupSlice));
                check("warm-up", scenario, slices);
            }
        }

        System.out.println();
        log(
                "measuring: %s per scenario and variant (%s) in %d rounds, order reversed every other round, %d workers",
                measure, variants.stream().map(v -> v.name).collect(Collectors.joining(", ")), rounds, workers);
        Duration slice = measure.dividedBy(rounds);
        List<Result> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            Map<Variant, Slice> totals = new LinkedHashMap<>();
            variants.forEach(variant -> totals.put(variant, new Slice()));
            for (int round = 0; round < rounds; round++) {
                List<Variant> order = new ArrayList<>(variants);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (Variant variant : order) {
                    totals.get(variant).add(drive(variant, scenario, slice));
                }
            }
            check("measured", scenario, totals);
            String[] described = entries.get(scenario);
            Result result = new Result(name, patients, scenario, described[0], described[1], totals);
            results.add(result);
            result.print();
        }
        return results;
    }

    /** How many Patients the database holds (node B, which counts them all). */
    private int patientCount() throws IOException, InterruptedException {
        Response response = nodeB.once("Patient?_summary=count", null);
        if (response.status != 200 || !(response.resource instanceof Bundle bundle) || !bundle.hasTotal()) {
            throw new IllegalStateException(
                    "node B did not count the Patients: " + response.status + " " + response.body);
        }
        return bundle.getTotal();
    }

    // ----- the panel -----

    /**
     * Loads {@code benchmark.panel} Patients whose general practitioner is {@code Practitioner/prac-north-gp}
     * (dr.okafor, of the north clinic: his patients and the north backend client's), with
     * {@code benchmark.panel-observations} Observations each, as transaction bundles of about
     * {@code benchmark.panel-batch} resources stored through node A's system DAO with a {@link SystemRequestDetails}:
     * below the REST security chain (no token, no audit), but through HAPI's storage pointcuts, as the seed is.
     */
    @SuppressWarnings("unchecked")
    private void loadPanel(IFhirSystemDao<?, ?> dao) throws Exception {
        IFhirSystemDao<Bundle, ?> systemDao = (IFhirSystemDao<Bundle, ?>) dao;
        int perPatient = 1 + Math.max(0, panelObservations);
        int patientsPerBundle = Math.max(1, panelBatch / perPatient);
        int bundles = (panel + patientsPerBundle - 1) / patientsPerBundle;
        System.out.println();
        log(
                "loading the panel: %,d Patients of Practitioner/prac-north-gp with %d Observations each (%,d resources) "
                        + "in %d transaction bundles of up to %d resources, 2 at a time, through node A's DAO",
                panel, panelObservations, (long) panel * perPatient, bundles, patientsPerBundle * perPatient);
        long started = System.nanoTime();
        long cpuBefore = os.getProcessCpuTime();
        long pgBefore = postgresCpuNanos();
        ExecutorService loaders = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "panel-loader");
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<?>> loading = new ArrayList<>();
            for (int b = 0; b < bundles; b++) {
                int first = b * patientsPerBundle;
                int last = Math.min(panel, first + patientsPerBundle);
                loading.add(loaders.submit(() -> {
                    systemDao.transaction(new SystemRequestDetails(), panelBundle(first, last));
                    int finished = done.incrementAndGet();
                    if (finished % Math.max(1, bundles / 10) == 0 || finished == bundles) {
                        log(
                                "  %d of %d bundles stored (%.0f s)",
                                finished, bundles, (System.nanoTime() - started) / 1e9);
                    }
                    return null;
                }));
            }
            for (Future<?> future : loading) {
                future.get();
            }
        } finally {
            loaders.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        log(
                "loaded %,d resources in %.1f s (%.0f resources/s; JVM %.0f CPU-s, PostgreSQL %.0f CPU-s)",
                (long) panel * perPatient,
                seconds,
                panel * perPatient / seconds,
                (os.getProcessCpuTime() - cpuBefore) / 1e9,
                (postgresCpuNanos() - pgBefore) / 1e9);
    }

    /** Patients {@code bench-0001...} with their Observations, as one transaction of PUTs (client-assigned ids). */
    private Bundle panelBundle(int first, int last) {
        String[] families = {
            "Andersen",
            "Baptiste",
            "Chen",
            "Diallo",
            "Eriksen",
            "Fischer",
            "Garcia",
            "Haddad",
            "Ivanova",
            "Jansen",
            "Kowalski",
            "Lopez",
            "Mensah",
            "Novak",
            "Okoro",
            "Petrov",
            "Quispe",
            "Rossi"
        };
        String[] given = {
            "Ana", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam", "Mia",
            "Noah", "Olga", "Pavel"
        };
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = first; i < last; i++) {
            String id = String.format(Locale.ROOT, "bench-%05d", i + 1);
            Patient patient = new Patient();
            patient.setId(id);
            patient.addIdentifier()
                    .setSystem("https://fhir.caregate.example/sid/benchmark")
                    .setValue(id);
            patient.setActive(true);
            patient.addName().setFamily(families[i % families.length]).addGiven(given[(i / 7) % given.length]);
            patient.setGender(
                    i % 2 == 0 ? Enumerations.AdministrativeGender.FEMALE : Enumerations.AdministrativeGender.MALE);
            // adults of 20 to 79: no guardian or age rule is involved
            patient.setBirthDateElement(new DateType(
                    java.sql.Date.valueOf(today.minusYears(20 + i % 60).minusDays(1 + i % 300))));
            patient.addGeneralPractitioner(new Reference("Practitioner/prac-north-gp").setDisplay("Dr. Samuel Okafor"));
            add(bundle, patient);
            for (int o = 0; o < panelObservations; o++) {
                boolean vital = o % 2 == 0;
                Observation observation = new Observation();
                observation.setId(id + "-obs-" + (o + 1));
                observation.setStatus(Observation.ObservationStatus.FINAL);
                observation
                        .addCategory()
                        .addCoding()
                        .setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                        .setCode(vital ? "vital-signs" : "laboratory")
                        .setDisplay(vital ? "Vital Signs" : "Laboratory");
                observation
                        .getCode()
                        .addCoding()
                        .setSystem("http://loinc.org")
                        .setCode(vital ? "8867-4" : "718-7")
                        .setDisplay(vital ? "Heart rate" : "Hemoglobin [Mass/volume] in Blood");
                observation.setSubject(new Reference("Patient/" + id));
                observation.setEffective(new DateTimeType(java.util.Date.from(
                        today.minusDays(30L + 20L * o + i % 20).atTime(9, 0).toInstant(java.time.ZoneOffset.UTC))));
                observation.setValue(
                        vital
                                ? new Quantity()
                                        .setValue(60 + i % 40)
                                        .setUnit("beats/minute")
                                        .setSystem("http://unitsofmeasure.org")
                                        .setCode("/min")
                                : new Quantity()
                                        .setValue(11 + (i % 50) / 10.0)
                                        .setUnit("g/dL")
                                        .setSystem("http://unitsofmeasure.org")
                                        .setCode("g/dL"));
                add(bundle, observation);
            }
        }
        return bundle;
    }

    private static void add(Bundle bundle, Resource resource) {
        String url = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        bundle.addEntry()
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(url);
    }

    // ----- scenarios -----

    private List<Scenario> scenarios(Map<String, Persona> personas) {
        Persona alice = personas.get("alice");
        Persona maria = personas.get("maria");
        Persona okafor = personas.get("okafor");
        Persona north = personas.get("north");
        List<Scenario> all = new ArrayList<>();
        all.add(new Scenario("read-alice", "GET Patient/{id}: own record", alice, "Patient/pat-adult-alice"));
        all.add(new Scenario(
                "read-child", "GET Patient/{id}: guardian reads her 4-year-old", maria, "Patient/pat-family-4"));
        all.add(new Scenario(
                        "read-okafor",
                        "GET Patient/{id}: practitioner reads a panel patient",
                        okafor,
                        "Patient/pat-adult-alice")
                .panelSized());
        all.add(new Scenario(
                        "read-backend",
                        "GET Patient/{id}: backend client of the north clinic",
                        north,
                        "Patient/pat-adult-bob")
                .panelSized());
        all.add(new Scenario(
                "obs-20-alice",
                "patient search: 20 Observations",
                alice,
                "Observation?patient=pat-adult-alice&_count=20"));
        all.add(new Scenario(
                "obs-20-child",
                "guardian search: 20 Observations of the 4-year-old",
                maria,
                "Observation?patient=pat-family-4&_count=20"));
        all.add(new Scenario(
                        "obs-20-okafor",
                        "practitioner search: 20 Observations of a panel patient",
                        okafor,
                        "Observation?patient=pat-adult-alice&_count=20")
                .panelSized());
        all.add(new Scenario(
                        "obs-20-backend",
                        "backend search: 20 Observations of a north clinic patient",
                        north,
                        "Observation?patient=pat-adult-bob&_count=20")
                .panelSized());
        all.add(new Scenario(
                "obs-lab-alice",
                "patient search: laboratory Observations",
                alice,
                "Observation?patient=pat-adult-alice&category=laboratory"));
        all.add(new Scenario(
                "obs-lab-child",
                "guardian search: laboratory Observations of the 4-year-old",
                maria,
                "Observation?patient=pat-family-4&category=laboratory"));
        all.add(new Scenario(
                        "obs-lab-okafor",
                        "practitioner search: a panel patient's laboratory Observations",
                        okafor,
                        "Observation?patient=pat-adult-alice&category=laboratory")
                .panelSized());
        all.add(new Scenario(
                        "obs-lab-backend",
                        "backend search: a north clinic patient's laboratory Observations",
                        north,
                        "Observation?patient=pat-adult-bob&category=laboratory")
                .panelSized());
        all.add(new Scenario(
                        "patients-okafor",
                        "practitioner's panel: Patient?_count=20 (B: all patients)",
                        okafor,
                        "Patient?_count=20")
                .panelSized());
        all.add(new Scenario(
                        "patients-okafor-p2",
                        "practitioner's panel: page 2 of Patient?_count=20 (the next link)",
                        okafor,
                        "Patient?_count=20")
                .secondPage()
                .panelSized());
        all.add(new Scenario(
                        "obs-okafor",
                        "practitioner's panel: Observation?_count=20 (B: all Observations)",
                        okafor,
                        "Observation?_count=20")
                .panelSized());
        all.add(new Scenario(
                        "obs-okafor-p2",
                        "practitioner's panel: page 2 of Observation?_count=20 (the next link)",
                        okafor,
                        "Observation?_count=20")
                .secondPage()
                .panelSized());
        all.add(new Scenario(
                        "patients-backend",
                        "backend client's panel: Patient?_count=20 (B: all patients)",
                        north,
                        "Patient?_count=20")
                .panelSized());
        all.add(new Scenario(
                        "patients-backend-p2",
                        "backend client's panel: page 2 of Patient?_count=20 (the next link)",
                        north,
                        "Patient?_count=20")
                .secondPage()
                .panelSized());
        all.add(new Scenario(
                        "obs-backend",
                        "backend client's panel: Observation?_count=20 (B: all Observations)",
                        north,
                        "Observation?_count=20")
                .panelSized());
        all.add(new Scenario(
                        "obs-backend-p2",
                        "backend client's panel: page 2 of Observation?_count=20 (the next link)",
                        north,
                        "Observation?_count=20")
                .secondPage()
                .panelSized());
        return all.stream()
                .filter(scenario -> only.isEmpty() || only.contains(scenario.name))
                .collect(Collectors.toList());
    }

    /** One request on each node: status, entries, bytes; returns A's and B's entry summaries. */
    private String[] describe(Scenario scenario) throws Exception {
        String pathA = path(secured, scenario);
        String pathB = path(open, scenario);
        Response a = nodeA.once(pathA, scenario.persona.token());
        Response b = nodeB.once(pathB, null);
        System.out.printf(Locale.ROOT, "%-19s %s%n", scenario.name, scenario.description);
        System.out.printf(
                Locale.ROOT,
                "  A as %-38s GET %-58s -> %d, %s, %,d bytes%n",
                scenario.persona.label,
                shortUrl(pathA),
                a.status,
                a.summary(),
                a.bytes);
        System.out.printf(
                Locale.ROOT,
                "  B %-41s GET %-58s -> %d, %s, %,d bytes%n",
                "without a token",
                shortUrl(pathB),
                b.status,
                b.summary(),
                b.bytes);
        if (a.status != 200 || b.status != 200) {
            throw new IllegalStateException("first request answered A " + a.status + ", B " + b.status + ": "
                    + (a.status != 200 ? a.body : b.body));
        }
        return new String[] {a.summary(), b.summary()};
    }

    /**
     * The request of a scenario for a variant: its path, or for a second page the {@code next} link of a first page
     * fetched just now on the variant's node with the variant's token (B's link has the same shape as A's: HAPI's
     * {@code _getpages}), so that paging state never expires during a run.
     */
    private String path(Variant variant, Scenario scenario) throws IOException, InterruptedException {
        if (!scenario.secondPage) {
            return scenario.path;
        }
        Response first = variant.node.once(scenario.path, variant.secured ? scenario.persona.token() : null);
        if (first.status != 200 || !(first.resource instanceof Bundle bundle)) {
            throw new IllegalStateException(
                    scenario.name + ": page 1 on " + variant.name + " answered " + first.status + " " + first.body);
        }
        Bundle.BundleLinkComponent next = bundle.getLink(Bundle.LINK_NEXT);
        if (next == null || !next.hasUrl()) {
            throw new NoSecondPage("page 1 on " + variant.name + " has no next link (" + first.summary() + ")");
        }
        return next.getUrl();
    }

    /** A first page that is the only one: on the seed data alone, a panel of 8 patients has no page 2 of 20. */
    private static final class NoSecondPage extends IllegalStateException {
        NoSecondPage(String message) {
            super(message);
        }
    }

    /** A next link without the node's base URL, shortened for the log. */
    private static String shortUrl(String path) {
        String relative = path.replaceFirst("^https?://[^/]+/fhir/?", "");
        return relative.length() > 58 ? relative.substring(0, 57) + "…" : relative;
    }

    private void check(String phase, Scenario scenario, Map<Variant, Slice> slices) {
        slices.forEach((variant, slice) -> {
            if (slice.errors > 0) {
                String failure = String.format(
                        Locale.ROOT,
                        "%s %s on %s: %d non-2xx or failed of %d requests, first: %s",
                        phase,
                        scenario.name,
                        variant.name,
                        slice.errors,
                        slice.requests(),
                        slice.firstError);
                failures.add(failure);
                System.out.println("!!!!! ERRORS: " + failure);
            }
        });
    }

    // ----- load -----

    /** {@code workers} clients send the scenario's request back to back for {@code duration}. */
    private Slice drive(Variant variant, Scenario scenario, Duration duration) throws Exception {
        Node node = variant.node;
        HttpRequest request = node.request(path(variant, scenario), variant.secured ? scenario.persona.token() : null);
        if (variant.secured && !variant.audited) {
            fhirInterceptors.unregisterInterceptor(auditInterceptor);
        }
        AuditEventWriter.Statistics auditBefore = auditWriter.statistics();
        AccessAuditInterceptor.RecordingCost recordingBefore = auditInterceptor.cost();
        PgStats pgBefore = pgStats();
        Cpu before = cpu();
        long[] gcBefore = gc();
        long end = System.nanoTime() + duration.toNanos();
        List<Future<Worker>> running = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Worker worker = new Worker(node.http, request, end);
            running.add(node.workers.submit(worker));
        }
        long start = System.nanoTime();
        Slice slice = new Slice();
        for (Future<Worker> future : running) {
            slice.add(future.get());
        }
        slice.wallNanos = System.nanoTime() - start;
        long flushStart = System.nanoTime();
        auditWriter.flush(); // A's background audit writes belong to A's CPU, not to the next slice
        slice.auditFlushNanos = System.nanoTime() - flushStart;
        if (variant.secured && !variant.audited) {
            fhirInterceptors.registerInterceptor(auditInterceptor);
        }
        Cpu after = cpu();
        PgStats pgAfter = pgStats();
        slice.pgTransactions = pgAfter.transactions - pgBefore.transactions - pgAfter.probes;
        slice.pgScans = pgAfter.scans - pgBefore.scans;
        slice.pgRows = pgAfter.rows - pgBefore.rows;
        pgAfter.tables.forEach((table, counts) -> {
            long[] old = pgBefore.tables.getOrDefault(table, new long[3]);
            long[] delta = {counts[0] - old[0], counts[1] - old[1], counts[2] - old[2]};
            if (delta[0] + delta[1] > 0) {
                slice.tables.put(table, delta);
            }
        });
        AuditEventWriter.Statistics auditAfter = auditWriter.statistics();
        AccessAuditInterceptor.RecordingCost recordingAfter = auditInterceptor.cost();
        slice.auditEvents = auditAfter.storedInBackground()
                + auditAfter.storedSynchronously()
                - auditBefore.storedInBackground()
                - auditBefore.storedSynchronously();
        slice.auditEventsOnRequestThreads = auditAfter.storedSynchronously() - auditBefore.storedSynchronously();
        slice.auditStoreCpuNanos = auditAfter.storeCpuNanos() - auditBefore.storeCpuNanos();
        slice.auditPrepareCpuNanos = auditAfter.prepareCpuNanos() - auditBefore.prepareCpuNanos();
        slice.auditBatches = auditAfter.batches() - auditBefore.batches();
        slice.auditRecordCpuNanos = recordingAfter.cpuNanos() - recordingBefore.cpuNanos();
        long[] gcAfter = gc();
        slice.processCpuNanos = after.process - before.process;
        slice.clientCpuNanos = after.client - before.client;
        slice.postgresCpuNanos = after.postgres - before.postgres;
        slice.gcCount = gcAfter[0] - gcBefore[0];
        slice.gcMillis = gcAfter[1] - gcBefore[1];
        return slice;
    }

    private static final class Worker implements java.util.concurrent.Callable<Worker> {
        private final HttpClient http;
        private final HttpRequest request;
        private final long end;
        long[] latencies = new long[4096];
        int count;
        int errors;
        String firstError;

        Worker(HttpClient http, HttpRequest request, long end) {
            this.http = http;
            this.request = request;
            this.end = end;
        }

        @Override
        public Worker call() {
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                try {
                    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() / 100 != 2) {
                        error(response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    error(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = System.nanoTime() - start;
            }
            return this;
        }

        private void error(String what) {
            errors++;
            if (firstError == null) {
                firstError = what.length() > 300 ? what.substring(0, 300) + "…" : what;
            }
        }
    }

    /** Requests of one node in one scenario (one slice, or several added together). */
    private static final class Slice {
        long[] latencies = new long[0];
        int errors;
        String firstError;
        long wallNanos;
        long processCpuNanos;
        long clientCpuNanos;
        long postgresCpuNanos;
        long auditFlushNanos;
        long auditEvents;
        long pgTransactions;
        long pgScans;
        long pgRows;
        final Map<String, long[]> tables = new java.util.HashMap<>();
        long auditEventsOnRequestThreads;
        long auditStoreCpuNanos;
        long auditPrepareCpuNanos;
        long auditBatches;
        long auditRecordCpuNanos;
        long gcCount;
        long gcMillis;

        int requests() {
            return latencies.length;
        }

        void add(Worker worker) {
            int old = latencies.length;
            latencies = Arrays.copyOf(latencies, old + worker.count);
            System.arraycopy(worker.latencies, 0, latencies, old, worker.count);
            errors += worker.errors;
            if (firstError == null) {
                firstError = worker.firstError;
            }
        }

        void add(Slice other) {
            int old = latencies.length;
            latencies = Arrays.copyOf(latencies, old + other.latencies.length);
            System.arraycopy(other.latencies, 0, latencies, old, other.latencies.length);
            errors += other.errors;
            if (firstError == null) {
                firstError = other.firstError;
            }
            wallNanos += other.wallNanos;
            processCpuNanos += other.processCpuNanos;
            clientCpuNanos += other.clientCpuNanos;
            postgresCpuNanos += other.postgresCpuNanos;
            auditFlushNanos += other.auditFlushNanos;
            auditEvents += other.auditEvents;
            pgTransactions += other.pgTransactions;
            pgScans += other.pgScans;
            pgRows += other.pgRows;
            other.tables.forEach((table, counts) ->
                    tables.merge(table, counts.clone(), (x, y) -> new long[] {x[0] + y[0], x[1] + y[1], x[2] + y[2]}));
            auditEventsOnRequestThreads += other.auditEventsOnRequestThreads;
            auditStoreCpuNanos += other.auditStoreCpuNanos;
            auditPrepareCpuNanos += other.auditPrepareCpuNanos;
            auditBatches += other.auditBatches;
            auditRecordCpuNanos += other.auditRecordCpuNanos;
            gcCount += other.gcCount;
            gcMillis += other.gcMillis;
        }

        double throughput() {
            return requests() / (wallNanos / 1e9);
        }

        double percentileMillis(double percentile) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
            return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] / 1e6;
        }

        double perRequestMillis(long nanos) {
            return requests() == 0 ? Double.NaN : nanos / 1e6 / requests();
        }
    }

    private record Cpu(long process, long client, long postgres) {}

    private record PgStats(long transactions, long scans, long rows, long probes, Map<String, long[]> tables) {}

    /**
     * PostgreSQL's cumulative counters for the database: transactions, table scans (index and sequential) and rows
     * read. A backend publishes its counters when it goes idle at most once a second (else 10 s later), so first
     * every pooled connection of both nodes runs one statement after a pause: the counters then include everything
     * up to now. Those probes (one transaction each, and this query's) are subtracted.
     */
    private PgStats pgStats() {
        long probes = 0;
        try {
            Thread.sleep(1100);
            List<java.sql.Connection> held = new ArrayList<>();
            try {
                for (HikariDataSource pool : pools) {
                    int size = pool.getHikariPoolMXBean() == null
                            ? pool.getMaximumPoolSize()
                            : pool.getHikariPoolMXBean().getTotalConnections();
                    for (int i = 0; i < size; i++) {
                        java.sql.Connection connection = pool.getConnection();
                        held.add(connection);
                        try (var statement = connection.createStatement()) {
                            statement.execute("select 1");
                        }
                        probes++;
                    }
                }
            } finally {
                for (java.sql.Connection connection : held) {
                    connection.close();
                }
            }
            try (java.sql.Connection connection = pools.get(0).getConnection();
                    var statement = connection.createStatement()) {
                statement.execute("select pg_stat_clear_snapshot()");
                long transactions;
                long rows;
                try (var rs = statement.executeQuery("select xact_commit + xact_rollback, tup_returned + tup_fetched "
                        + "from pg_stat_database where datname = current_database()")) {
                    rs.next();
                    transactions = rs.getLong(1);
                    rows = rs.getLong(2);
                }
                long scans = 0;
                Map<String, long[]> tables = new java.util.HashMap<>();
                try (var rs = statement.executeQuery("select relname, coalesce(seq_scan, 0), coalesce(idx_scan, 0), "
                        + "coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) from pg_stat_all_tables "
                        + "where schemaname not in ('pg_catalog', 'information_schema', 'pg_toast')")) {
                    while (rs.next()) {
                        long[] counts = {rs.getLong(2), rs.getLong(3), rs.getLong(4)};
                        tables.merge(
                                rs.getString(1), counts, (x, y) -> new long[] {x[0] + y[0], x[1] + y[1], x[2] + y[2]});
                        scans += counts[0] + counts[1];
                    }
                }
                return new PgStats(transactions, scans, rows, probes + 3, tables);
            }
        } catch (java.sql.SQLException | InterruptedException e) {
            return new PgStats(0, 0, 0, 0, Map.of());
        }
    }

    /** Process CPU (both nodes, the load generator, everything in this JVM), the load generator's share, PostgreSQL. */
    private Cpu cpu() {
        long client = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("bench-") || name.startsWith("HttpClient-")) {
                long time = threads.getThreadCpuTime(thread.getId());
                if (time > 0) {
                    client += time;
                }
            }
        }
        return new Cpu(os.getProcessCpuTime(), client, postgresCpuNanos());
    }

    /**
     * CPU of the embedded PostgreSQL: the postmaster and its live children (from /proc), plus what exited children
     * used (the postmaster's cutime/cstime). Linux only; 0 elsewhere.
     */
    private long postgresCpuNanos() {
        try {
            if (postmasterPidFile == null || !Files.exists(postmasterPidFile)) {
                return 0;
            }
            String pid = Files.readAllLines(postmasterPidFile).get(0).trim();
            long ticks = 0;
            long[] postmaster = procStat(pid);
            if (postmaster == null) {
                return 0;
            }
            ticks += postmaster[1] + postmaster[2] + postmaster[3] + postmaster[4];
            try (var processes = Files.list(Path.of("/proc"))) {
                for (Path process : (Iterable<Path>) processes::iterator) {
                    String name = process.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit) || name.equals(pid)) {
                        continue;
                    }
                    long[] stat = procStat(name);
                    if (stat != null && stat[0] == Long.parseLong(pid)) {
                        ticks += stat[1] + stat[2];
                    }
                }
            }
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** ppid, utime, stime, cutime, cstime from /proc/{pid}/stat, or null if the process is gone. */
    private static long[] procStat(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state (field 3 of proc(5)); ppid is field 4, utime 14, stime 15, cutime 16, cstime 17
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

    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, bean.getCollectionCount());
            millis += Math.max(0, bean.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    // ----- nodes, personas, scenarios -----

    private final class Node {
        final String name;
        final String fhirBase;
        final ExecutorService workers;
        final HttpClient http;

        Node(String name, String fhirBase) {
            this.name = name;
            this.fhirBase = fhirBase;
            AtomicInteger counter = new AtomicInteger();
            // fixed pools: their threads live as long as the JVM, so per-thread CPU deltas add up exactly
            this.workers = Executors.newFixedThreadPool(SecurityOverheadBenchmark.this.workers, runnable -> {
                Thread thread = new Thread(runnable, "bench-" + name + "-worker-" + counter.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            AtomicInteger httpCounter = new AtomicInteger();
            this.http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .executor(Executors.newFixedThreadPool(2, runnable -> {
                        Thread thread =
                                new Thread(runnable, "bench-" + name + "-http-" + httpCounter.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    }))
                    .build();
        }

        HttpRequest request(String path, String token) {
            URI uri = URI.create(
                    path.startsWith("http://") || path.startsWith("https://") ? path : fhirBase + "/" + path);
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .header("Accept", "application/fhir+json")
                    .GET();
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            return builder.build();
        }

        Response once(String path, String token) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request(path, token), HttpResponse.BodyHandlers.ofString());
            IBaseResource resource = null;
            if (response.statusCode() == 200) {
                resource = fhirContext.newJsonParser().parseResource(response.body());
            }
            return new Response(
                    response.statusCode(),
                    response.body(),
                    response.body().getBytes(StandardCharsets.UTF_8).length,
                    resource);
        }
    }

    private record Response(int status, String body, int bytes, IBaseResource resource) {
        String summary() {
            if (resource instanceof Bundle bundle) {
                long matches = bundle.getEntry().stream()
                        .filter(entry -> entry.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE)
                        .count();
                return matches + " entries" + (bundle.hasTotal() ? " (total " + bundle.getTotal() + ")" : "");
            }
            return resource == null
                    ? "-"
                    : resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        }
    }

    private static final class Persona {
        final String label;
        final Supplier<String> obtain;
        final Duration renewal;
        String token;
        long obtainedAt;

        Persona(String label, Supplier<String> obtain, Duration renewal) {
            this.label = label;
            this.obtain = obtain;
            this.renewal = renewal;
        }

        /** A token obtained through the real flow, renewed well before it expires. */
        String token() {
            if (token == null || System.nanoTime() - obtainedAt > renewal.toNanos()) {
                token = obtain.get();
                obtainedAt = System.nanoTime();
            }
            return token;
        }
    }

    /** Which node, with or without a token, and (node A) with or without the audit interceptor. */
    private static final class Variant {
        final String name;
        final String description;
        final Node node;
        final boolean secured;
        final boolean audited;

        Variant(String name, String description, Node node, boolean secured, boolean audited) {
            this.name = name;
            this.description = description;
            this.node = node;
            this.secured = secured;
            this.audited = audited;
        }
    }

    private static final class Scenario {
        final String name;
        final String description;
        final Persona persona;
        final String path;
        /** Page 2: the {@code next} link of {@link #path}'s first page. */
        boolean secondPage;
        /** A request of a provider or backend client whose panel the second phase enlarges. */
        boolean panelSized;

        Scenario(String name, String description, Persona persona, String path) {
            this.name = name;
            this.description = description;
            this.persona = persona;
            this.path = path;
        }

        Scenario secondPage() {
            secondPage = true;
            return this;
        }

        Scenario panelSized() {
            panelSized = true;
            return this;
        }
    }

    // ----- output -----

    private final class Result {
        final String phase;
        final int patients;
        final Scenario scenario;
        final String entriesA;
        final String entriesB;
        final Map<Variant, Slice> slices;

        Result(
                String phase,
                int patients,
                Scenario scenario,
                String entriesA,
                String entriesB,
                Map<Variant, Slice> slices) {
            this.phase = phase;
            this.patients = patients;
            this.scenario = scenario;
            this.entriesA = entriesA;
            this.entriesB = entriesB;
            this.slices = slices;
        }

        Slice of(Variant variant) {
            return slices.get(variant);
        }

        /** This JVM's CPU minus the load generator's threads: both servers' request work, plus audit storage. */
        double serverCpu(Slice slice) {
            return slice.perRequestMillis(slice.processCpuNanos - slice.clientCpuNanos);
        }

        void print() {
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "-- %s [%s, %,d patients]: %s; A as %s --%n",
                    scenario.name,
                    phase,
                    patients,
                    scenario.description,
                    scenario.persona.label);
            System.out.printf(
                    Locale.ROOT,
                    "   %-8s %8s %8s %7s %7s %7s %7s %6s %8s %8s %8s %8s %8s %7s %7s %7s %7s %8s%n",
                    "variant",
                    "requests",
                    "req/s",
                    "p50 ms",
                    "p90 ms",
                    "p95 ms",
                    "p99 ms",
                    "errors",
                    "JVM CPU",
                    "client",
                    "server",
                    "audit",
                    "PG CPU",
                    "GC ms",
                    "events",
                    "PG tx",
                    "scans",
                    "PG rows");
            slices.forEach(this::line);
            System.out.println("   (CPU columns in ms per request; server = JVM - client; audit = the audit writer's "
                    + "storing, part of server; events = AuditEvents stored; PG tx = transactions, scans = table/index "
                    + "scans, PG rows = rows read: all per request)");
            Slice a = of(secured);
            Slice b = of(open);
            System.out.printf(
                    Locale.ROOT,
                    "   A/B: throughput %.2f, p50 %.2f, p95 %.2f, p99 %.2f, server CPU %.2f, " + "PG CPU %.2f%n",
                    a.throughput() / b.throughput(),
                    a.percentileMillis(50) / b.percentileMillis(50),
                    a.percentileMillis(95) / b.percentileMillis(95),
                    a.percentileMillis(99) / b.percentileMillis(99),
                    serverCpu(a) / serverCpu(b),
                    a.perRequestMillis(a.postgresCpuNanos) / b.perRequestMillis(b.postgresCpuNanos));
            Slice a0 = of(securedWithoutAudit);
            if (a0 != null) {
                System.out.printf(
                        Locale.ROOT,
                        "   (A-audit)/B: throughput %.2f, p50 %.2f, p95 %.2f, p99 %.2f, server "
                                + "CPU %.2f, PG CPU %.2f%n",
                        a0.throughput() / b.throughput(),
                        a0.percentileMillis(50) / b.percentileMillis(50),
                        a0.percentileMillis(95) / b.percentileMillis(95),
                        a0.percentileMillis(99) / b.percentileMillis(99),
                        serverCpu(a0) / serverCpu(b),
                        a0.perRequestMillis(a0.postgresCpuNanos) / b.perRequestMillis(b.postgresCpuNanos));
            }
            System.out.println("   tables per request (seq scans / index scans / rows read), the 4 most read:");
            slices.forEach((variant, slice) -> System.out.printf(
                    Locale.ROOT,
                    "     %-8s %s%n",
                    variant.name,
                    slice.tables.entrySet().stream()
                            .sorted((x, y) -> Long.compare(y.getValue()[2], x.getValue()[2]))
                            .limit(4)
                            .map(e -> String.format(
                                    Locale.ROOT,
                                    "%s %.1f/%.1f/%.0f",
                                    e.getKey(),
                                    perRequest(slice, e.getValue()[0]),
                                    perRequest(slice, e.getValue()[1]),
                                    perRequest(slice, e.getValue()[2])))
                            .collect(Collectors.joining(", "))));
            System.out.printf(
                    Locale.ROOT,
                    "   audit on A: %d records in %d batches; per record %.3f CPU-ms to build "
                            + "the row on the request thread and %.3f CPU-ms in the writer thread; %.3f CPU-ms per request in "
                            + "the interceptor (building the AuditEvents, storing them, waiting for the commit); %d stored on "
                            + "request threads%n",
                    a.auditEvents,
                    a.auditBatches,
                    a.auditEvents == 0 ? 0 : a.auditPrepareCpuNanos / 1e6 / a.auditEvents,
                    a.auditEvents == 0 ? 0 : a.auditStoreCpuNanos / 1e6 / a.auditEvents,
                    a.perRequestMillis(a.auditRecordCpuNanos),
                    a.auditEventsOnRequestThreads);
        }

        private void line(Variant variant, Slice slice) {
            System.out.printf(
                    Locale.ROOT,
                    "   %-8s %8d %8.1f %7.2f %7.2f %7.2f %7.2f %6d %8.2f %8.2f %8.2f %8.2f %8.2f %7d %7.2f %7.1f %7.1f %8.1f%n",
                    variant.name,
                    slice.requests(),
                    slice.throughput(),
                    slice.percentileMillis(50),
                    slice.percentileMillis(90),
                    slice.percentileMillis(95),
                    slice.percentileMillis(99),
                    slice.errors,
                    slice.perRequestMillis(slice.processCpuNanos),
                    slice.perRequestMillis(slice.clientCpuNanos),
                    serverCpu(slice),
                    slice.perRequestMillis(slice.auditStoreCpuNanos),
                    slice.perRequestMillis(slice.postgresCpuNanos),
                    slice.gcMillis,
                    perRequest(slice, slice.auditEvents),
                    perRequest(slice, slice.pgTransactions),
                    perRequest(slice, slice.pgScans),
                    perRequest(slice, slice.pgRows));
        }

        private double perRequest(Slice slice, long count) {
            return slice.requests() == 0 ? 0.0 : (double) count / slice.requests();
        }
    }

    private void summary(List<Result> results, String startLoad, String endLoad) {
        boolean split = withoutAuditVariant;
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "== Summary (markdown): %s, %d workers, %s per scenario and variant after %s "
                        + "warm-up per phase; load average %s at start, %s at end ==%n",
                ZonedDateTime.now().format(TIMESTAMP),
                workers,
                measure,
                warmup,
                startLoad,
                endLoad);
        System.out.println();
        System.out.println("| scenario | patients | entries A / B | req/s A | " + (split ? "req/s A-audit | " : "")
                + "req/s B | A/B req/s | " + (split ? "(A-audit)/B req/s | " : "") + "p50 ms A / B | p95 ms A / B "
                + "| p99 ms A / B | CPU-ms/req A / " + (split ? "A-audit / " : "")
                + "B | A/B CPU | PG CPU-ms/req A / B "
                + "| errors |");
        System.out.println("| --- | ---: | --- | ---: | " + (split ? "---: | " : "") + "---: | ---: | "
                + (split ? "---: | " : "") + "---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Result r : results) {
            Slice a = r.of(secured);
            Slice a0 = r.of(securedWithoutAudit);
            Slice b = r.of(open);
            int errors =
                    r.slices.values().stream().mapToInt(slice -> slice.errors).sum();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %,d | %s / %s | %.0f | %s%.0f | %.2f | %s%.1f / %.1f | %.1f / %.1f "
                            + "| %.1f / %.1f | %.2f / %s%.2f | %.2f | %.2f / %.2f | %d |%n",
                    r.scenario.name,
                    r.patients,
                    shortEntries(r.entriesA),
                    shortEntries(r.entriesB),
                    a.throughput(),
                    split ? String.format(Locale.ROOT, "%.0f | ", a0.throughput()) : "",
                    b.throughput(),
                    a.throughput() / b.throughput(),
                    split ? String.format(Locale.ROOT, "%.2f | ", a0.throughput() / b.throughput()) : "",
                    a.percentileMillis(50),
                    b.percentileMillis(50),
                    a.percentileMillis(95),
                    b.percentileMillis(95),
                    a.percentileMillis(99),
                    b.percentileMillis(99),
                    r.serverCpu(a),
                    split ? String.format(Locale.ROOT, "%.2f / ", r.serverCpu(a0)) : "",
                    r.serverCpu(b),
                    r.serverCpu(a) / r.serverCpu(b),
                    a.perRequestMillis(a.postgresCpuNanos),
                    b.perRequestMillis(b.postgresCpuNanos),
                    errors);
        }
        System.out.println();
        System.out.println("A = security on (token, scopes, consent, narrowing, release hold, audit)"
                + (split ? "; A-audit = the same with the audit interceptor unregistered" : "") + "; B = "
                + "caregate.security.enabled=false, no token. CPU-ms/req = this JVM's CPU (the nodes take turns) minus "
                + "the load generator's threads, A's including the storing of its audit records (drained after each "
                + "slice); A/B CPU = A's CPU-ms/req over B's; PG CPU = the embedded PostgreSQL's processes.");
        panelComparison(results);
        auditCost(results);
    }

    /** The same scenario on the seed data and with the panel loaded, node A and node B: the "within 2x" check. */
    private void panelComparison(List<Result> results) {
        Map<String, Result> seed = new LinkedHashMap<>();
        results.stream().filter(r -> r.phase.equals("seed")).forEach(r -> seed.put(r.scenario.name, r));
        List<Result[]> pairs = results.stream()
                .filter(r -> r.phase.equals("panel") && seed.containsKey(r.scenario.name))
                .map(r -> new Result[] {seed.get(r.scenario.name), r})
                .toList();
        if (pairs.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "== Panel size (markdown): %,d patients (seed) against %,d (seed + panel) ==%n",
                pairs.get(0)[0].patients,
                pairs.get(0)[1].patients);
        System.out.println();
        System.out.println("| scenario | entries A seed / panel | req/s A seed / panel | p50 ms A seed / panel "
                + "| p95 ms A seed / panel | CPU-ms/req A seed / panel | A panel/seed p50 | A panel/seed CPU "
                + "| A within 2x | B panel/seed p50 | B panel/seed CPU |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
        for (Result[] pair : pairs) {
            Slice s = pair[0].of(secured);
            Slice p = pair[1].of(secured);
            Slice sb = pair[0].of(open);
            Slice pb = pair[1].of(open);
            double p50 = p.percentileMillis(50) / s.percentileMillis(50);
            double cpu = pair[1].serverCpu(p) / pair[0].serverCpu(s);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s / %s | %.0f / %.0f | %.1f / %.1f | %.1f / %.1f | %.2f / %.2f "
                            + "| %.2f | %.2f | %s | %.2f | %.2f |%n",
                    pair[0].scenario.name,
                    shortEntries(pair[0].entriesA),
                    shortEntries(pair[1].entriesA),
                    s.throughput(),
                    p.throughput(),
                    s.percentileMillis(50),
                    p.percentileMillis(50),
                    s.percentileMillis(95),
                    p.percentileMillis(95),
                    pair[0].serverCpu(s),
                    pair[1].serverCpu(p),
                    p50,
                    cpu,
                    p50 <= 2 && cpu <= 2 ? "yes" : "NO",
                    pb.percentileMillis(50) / sb.percentileMillis(50),
                    pair[1].serverCpu(pb) / pair[0].serverCpu(sb));
        }
    }

    /**
     * What one stored audit record costs: the audit writer's own CPU counters (the request thread building the row,
     * the writer thread's batch insert and commit) over all of A's measured slices, and, with the A-audit variant,
     * the whole difference A minus A-audit (JVM and PostgreSQL) per record.
     */
    private void auditCost(List<Result> results) {
        long events = 0;
        long batches = 0;
        long prepareCpu = 0;
        long storeCpu = 0;
        long interceptorCpu = 0;
        long requests = 0;
        double differenceMillis = 0;
        long differenceEvents = 0;
        for (Result r : results) {
            Slice a = r.of(secured);
            events += a.auditEvents;
            batches += a.auditBatches;
            prepareCpu += a.auditPrepareCpuNanos;
            storeCpu += a.auditStoreCpuNanos;
            interceptorCpu += a.auditRecordCpuNanos;
            requests += a.requests();
            Slice a0 = r.of(securedWithoutAudit);
            if (a0 != null && a.auditEvents > 0) {
                double perRequest = r.serverCpu(a)
                        + a.perRequestMillis(a.postgresCpuNanos)
                        - r.serverCpu(a0)
                        - a0.perRequestMillis(a0.postgresCpuNanos);
                differenceMillis += perRequest * a.requests();
                differenceEvents += a.auditEvents;
            }
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "== Audit (%s): %,d records stored for %,d requests of A in %,d batches; per "
                        + "stored record %.3f CPU-ms in this JVM (%.3f building the row on the request thread + %.3f in the "
                        + "writer thread's batch insert and commit); the interceptor as a whole %.3f CPU-ms per request ==%n",
                auditWriter.getClass().getSimpleName(),
                events,
                requests,
                batches,
                events == 0 ? Double.NaN : (prepareCpu + storeCpu) / 1e6 / events,
                events == 0 ? Double.NaN : prepareCpu / 1e6 / events,
                events == 0 ? Double.NaN : storeCpu / 1e6 / events,
                requests == 0 ? Double.NaN : interceptorCpu / 1e6 / requests);
        if (differenceEvents > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "   A minus A-audit (JVM + PostgreSQL CPU, so building the AuditEvents and "
                            + "PostgreSQL's insert and commit too): %.3f CPU-ms per stored record (noisy: a difference of two "
                            + "measurements)%n",
                    differenceMillis / differenceEvents);
        }
    }

    private static String shortEntries(String entries) {
        if (entries == null) {
            return "-";
        }
        return entries.contains("/") ? "1 resource" : entries.replaceAll(" \\(total \\d+\\)", "");
    }

    private void header(String load, Path data) {
        var runtime = ManagementFactory.getRuntimeMXBean();
        System.out.println();
        System.out.println(
                "== CareGate security overhead: node A (security on) vs node B (caregate.security.enabled=false), "
                        + "one JVM, one PostgreSQL ==");
        System.out.println("date:          " + ZonedDateTime.now().format(TIMESTAMP));
        System.out.println(
                "load average:  " + load + " (1, 5, 15 min) at start; " + os.getAvailableProcessors() + " processors");
        System.out.println("JVM:           " + runtime.getVmName() + " " + runtime.getVmVersion() + " (Java "
                + Runtime.version() + ")");
        System.out.println("JVM arguments: " + String.join(" ", runtime.getInputArguments()));
        System.out.println("GC:            "
                + ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(", "))
                + "; max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
        System.out.printf(
                Locale.ROOT,
                "settings:      benchmark.workers=%d benchmark.warmup=%s benchmark.measure=%s "
                        + "benchmark.rounds=%d benchmark.scenarios=%s benchmark.panel=%d benchmark.panel-observations=%d "
                        + "benchmark.panel-batch=%d benchmark.seed-phase=%s benchmark.without-audit=%s benchmark.timeout=%s%n",
                workers,
                warmup,
                measure,
                rounds,
                only.isEmpty() ? "(all)" : String.join(",", only),
                panel,
                panelObservations,
                panelBatch,
                seedPhase,
                withoutAuditVariant,
                requestTimeout);
        System.out.println("data:          " + data);
        System.out.println();
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return String.format(
                    Locale.ROOT,
                    "%.2f",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static void log(String format, Object... arguments) {
        System.out.printf(
                Locale.ROOT, "[%tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, arguments));
    }

    // ----- small helpers -----

    private static Duration duration(String property, String fallback) {
        String value = System.getProperty(property, fallback).trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
            }
            if (value.endsWith("m")) {
                return Duration.ofMillis(
                        Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000)); // plain number: seconds
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(property + ": not a duration: " + value, e);
        }
    }

    private static List<String> csv(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }

    private static Path dataDirectory() throws IOException {
        String configured = System.getProperty("benchmark.data-dir");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath();
            Files.createDirectories(path);
            return Files.createTempDirectory(path, "caregate-benchmark-");
        }
        return Files.createTempDirectory("caregate-benchmark-");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops node B, then node A (and with it the embedded PostgreSQL), and removes the temporary database. */
    private static void stop(
            ConfigurableApplicationContext contextB, ConfigurableApplicationContext contextA, Path data) {
        contextB.close();
        contextA.close();
        if (Boolean.getBoolean("benchmark.keep-data")) {
            log("kept the database in %s (benchmark.keep-data=true)", data);
            return;
        }
        try (var paths = Files.walk(data)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log("could not remove %s: %s", data, e);
        }
    }

    private SecurityOverheadBenchmark() {}
}
