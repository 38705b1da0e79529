package org.caregate.server.leak;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.caregate.server.personas.PersonaTest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The leak test of issue 5: every persona walks every path by which a resource can leave the server, once at the
 * real time and once with the server's clock past Mateo's (pat-family-11) 12th birthday, and no response may carry
 * anything of a patient the persona may not see: no resource in that patient's compartment (bundle entries,
 * includes, contained resources, operation outcomes, Parameters), no id, medical record number or name of that
 * patient, no {@code total} that counts what is not shown, no held-back result for a patient or guardian, and no
 * write into that patient's compartment accepted. A refusal (401, 403, 404, other 4xx) is fine when its body
 * leaks nothing; a 5xx is a finding.
 *
 * <p>Table-driven: {@link #PATHS} lists the paths (a new path is one line), {@link #WALKERS} the personas with what
 * they may see (from seed-data/README.md, not from the server). Expected access is written down here on purpose:
 * the test must not trust the code it tests.
 */
class LeakTest extends PersonaTest {

    private static final String MARIA = "pat-parent-garcia";
    private static final String SOFIA = "pat-family-4";
    private static final String MATEO = "pat-family-11";
    private static final String LUCIA = "pat-family-13";
    private static final String DIEGO = "pat-family-17";
    private static final Set<String> NORTH_CLINIC =
            Set.of(MARIA, SOFIA, MATEO, LUCIA, DIEGO, "pat-adult-alice", "pat-adult-bob", "pat-incapacitated");
    /** Results held back from patients and guardians (release hold). */
    private static final Set<String> HELD = Set.of(
            "Observation/obs-alice-hgb-followup",
            "DiagnosticReport/dr-alice-followup",
            "DiagnosticReport/dr-frank-cxr-prelim");

    private static final String WRITE = "openid fhirUser user/*.cruds";

    /** When the walk happens. */
    enum Moment {
        NOW,
        AFTER_MATEOS_12TH_BIRTHDAY
    }

    /**
     * A persona on a walk.
     *
     * @param token how to get its token (real SMART flows, cached for the run)
     * @param allowedNow the patients it may see now
     * @param allowedAfterBirthday the patients it may see once Mateo is 12
     * @param own a patient it may see, to aim requests at (null: none)
     * @param probes patients it may not see (at some moment), to aim requests at
     * @param heldBack whether the release hold applies (patients and guardians)
     */
    record Walker(
            String name,
            Supplier<String> token,
            Set<String> allowedNow,
            Set<String> allowedAfterBirthday,
            String own,
            List<String> probes,
            boolean heldBack) {

        Set<String> allowed(Moment moment) {
            return moment == Moment.NOW ? allowedNow : allowedAfterBirthday;
        }
    }

    private static final List<Walker> WALKERS = List.of(
            new Walker(
                    "alice",
                    () -> token("alice", "openid fhirUser launch/patient patient/*.cruds", null),
                    Set.of("pat-adult-alice"),
                    Set.of("pat-adult-alice"),
                    "pat-adult-alice",
                    List.of("pat-adult-bob"),
                    true),
            new Walker(
                    "maria",
                    () -> token("maria", WRITE, null),
                    Set.of(MARIA, SOFIA, MATEO),
                    Set.of(MARIA, SOFIA),
                    SOFIA,
                    List.of(MATEO, LUCIA),
                    true),
            new Walker(
                    "maria launching Sofia's app",
                    () -> token("maria", PATIENT_SCOPES, SOFIA),
                    Set.of(SOFIA),
                    Set.of(SOFIA),
                    SOFIA,
                    List.of(LUCIA),
                    true),
            new Walker(
                    "maria launching Mateo's app",
                    () -> token("maria", PATIENT_SCOPES, MATEO),
                    Set.of(MATEO),
                    Set.of(),
                    null,
                    List.of(MATEO, SOFIA),
                    true),
            new Walker("lucia (13)", () -> token("lucia", WRITE, null), Set.of(), Set.of(), null, List.of(LUCIA), true),
            new Walker(
                    "susan",
                    () -> token("susan", WRITE, null),
                    Set.of("pat-incapacitated"),
                    Set.of("pat-incapacitated"),
                    "pat-incapacitated",
                    List.of("pat-adult-alice"),
                    true),
            new Walker(
                    "patricia",
                    () -> token("patricia", USER_SCOPES, null),
                    Set.of(),
                    Set.of(),
                    null,
                    List.of("pat-incapacitated"),
                    true),
            new Walker(
                    "karen",
                    () -> token("karen", USER_SCOPES, null),
                    Set.of(),
                    Set.of(),
                    null,
                    List.of("pat-adult-18"),
                    true),
            new Walker(
                    "dr.okafor",
                    () -> token("dr.okafor", WRITE, null),
                    NORTH_CLINIC,
                    NORTH_CLINIC,
                    "pat-adult-alice",
                    List.of("pat-adult-carol"),
                    false),
            new Walker(
                    "linda",
                    () -> token("linda", USER_SCOPES, null),
                    NORTH_CLINIC,
                    NORTH_CLINIC,
                    LUCIA,
                    List.of("pat-adult-carol"),
                    false),
            new Walker(
                    "dr.haddad",
                    () -> token("dr.haddad", WRITE, null),
                    Set.of("pat-adult-erin", "pat-adult-frank"),
                    Set.of("pat-adult-erin", "pat-adult-frank"),
                    "pat-adult-frank",
                    List.of("pat-dr-south"),
                    false),
            new Walker(
                    "priya",
                    () -> token("priya", WRITE, null),
                    Set.of(),
                    Set.of(),
                    null,
                    List.of("pat-adult-alice"),
                    false),
            new Walker(
                    "north clinic backend",
                    PersonaTest::backendToken,
                    NORTH_CLINIC,
                    NORTH_CLINIC,
                    DIEGO,
                    List.of("pat-adult-carol"),
                    false));

    enum Aim {
        ONCE,
        EACH_PATIENT,
        EACH_FORBIDDEN_PATIENT
    }

    /** A way out of the server: what the walk sends, once or aimed at each patient. */
    record Path(String name, Aim aim, Consumer<Walk> send) {}

    private static Path once(String name, Consumer<Walk> send) {
        return new Path(name, Aim.ONCE, send);
    }

    private static Path each(String name, Consumer<Walk> send) {
        return new Path(name, Aim.EACH_PATIENT, send);
    }

    /** Writes are only aimed at patients the persona may not see (the seed data must stay as it is). */
    private static Path write(String name, Consumer<Walk> send) {
        return new Path(name, Aim.EACH_FORBIDDEN_PATIENT, send);
    }

    static final List<Path> PATHS = List.of(
            // read and vread
            each("read", w -> w.get("Patient/" + w.p())),
            each("vread", w -> w.get("Patient/" + w.p() + "/_history/1")),
            each("read in XML", w -> w.get("Patient/" + w.p() + "?_format=xml")),
            each("read an Observation", w -> w.get("Observation/" + w.obs())),
            each("vread an Observation", w -> w.get("Observation/" + w.obs() + "/_history/1")),
            each("conditional read", w -> w.get("Observation/" + w.obs(), Map.of("If-None-Match", "W/\"1\""))),
            // search, with totals
            each("search by _id", w -> w.get("Patient?_id=" + w.p() + "&_total=accurate")),
            each("search by patient", w -> w.get("Observation?patient=" + w.p() + "&_total=accurate")),
            each("search by subject", w -> w.get("Observation?subject=Patient/" + w.p() + "&_total=accurate")),
            each("search by subject:Patient", w -> w.get("Observation?subject:Patient=" + w.p() + "&_total=accurate")),
            each(
                    "search for a permitted and another patient",
                    w -> w.get("Observation?patient=" + w.p() + "," + w.ownOr(w.p()) + "&_total=accurate")),
            each("search by POST", w -> w.postForm("Observation/_search", "patient=" + w.p() + "&_total=accurate")),
            each("search _summary=count", w -> w.get("Observation?patient=" + w.p() + "&_summary=count")),
            each("search _elements", w -> w.get("Observation?patient=" + w.p() + "&_elements=subject&_total=accurate")),
            each("search in XML", w -> w.get("Observation?patient=" + w.p() + "&_format=xml")),
            each("Encounter search", w -> w.get("Encounter?patient=" + w.p() + "&_total=accurate")),
            each("Coverage by beneficiary", w -> w.get("Coverage?beneficiary=Patient/" + w.p() + "&_total=accurate")),
            each(
                    "Coverage by subscriber",
                    w -> w.get(
                            "Coverage?subscriber=Patient/" + w.p() + "&_include=Coverage:beneficiary&_total=accurate")),
            each("AuditEvent about the patient", w -> w.get("AuditEvent?patient=" + w.p() + "&_total=accurate")),
            each("AuditEvent by entity", w -> w.get("AuditEvent?entity=Patient/" + w.p() + "&_count=200")),
            each("AuditEvent paged", w -> w.getAllPages("AuditEvent?patient=" + w.p() + "&subtype=vread&_count=3")),
            each("AuditEvent by id", w -> w.get("AuditEvent/" + w.auditEventOf())),
            // chained parameters and _has
            each(
                    "chained identifier",
                    w -> w.get("Observation?patient.identifier=" + w.mrnToken() + "&_total=accurate")),
            each("_has", w -> w.get("Patient?_has:Observation:patient:_id=" + w.obs() + "&_total=accurate")),
            each(
                    "_has from a medication",
                    w -> w.get("Medication?_has:MedicationRequest:medication:subject=Patient/" + w.p()
                            + "&_total=accurate")),
            each(
                    "_has from a practitioner",
                    w -> w.get("Practitioner?_has:Encounter:participant:patient=" + w.p() + "&_total=accurate")),
            // modifiers of the compartment parameters
            each("_id:not", w -> w.get("Patient?_id:not=" + w.p() + "&_total=accurate&_count=500")),
            each(
                    "_id:not with a predicate",
                    w -> w.get("Patient?_id:not=" + w.ownOr(w.p())
                            + "&birthdate=ge1900-01-01&_total=accurate&_count=500")),
            // _include, _revinclude, :iterate
            each(
                    "_include",
                    w -> w.get("Observation?patient=" + w.p()
                            + "&_include=Observation:patient&_include=Observation:encounter")),
            each(
                    "_revinclude",
                    w -> w.get("Patient?_id=" + w.p() + "&_revinclude=Observation:patient"
                            + "&_revinclude=Coverage:subscriber&_revinclude=RelatedPerson:patient")),
            each("_revinclude=*", w -> w.get("Patient?_id=" + w.p() + "&_revinclude=*")),
            each(
                    ":iterate",
                    w -> w.get("Encounter?patient=" + w.p() + "&_revinclude=Observation:encounter"
                            + "&_include:iterate=Observation:patient&_revinclude:iterate=Coverage:beneficiary")),
            each(
                    "RelatedPerson with patient",
                    w -> w.get("RelatedPerson?patient=" + w.p() + "&_include=RelatedPerson:patient")),
            each("Person with links", w -> w.get("Person?link=Patient/" + w.p() + "&_include=Person:link")),
            // paging
            each("paging", w -> w.getAllPages("Observation?patient=" + w.p() + "&_count=4&_total=accurate")),
            // $everything and other operations
            each("$everything", w -> w.get("Patient/" + w.p() + "/$everything?_count=500")),
            each("$everything paged", w -> w.getAllPages("Patient/" + w.p() + "/$everything?_count=40")),
            each("Encounter $everything", w -> w.get("Encounter/" + w.enc() + "/$everything")),
            each("$meta", w -> w.get("Patient/" + w.p() + "/$meta")),
            each("Observation $meta", w -> w.get("Observation/" + w.obs() + "/$meta")),
            each("$validate", w -> w.post("Observation/$validate", w.observation(w.p()))),
            each("instance $validate", w -> w.post("Observation/" + w.obs() + "/$validate", w.validateParameters())),
            each("compartment search", w -> w.get("Patient/" + w.p() + "/Observation")),
            each(
                    "$graphql on an instance",
                    w -> w.get("Patient/" + w.p() + "/$graphql?query="
                            + encode("{name{family given} identifier{value}}"))),
            // history
            each("instance history", w -> w.get("Patient/" + w.p() + "/_history")),
            each("Observation history", w -> w.get("Observation/" + w.obs() + "/_history")),
            // batch and transaction
            each("batch of reads", w -> w.post("", w.bundleOfReads("batch"))),
            each("transaction of reads", w -> w.post("", w.bundleOfReads("transaction"))),
            each("batch of searches", w -> w.post("", w.bundleOfSearches("batch"))),
            // writes into a forbidden compartment
            write("create", w -> w.post("Observation", w.observation(w.p()))),
            write(
                    "conditional create",
                    w -> w.post(
                            "Observation",
                            w.observation(w.p()),
                            Map.of("If-None-Exist", "identifier=" + w.probeIdentifier()))),
            write("update", w -> w.put("Observation/" + w.obs(), w.observation(w.p(), w.obs()))),
            write(
                    "update into own compartment",
                    w -> w.put("Observation/" + w.obs(), w.observation(w.ownOr(w.p()), w.obs()))),
            write(
                    "conditional update",
                    w -> w.put("Observation?identifier=" + w.probeIdentifier(), w.observation(w.p()))),
            write(
                    "patch",
                    w -> w.patch(
                            "Observation/" + w.obs(),
                            "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"entered-in-error\"}]")),
            write("delete", w -> w.delete("Observation/" + w.obs())),
            write("conditional delete", w -> w.delete("Observation?_id=" + w.obs())),
            write("$meta-add", w -> w.post("Patient/" + w.p() + "/$meta-add", w.metaParameters())),
            write("transaction write", w -> w.post("", w.bundleOfWrites("transaction"))),
            write("batch write", w -> w.post("", w.bundleOfWrites("batch"))),
            write("move own Observation into the compartment", Walk::moveOwnObservation),
            // not aimed at anyone
            once("Patient search", w -> w.get("Patient?_total=accurate&_count=500")),
            once("Observation search", w -> w.get("Observation?_total=accurate&_count=500")),
            once("search sorted", w -> w.get("Observation?_sort=-date&_count=500&_total=accurate")),
            once("search by _lastUpdated", w -> w.get("Observation?_lastUpdated=gt2000-01-01&_total=accurate")),
            once("search by name", w -> w.get("Patient?name=Garcia&_total=accurate")),
            once("chained name", w -> w.get("Observation?patient.name=Garcia&_total=accurate")),
            once("_has any", w -> w.get("Patient?_has:Observation:patient:status=final&_total=accurate")),
            once(
                    "_has any from a medication",
                    w -> w.get("Medication?_has:MedicationRequest:medication:status=active" + "&_total=accurate")),
            once("subject:missing", w -> w.get("Observation?subject:missing=false&_total=accurate&_count=500")),
            once("chained subject", w -> w.get("Observation?subject:Patient.name=Garcia&_total=accurate")),
            once(
                    "batch search of every patient",
                    w -> w.post(
                            "",
                            "{\"resourceType\":\"Bundle\",\"type\":\"batch\","
                                    + "\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_id:not=x&_count=500\"}},"
                                    + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation?_count=500\"}}]}")),
            once(
                    "search for a user's own record",
                    w -> w.get(
                            "Patient?identifier=https://fhir.caregate.example/sid/user%7Cdr.haddad&_total=accurate")),
            once("_revinclude all", w -> w.get("Patient?_revinclude=*&_count=500")),
            once("_include all", w -> w.get("Observation?_include=*&_count=500")),
            once(
                    ":iterate all",
                    w -> w.get("Encounter?_revinclude=Observation:encounter"
                            + "&_include:iterate=Observation:patient&_count=500")),
            once(
                    "revinclude from a practitioner",
                    w -> w.get("Practitioner?_revinclude=Patient:general-practitioner"
                            + "&_revinclude=Encounter:participant")),
            once(
                    "revinclude from an organisation",
                    w -> w.get("Organization?_revinclude=Coverage:payor" + "&_revinclude=Patient:organization")),
            once("revinclude from a medication", w -> w.get("Medication?_revinclude=MedicationRequest:medication")),
            once(
                    "CareTeam with participants",
                    w -> w.get("CareTeam?_include=CareTeam:participant" + "&_include=CareTeam:patient")),
            once(
                    "Coverage",
                    w -> w.get("Coverage?_include=Coverage:beneficiary&_include=Coverage:subscriber"
                            + "&_total=accurate")),
            once("Person", w -> w.get("Person?_include=Person:link")),
            once("RelatedPerson", w -> w.get("RelatedPerson?_include=RelatedPerson:patient")),
            once("AuditEvent", w -> w.get("AuditEvent?_total=accurate&_count=500")),
            once("site audit trail", w -> w.get("AuditEvent?agent=Organization/org-clinic-north&_count=200")),
            once(
                    "site audit trail paged",
                    w -> w.getAllPages("AuditEvent?agent=Organization/org-clinic-north&subtype=vread&_count=20")),
            once(
                    "site audit trail count",
                    w -> w.get("AuditEvent?agent=Organization/org-clinic-north" + "&_summary=count")),
            once("Consent", w -> w.get("Consent?_total=accurate")),
            once("paging", w -> w.getAllPages("Observation?_count=25&_total=accurate")),
            once("someone else's pages", Walk::getForeignPages),
            once("type history", w -> w.get("Observation/_history")),
            once("Patient type history", w -> w.get("Patient/_history")),
            once("system history", w -> w.get("_history")),
            // Bulk Data export: kick-off (refused to everyone but backend clients), then the files, line by line
            once("system $export", w -> w.export("$export")),
            once(
                    "Patient $export",
                    w -> w.export("Patient/$export?_type=Patient,Observation,Coverage,DiagnosticReport")),
            once("Group $export", w -> w.export("Group/org-clinic-north-patients/$export")),
            each(
                    "Patient $export of one patient",
                    w -> w.exportByPost(
                            "Patient/$export",
                            "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"patient\","
                                    + "\"valueReference\":{\"reference\":\"Patient/" + w.p() + "\"}}]}")),
            once("type $everything", w -> w.get("Patient/$everything?_count=500")),
            once("system $meta", w -> w.get("$meta")),
            once("type $meta", w -> w.get("Observation/$meta")),
            once("$lastn", w -> w.get("Observation/$lastn?max=1")),
            once("system search", w -> w.get("?_type=Patient")),
            once("$graphql", w -> w.get("$graphql?query=" + encode("{PatientList{id name{family given}}}"))),
            once("$graphql by POST", w -> w.postJson("$graphql", "{\"query\":\"{PatientList{id}}\"}")),
            once("bulk export", w -> w.get("$export", Map.of("Prefer", "respond-async"))),
            once("Patient bulk export", w -> w.get("Patient/$export", Map.of("Prefer", "respond-async"))));

    /** What the seed data holds per patient (read below the security chain, once). */
    record SeedPatient(String id, String mrn, String name, String observation, String encounter) {}

    @org.springframework.beans.factory.annotation.Autowired
    private org.springframework.jdbc.core.JdbcTemplate jdbc;

    private static Map<String, SeedPatient> seed;
    private static Set<String> practitionerNames;
    private static List<String> foreignPages;

    static Stream<Arguments> walks() {
        return Stream.of(Moment.values())
                .flatMap(moment -> WALKERS.stream().map(walker -> Arguments.of(walker.name(), moment)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("walks")
    void walkEveryPathThenNothingOfAForbiddenPatientLeaves(String persona, Moment moment) {
        Walker walker = WALKERS.stream()
                .filter(candidate -> candidate.name().equals(persona))
                .findFirst()
                .orElseThrow();
        loadSeed();
        String token = walker.token().get();
        if (moment == Moment.AFTER_MATEOS_12TH_BIRTHDAY) {
            clock.moveTo(twelfthBirthdayOfMateo().plus(Duration.ofHours(1)));
            token = issuedNow(token);
        }
        Set<String> allowed = walker.allowed(moment);
        LeakInspector.Expectation expectation =
                new LeakInspector.Expectation(allowed, walker.heldBack() ? HELD : Set.of(), forbiddenText(allowed));
        Walk walk = new Walk(walker, token, expectation, new LeakInspector(fhirContext), moment);

        List<String> targets = Stream.concat(Stream.ofNullable(walker.own()), walker.probes().stream())
                .toList();
        for (Path path : PATHS) {
            switch (path.aim()) {
                case ONCE -> walk.run(path, null);
                case EACH_PATIENT -> targets.forEach(patient -> walk.run(path, patient));
                case EACH_FORBIDDEN_PATIENT ->
                    targets.stream()
                            .filter(patient -> !allowed.contains(patient))
                            .forEach(patient -> walk.run(path, patient));
            }
        }

        System.out.printf(
                "leak walk %-28s %-27s %4d requests, statuses %s%n", persona, moment, walk.exchanges, walk.statuses);
        assertThat(walk.findings)
                .as("what %s could see at %s that it must not (%d requests)", persona, moment, walk.exchanges)
                .isEmpty();
    }

    /** For each patient not allowed: their id, MRN and name, which must not appear anywhere. */
    private static Map<String, List<String>> forbiddenText(Set<String> allowed) {
        Map<String, List<String>> texts = new TreeMap<>();
        seed.values().stream()
                .filter(patient -> !allowed.contains(patient.id()))
                .forEach(patient -> {
                    List<String> identifying = new ArrayList<>(List.of(patient.id()));
                    if (patient.mrn() != null) {
                        identifying.add(patient.mrn());
                    }
                    if (patient.name() != null && !practitionerNames.contains(patient.name())) {
                        identifying.add(patient.name());
                    }
                    texts.put(patient.id(), identifying);
                });
        return texts;
    }

    private void loadSeed() {
        if (seed != null) {
            return;
        }
        SystemRequestDetails system = new SystemRequestDetails();
        Map<String, SeedPatient> patients = new TreeMap<>();
        for (IBaseResource resource : daoRegistry
                .getResourceDao(Patient.class)
                .searchForResources(SearchParameterMap.newSynchronous(), system)) {
            Patient patient = (Patient) resource;
            String id = patient.getIdElement().getIdPart();
            String mrn = patient.getIdentifier().stream()
                    .filter(identifier -> "https://fhir.caregate.example/sid/mrn".equals(identifier.getSystem()))
                    .map(identifier -> identifier.getValue())
                    .findFirst()
                    .orElse(null);
            String name = patient.hasName()
                    ? patient.getNameFirstRep().getGivenAsSingleString() + " "
                            + patient.getNameFirstRep().getFamily()
                    : null;
            patients.put(
                    id,
                    new SeedPatient(
                            id, mrn, name, first(Observation.class, id, "obs-"), first(Encounter.class, id, "enc-")));
        }
        practitionerNames =
                daoRegistry
                        .getResourceDao(Practitioner.class)
                        .searchForResources(SearchParameterMap.newSynchronous(), system)
                        .stream()
                        .map(resource -> ((Practitioner) resource).getNameFirstRep())
                        .map(name -> name.getGivenAsSingleString() + " " + name.getFamily())
                        .collect(Collectors.toSet());
        seed = patients;
        foreignPages = pagesOfTheBackendClient();
    }

    /** The id of a seed resource of this type in the patient's compartment (seed ids start with the prefix). */
    private String first(Class<? extends IBaseResource> type, String patientId, String prefix) {
        return daoRegistry
                .getResourceDao(type)
                .searchForResources(
                        SearchParameterMap.newSynchronous("patient", new ReferenceParam("Patient/" + patientId)),
                        new SystemRequestDetails())
                .stream()
                .map(resource -> resource.getIdElement().getIdPart())
                .filter(id -> id.startsWith(prefix))
                .sorted(Comparator.naturalOrder())
                .findFirst()
                .orElse(null);
    }

    /** {@code next} links of the north clinic's searches, which reach Lucia and Diego: nobody else may follow them. */
    private List<String> pagesOfTheBackendClient() {
        List<String> pages = new ArrayList<>();
        String token = backendToken();
        for (String search : List.of("Observation?_count=3", "Patient?_count=2", "Coverage?_count=2")) {
            FhirExchange first = FhirExchange.send("GET", FHIR_BASE + "/" + search, token, null, null, Map.of());
            Bundle bundle = fhirContext.newJsonParser().parseResource(Bundle.class, first.body());
            if (bundle.getLink(Bundle.LINK_NEXT) != null) {
                pages.add(bundle.getLink(Bundle.LINK_NEXT).getUrl());
            }
        }
        return pages;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** One persona's walk: sends, inspects and keeps the findings. */
    final class Walk {

        private final Walker walker;
        private final String token;
        private final LeakInspector.Expectation expectation;
        private final LeakInspector inspector;
        private final Moment moment;
        private final List<String> findings = new ArrayList<>();
        private final Map<Integer, Integer> statuses = new TreeMap<>();
        private int exchanges;
        private Path path;
        private String patient;

        Walk(
                Walker walker,
                String token,
                LeakInspector.Expectation expectation,
                LeakInspector inspector,
                Moment moment) {
            this.walker = walker;
            this.token = token;
            this.expectation = expectation;
            this.inspector = inspector;
            this.moment = moment;
        }

        void run(Path path, String patient) {
            this.path = path;
            this.patient = patient;
            if (patient != null
                    && (seed.get(patient) == null || path.name().contains("Observation") && obs() == null)) {
                return;
            }
            try {
                path.send().accept(this);
            } catch (RuntimeException e) {
                findings.add(where() + ": the walk itself failed: " + e);
            }
        }

        String p() {
            return patient;
        }

        boolean forbidden() {
            return patient != null && !expectation.allowed().contains(patient);
        }

        String ownOr(String fallback) {
            return walker.own() != null && expectation.allowed().contains(walker.own()) ? walker.own() : fallback;
        }

        String obs() {
            return seed.get(patient).observation();
        }

        /** The id of a stored AuditEvent about this patient (read below the security chain), or one that is none. */
        String auditEventOf() {
            return jdbc
                    .query(
                            "select id from caregate_audit.audit_record where patients @> array[?]::text[] limit 1",
                            (rows, row) -> String.valueOf(rows.getLong(1)),
                            patient)
                    .stream()
                    .findFirst()
                    .orElse("0");
        }

        String enc() {
            String encounter = seed.get(patient).encounter();
            return encounter == null ? "no-encounter" : encounter;
        }

        String mrnToken() {
            return encode(
                    "https://fhir.caregate.example/sid/mrn|" + seed.get(patient).mrn());
        }

        String probeIdentifier() {
            return encode("https://leak.caregate.example/probe|" + walker.name().replace(' ', '-') + "-" + patient);
        }

        String observation(String subject) {
            return observation(subject, null);
        }

        String observation(String subject, String id) {
            return "{\"resourceType\":\"Observation\"," + (id == null ? "" : "\"id\":\"" + id + "\",")
                    + "\"identifier\":[{\"system\":\"https://leak.caregate.example/probe\",\"value\":\""
                    + walker.name().replace(' ', '-') + "-" + subject + "\"}],"
                    + "\"status\":\"final\",\"code\":{\"text\":\"leak test probe\"},"
                    + "\"subject\":{\"reference\":\"Patient/" + subject + "\"}}";
        }

        String validateParameters() {
            return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"resource\",\"resource\":"
                    + observation(patient, obs()) + "},{\"name\":\"mode\",\"valueCode\":\"update\"}]}";
        }

        String metaParameters() {
            return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"meta\",\"valueMeta\":{\"tag\":"
                    + "[{\"system\":\"https://leak.caregate.example/tag\",\"code\":\"probe\"}]}}]}";
        }

        String bundleOfReads(String type) {
            List<String> urls = List.of(
                    "Patient/" + patient,
                    "Observation/" + obs(),
                    "Observation?patient=" + patient,
                    "Patient/" + patient + "/$everything",
                    "Patient?_id=" + patient + "&_revinclude=*");
            return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":["
                    + urls.stream()
                            .map(url -> "{\"request\":{\"method\":\"GET\",\"url\":\"" + url + "\"}}")
                            .collect(Collectors.joining(","))
                    + "]}";
        }

        String bundleOfSearches(String type) {
            List<String> urls = List.of(
                    "Observation?patient=" + patient + "&_total=accurate",
                    "Patient?_id:not=" + patient + "&_count=500",
                    "Observation?subject:missing=false&_count=500",
                    "Encounter?patient=Patient/" + patient + "&_revinclude=Observation:encounter");
            return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":["
                    + urls.stream()
                            .map(url -> "{\"request\":{\"method\":\"GET\",\"url\":\"" + url + "\"}}")
                            .collect(Collectors.joining(","))
                    + "]}";
        }

        String bundleOfWrites(String type) {
            return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":["
                    + "{\"resource\":" + observation(patient)
                    + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                    + "{\"resource\":" + observation(patient, obs())
                    + ",\"request\":{\"method\":\"PUT\",\"url\":\"Observation/"
                    + obs() + "\"}},"
                    + "{\"request\":{\"method\":\"DELETE\",\"url\":\"Observation/" + obs() + "\"}}]}";
        }

        /** Creates an Observation of a patient the persona may see, then tries to move it into this compartment. */
        void moveOwnObservation() {
            String own = ownOr(null);
            if (own == null) {
                return;
            }
            FhirExchange created = send("POST", "Observation", observation(own), "application/fhir+json", Map.of());
            if (!created.isSuccess()) {
                return;
            }
            Observation stored = fhirContext.newJsonParser().parseResource(Observation.class, created.body());
            String id = stored.getIdElement().getIdPart();
            put("Observation/" + id, observation(patient, id));
        }

        /** A Bulk Data export: kick-off, then (if accepted) status until complete and every file, each line inspected. */
        void export(String kickOff) {
            followExport(send("GET", kickOff, null, null, Map.of("Prefer", "respond-async")));
        }

        void exportByPost(String kickOff, String parameters) {
            followExport(send("POST", kickOff, parameters, "application/fhir+json", Map.of("Prefer", "respond-async")));
        }

        private void followExport(FhirExchange kickOff) {
            if (kickOff.status() != 202) {
                return;
            }
            FhirExchange status = null;
            for (int polls = 0; polls < 120; polls++) {
                status = send("GET", kickOff.contentLocation(), null, null, Map.of());
                if (status.status() != 202 && status.status() != 429) {
                    break;
                }
                sleep(1100);
            }
            if (status == null || status.status() != 200) {
                findings.add(where() + ": export did not complete: " + (status == null ? "" : status.describe()));
                return;
            }
            com.fasterxml.jackson.databind.JsonNode manifest;
            try {
                manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.body());
            } catch (java.io.IOException e) {
                findings.add(where() + ": manifest is not JSON: " + status.body());
                return;
            }
            for (String list : List.of("output", "error")) {
                for (com.fasterxml.jackson.databind.JsonNode file : manifest.get(list)) {
                    FhirExchange download =
                            FhirExchange.send("GET", file.get("url").asText(), token, null, null, Map.of());
                    exchanges++;
                    for (String line : download.body().split("\n")) {
                        if (line.isBlank()) {
                            continue;
                        }
                        FhirExchange resource = new FhirExchange(
                                "GET", download.url(), "", download.status(), "application/fhir+json", line, "");
                        for (String finding : inspector.inspect(resource, expectation)) {
                            findings.add(where() + ": export file "
                                    + file.get("type").asText() + ": " + finding);
                        }
                    }
                }
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        void getForeignPages() {
            foreignPages.forEach(this::get);
        }

        void get(String url) {
            get(url, Map.of());
        }

        void get(String url, Map<String, String> headers) {
            send("GET", url, null, null, headers);
        }

        /** A search and every following page; the pages together must count what the first page's total says. */
        void getAllPages(String url) {
            FhirExchange page = send("GET", url, null, null, Map.of());
            Bundle first = bundle(page);
            int matches = 0;
            Bundle current = first;
            for (int pages = 0; current != null && pages < 60; pages++) {
                matches += (int) current.getEntry().stream()
                        .filter(entry ->
                                !entry.hasSearch() || entry.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                        .count();
                Bundle.BundleLinkComponent next = current.getLink(Bundle.LINK_NEXT);
                current = next == null ? null : bundle(send("GET", next.getUrl(), null, null, Map.of()));
            }
            if (first != null
                    && first.hasTotal()
                    && first.getType() == Bundle.BundleType.SEARCHSET
                    && first.getTotal() != matches) {
                findings.add(where() + ": total " + first.getTotal() + " but " + matches + " matches on all pages");
            }
        }

        void post(String url, String body) {
            post(url, body, Map.of());
        }

        void post(String url, String body, Map<String, String> headers) {
            send("POST", url, body, "application/fhir+json", headers);
        }

        void postJson(String url, String body) {
            send("POST", url, body, "application/json", Map.of());
        }

        void postForm(String url, String form) {
            send("POST", url, form, "application/x-www-form-urlencoded", Map.of());
        }

        void put(String url, String body) {
            send("PUT", url, body, "application/fhir+json", Map.of());
        }

        void patch(String url, String jsonPatch) {
            send("PATCH", url, jsonPatch, "application/json-patch+json", Map.of());
        }

        void delete(String url) {
            send("DELETE", url, null, null, Map.of());
        }

        private Bundle bundle(FhirExchange exchange) {
            if (!exchange.isSuccess() || !exchange.body().trim().startsWith("{")) {
                return null;
            }
            IBaseResource resource = fhirContext.newJsonParser().parseResource(exchange.body());
            return resource instanceof Bundle bundle ? bundle : null;
        }

        private FhirExchange send(
                String method, String url, String body, String bodyType, Map<String, String> headers) {
            String absolute =
                    url.startsWith("http") ? url : FHIR_BASE + (url.isEmpty() || url.startsWith("?") ? "" : "/") + url;
            FhirExchange exchange = FhirExchange.send(method, absolute, token, body, bodyType, headers);
            exchanges++;
            statuses.merge(exchange.status(), 1, Integer::sum);
            for (String finding : inspector.inspect(exchange, expectation)) {
                findings.add(where() + ": " + exchange.describe() + ": " + finding);
            }
            if (path.aim() == Aim.EACH_FORBIDDEN_PATIENT && !method.equals("GET")) {
                inspectWrite(exchange);
            }
            return exchange;
        }

        /** A write aimed at a forbidden compartment must not succeed, nor any entry of a batch or transaction. */
        private void inspectWrite(FhirExchange exchange) {
            if (!exchange.isSuccess()
                    || path.name().startsWith("move") && exchange.method().equals("POST")) {
                return;
            }
            if (exchange.method().equals("DELETE")
                    && exchange.body().contains("SUCCESSFUL_DELETE_NOT_FOUND")
                    && stillStored("Observation", obs())) {
                return; // a conditional delete narrowed to the permitted patients found nothing: nothing deleted
            }
            Bundle response = bundle(exchange);
            if (response != null
                    && (response.getType() == Bundle.BundleType.BATCHRESPONSE
                            || response.getType() == Bundle.BundleType.TRANSACTIONRESPONSE)) {
                for (Bundle.BundleEntryComponent entry : response.getEntry()) {
                    if (entry.getResponse().getStatus() != null
                            && entry.getResponse().getStatus().startsWith("2")) {
                        findings.add(where() + ": " + exchange.describe() + ": entry accepted: "
                                + entry.getResponse().getStatus() + " "
                                + entry.getResponse().getLocation());
                    }
                }
                return;
            }
            findings.add(where() + ": " + exchange.describe() + ": write into the compartment of " + patient
                    + " accepted: " + LeakInspector.abbreviate(exchange.body()));
        }

        private boolean stillStored(String type, String id) {
            try {
                daoRegistry
                        .getResourceDao(type)
                        .read(new org.hl7.fhir.r4.model.IdType(type, id), new SystemRequestDetails());
                return true;
            } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
                    | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
                return false;
            }
        }

        private String where() {
            return "[" + walker.name() + ", " + moment + "] " + path.name()
                    + (patient == null ? "" : " (" + patient + (forbidden() ? ", forbidden" : "") + ")");
        }
    }
}
