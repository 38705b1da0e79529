package org.caregate.server.leak;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.caregate.server.fhir.ServedResourceTypes;
import org.caregate.server.personas.PersonaTest;
import org.caregate.server.security.ResourcePlacement;
import org.caregate.server.testing.PatientRecordProbes;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The leak test's paths for every Patient-compartment type the seed data has no record of (the US Core 6.1.0 and
 * EHR-export types of issue 11: CarePlan, Goal, Device, MedicationDispense, Specimen, QuestionnaireResponse,
 * Provenance, Media, ExplanationOfBenefit, MedicationAdministration, SupplyDelivery, ImagingStudy, DocumentReference,
 * and older ones): each persona reads, searches, includes, batches and writes records of each type of a patient it
 * may see and of one it may not, and nothing of the forbidden patient may come back ({@link LeakInspector}).
 * Expected access is written down here (seed-data/README.md), not asked of the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientRecordTypesLeakTest extends PersonaTest {

    private static final String DIEGO = "pat-family-17";
    private static final String SOFIA = "pat-family-4";
    private static final String LUCIA = "pat-family-13";
    private static final Set<String> NORTH_CLINIC = Set.of(
            "pat-parent-garcia",
            SOFIA,
            "pat-family-11",
            LUCIA,
            DIEGO,
            "pat-adult-alice",
            "pat-adult-bob",
            "pat-incapacitated");

    /** A persona: its token, the patients it may see, one of them and one it may not. */
    record Walker(String name, Supplier<String> token, Set<String> allowed, String own, String forbidden) {}

    private static final List<Walker> WALKERS = List.of(
            new Walker(
                    "alice",
                    () -> token("alice", "openid fhirUser launch/patient patient/*.cruds", null),
                    Set.of("pat-adult-alice"),
                    "pat-adult-alice",
                    "pat-adult-bob"),
            new Walker(
                    "maria",
                    () -> token("maria", USER_WRITE_SCOPES, null),
                    Set.of("pat-parent-garcia", SOFIA, "pat-family-11"),
                    SOFIA,
                    LUCIA),
            new Walker(
                    "dr.okafor",
                    () -> token("dr.okafor", USER_WRITE_SCOPES, null),
                    NORTH_CLINIC,
                    "pat-adult-alice",
                    "pat-adult-carol"),
            new Walker("north clinic backend", PersonaTest::backendToken, NORTH_CLINIC, DIEGO, "pat-adult-carol"));

    private static final String[] PROBED_PATIENTS = {
        "pat-adult-alice", "pat-adult-bob", "pat-adult-carol", DIEGO, SOFIA, LUCIA
    };

    @Autowired
    private ServedResourceTypes servedTypes;

    @BeforeAll
    void storeProbes() {
        PatientRecordProbes.storeFor(daoRegistry, PROBED_PATIENTS);
    }

    @Test
    void probesWhenAServedPatientRecordTypeHasNoSeedRecordThenItHasAProbe() {
        List<String> withoutRecords = new ArrayList<>();
        for (String type : servedTypes.all()) {
            if (ResourcePlacement.of(fhirContext, type).orElseThrow() != ResourcePlacement.PATIENT_COMPARTMENT
                    || "AuditEvent".equals(type)
                    || PatientRecordProbes.BUILDERS.containsKey(type)) {
                continue;
            }
            IFhirResourceDao<?> dao = daoRegistry.getResourceDao(type);
            boolean seeded =
                    dao.searchForResources(SearchParameterMap.newSynchronous(), new SystemRequestDetails()).stream()
                            .anyMatch(resource ->
                                    !resource.getIdElement().getIdPart().startsWith("probe-"));
            if (!seeded) {
                withoutRecords.add(type);
            }
        }
        assertThat(withoutRecords)
                .as("served Patient-compartment types that neither the seed data nor PatientRecordProbes has a "
                        + "record of, so no leak path walks them")
                .isEmpty();
    }

    Stream<Arguments> walks() {
        return WALKERS.stream().map(walker -> Arguments.of(walker.name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walks")
    void walkEveryTypeThenNothingOfTheForbiddenPatientLeaves(String persona) {
        Walker walker = WALKERS.stream()
                .filter(candidate -> candidate.name().equals(persona))
                .findFirst()
                .orElseThrow();
        String token = walker.token().get();
        Map<String, List<String>> forbiddenText = new TreeMap<>();
        for (String patient : PROBED_PATIENTS) {
            if (!walker.allowed().contains(patient)) {
                forbiddenText.put(patient, List.of(patient));
            }
        }
        LeakInspector.Expectation expectation =
                new LeakInspector.Expectation(walker.allowed(), Set.of(), forbiddenText);
        LeakInspector inspector = new LeakInspector(fhirContext);
        List<String> findings = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int found = 0;
        for (String type : PatientRecordProbes.BUILDERS.keySet()) {
            String parameter = compartmentParameter(type);
            String mine = PatientRecordProbes.idOf(type, walker.own());
            String theirs = PatientRecordProbes.idOf(type, walker.forbidden());
            List<FhirExchange> exchanges = new ArrayList<>();
            for (String patient : List.of(walker.own(), walker.forbidden())) {
                String id = PatientRecordProbes.idOf(type, patient);
                exchanges.add(get(token, type + "/" + id));
                exchanges.add(get(token, type + "?" + parameter + "=Patient/" + patient + "&_total=accurate"));
                exchanges.add(get(token, type + "?_id=" + id + "&_total=accurate"));
                exchanges.add(get(token, type + "?" + parameter + "=Patient/" + patient + "&_summary=count"));
                exchanges.add(get(
                        token,
                        "Patient?_id=" + patient + "&_revinclude=" + type + ":" + parameter + "&_total=accurate"));
                exchanges.add(get(token, "Patient/" + patient + "/" + type));
                exchanges.add(post(
                        token,
                        "",
                        "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                                + "{\"request\":{\"method\":\"GET\",\"url\":\"" + type + "/" + id + "\"}},"
                                + "{\"request\":{\"method\":\"GET\",\"url\":\"" + type + "?" + parameter
                                + "=Patient/" + patient + "\"}}]}"));
            }
            exchanges.add(get(token, type + "?_count=500&_total=accurate"));
            exchanges.add(get(token, type + "?_include=*&_count=500"));
            for (FhirExchange exchange : exchanges) {
                statuses.merge(exchange.status(), 1, Integer::sum);
                for (String finding : inspector.inspect(exchange, expectation)) {
                    findings.add(type + ": " + exchange.describe() + ": " + finding);
                }
                if (exchange.status() == 200 && exchange.body().contains("\"id\":\"" + mine + "\"")) {
                    found++;
                }
            }
            // a write into the forbidden patient's compartment must not succeed
            Reference forbidden = new Reference("Patient/" + walker.forbidden());
            String body = fhirContext
                    .newJsonParser()
                    .encodeResourceToString(
                            PatientRecordProbes.BUILDERS.get(type).apply(forbidden));
            FhirExchange create =
                    FhirExchange.send("POST", FHIR_BASE + "/" + type, token, body, "application/fhir+json", Map.of());
            statuses.merge(create.status(), 1, Integer::sum);
            if (create.isSuccess()) {
                findings.add(type + ": " + create.describe() + ": write into the compartment of " + walker.forbidden()
                        + " accepted");
            }
            FhirExchange update =
                    FhirExchange.send("DELETE", FHIR_BASE + "/" + type + "/" + theirs, token, null, null, Map.of());
            statuses.merge(update.status(), 1, Integer::sum);
            if (update.isSuccess()) {
                findings.add(type + ": " + update.describe() + ": delete in the compartment of " + walker.forbidden()
                        + " accepted");
            }
        }
        System.out.printf(
                "leak walk of %d patient-record types, %-22s statuses %s, own records found %d times%n",
                PatientRecordProbes.BUILDERS.size(), persona, statuses, found);
        assertThat(findings)
                .as("what %s could see or change of %s", persona, walker.forbidden())
                .isEmpty();
        // the walk is worth something only if the persona's own records of every type were found
        assertThat(found).isGreaterThanOrEqualTo(PatientRecordProbes.BUILDERS.size() * 5);
    }

    /** {@code patient} where the type has it in its Patient compartment, else the first compartment parameter. */
    private String compartmentParameter(String type) {
        List<String> names =
                fhirContext.getResourceDefinition(type).getSearchParamsForCompartmentName("Patient").stream()
                        .map(RuntimeSearchParam::getName)
                        .toList();
        return names.contains("patient") ? "patient" : names.contains("subject") ? "subject" : names.get(0);
    }

    private static FhirExchange get(String token, String url) {
        return FhirExchange.send("GET", FHIR_BASE + "/" + url, token, null, null, Map.of());
    }

    private static FhirExchange post(String token, String url, String body) {
        return FhirExchange.send(
                "POST", FHIR_BASE + (url.isEmpty() ? "" : "/" + url), token, body, "application/fhir+json", Map.of());
    }
}
