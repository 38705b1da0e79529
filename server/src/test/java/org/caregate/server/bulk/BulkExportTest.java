package org.caregate.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bulk Data export by the north clinic's backend client (SMART Backend Services, {@code system/*.rs}), over real
 * HTTP the way a community EHR follows the IG: kick-off, status, manifest, download. An export holds exactly what
 * the same client's searches show at its transaction time, and nothing of a patient the consent rules refuse it.
 */
class BulkExportTest extends FullStackTest {

    private static final String ALICE = "pat-adult-alice";
    private static final String CAROL = "pat-adult-carol";
    private static final String NORTH_GROUP = "org-clinic-north-patients";
    private static String clinicToken;

    @Autowired
    private DaoRegistry daoRegistry;

    @Autowired
    private DataSource dataSource;

    private static String clinicToken() {
        if (clinicToken == null) {
            clinicToken = tokens().backendToken("system/*.rs");
        }
        return clinicToken;
    }

    private BulkExportClient clinic() {
        return new BulkExportClient(clinicToken());
    }

    /** Every resource of a search by the clinic's own token, all pages. */
    private List<String> searched(String query) {
        IGenericClient client = fhirClient(clinicToken());
        Bundle page = client.search().byUrl(query).returnBundle(Bundle.class).execute();
        List<String> ids = new ArrayList<>();
        while (true) {
            page.getEntry()
                    .forEach(entry -> ids.add(entry.getResource().fhirType() + "/"
                            + entry.getResource().getIdElement().getIdPart()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return ids;
            }
            page = client.loadPage().next(page).execute();
        }
    }

    @Test
    void systemExportThenExactlyWhatTheClientsSearchesShowWithHeldResultsAndNeverCarol() {
        String kickOff = FHIR_BASE + "/$export?_type=Patient,Observation,Coverage";
        String status = clinic().kickOff(kickOff);

        JsonNode manifest = clinic().awaitManifest(status);

        assertThat(manifest.get("request").asText()).isEqualTo(kickOff);
        assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
        assertThat(Instant.parse(manifest.get("transactionTime").asText()))
                .isBefore(Instant.now().plusSeconds(1));
        List<String> patients = BulkExportClient.ids(clinic().download(manifest, "Patient"));
        List<String> observations = BulkExportClient.ids(clinic().download(manifest, "Observation"));
        List<String> coverages = BulkExportClient.ids(clinic().download(manifest, "Coverage"));
        assertThat(patients)
                .containsExactlyInAnyOrderElementsOf(searched("Patient?_count=100"))
                .contains("Patient/" + ALICE)
                .doesNotContain("Patient/" + CAROL, "Patient/pat-adult-frank");
        assertThat(observations)
                .containsExactlyInAnyOrderElementsOf(searched("Observation?_count=200"))
                .contains("Observation/obs-alice-hgb-followup")
                .doesNotHaveDuplicates();
        assertThat(coverages).containsExactlyInAnyOrderElementsOf(searched("Coverage?_count=100"));
        for (JsonNode output : manifest.get("output")) {
            assertThat(output.get("count").asInt()).as(output.toString()).isPositive();
        }
        assertThat(manifest.get("error").toString())
                .as("the note says how many were left out, never who")
                .doesNotContain(CAROL);
    }

    @Test
    void groupExportOfTheClinicsPatientsThenItsMembersAndTheGroupIsReadable() {
        String status = clinic().kickOff(FHIR_BASE + "/Group/" + NORTH_GROUP + "/$export?_type=Patient,Condition");

        JsonNode manifest = clinic().awaitManifest(status);

        List<String> exported = BulkExportClient.ids(clinic().download(manifest, "Patient"));
        assertThat(exported).containsExactlyInAnyOrderElementsOf(searched("Patient?_count=100"));
        Group group = fhirClient(clinicToken())
                .read()
                .resource(Group.class)
                .withId(NORTH_GROUP)
                .execute();
        assertThat(group.getMember())
                .extracting(member -> member.getEntity().getReference())
                .containsExactlyInAnyOrderElementsOf(exported);
        assertThat(BulkExportClient.ids(clinic().download(manifest, "Condition")))
                .containsExactlyInAnyOrderElementsOf(searched("Condition?_count=200"));
    }

    @Test
    void patientExportByPostForOnePatientThenOnlyHerRecord() {
        String parameters = """
                {"resourceType": "Parameters", "parameter": [
                  {"name": "_type", "valueString": "Observation,MedicationRequest"},
                  {"name": "patient", "valueReference": {"reference": "Patient/pat-adult-alice"}}]}""";
        HttpResponse<String> kickOff =
                clinic().post(FHIR_BASE + "/Patient/$export", parameters, Map.of("Prefer", "respond-async"));
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);

        JsonNode manifest = clinic().awaitManifest(
                        kickOff.headers().firstValue("Content-Location").orElseThrow());

        List<JsonNode> observations = clinic().download(manifest, "Observation");
        assertThat(BulkExportClient.ids(observations))
                .containsExactlyInAnyOrderElementsOf(searched("Observation?patient=" + ALICE + "&_count=200"))
                .isNotEmpty();
        assertThat(BulkExportClient.ids(clinic().download(manifest, "MedicationRequest")))
                .containsExactlyInAnyOrderElementsOf(searched("MedicationRequest?patient=" + ALICE + "&_count=200"));
    }

    @Test
    void typeFilterAndElementsThenOnlyMatchingResourcesWithTheElementsAskedFor() {
        String status = clinic().kickOff(FHIR_BASE
                + "/$export?_type=Observation,Patient&_typeFilter=Observation%3Fcategory%3Dlaboratory"
                + "&_elements=Patient.gender");

        JsonNode manifest = clinic().awaitManifest(status);

        assertThat(BulkExportClient.ids(clinic().download(manifest, "Observation")))
                .containsExactlyInAnyOrderElementsOf(searched("Observation?category=laboratory&_count=200"))
                .isNotEmpty();
        List<JsonNode> patients = clinic().download(manifest, "Patient");
        assertThat(patients).isNotEmpty().allSatisfy(patient -> {
            assertThat(patient.has("gender")).isTrue();
            assertThat(patient.has("name")).as("left out by _elements").isFalse();
            assertThat(patient.get("meta").get("tag").toString()).contains("SUBSETTED");
        });
    }

    @Test
    void sinceTheLastExportThenOnlyWhatChangedAfterIt() {
        JsonNode first = clinic().awaitManifest(clinic().kickOff(FHIR_BASE + "/$export?_type=Observation"));
        String since = first.get("transactionTime").asText();
        Observation changed = daoRegistry
                .getResourceDao(Observation.class)
                .read(
                        new org.hl7.fhir.r4.model.IdType("Observation", "obs-alice-hgb-followup"),
                        new SystemRequestDetails());
        changed.addNote().setText("reviewed for the bulk export test");
        BulkExportClient.sleep(20); // a later instant than the transaction time
        daoRegistry.getResourceDao(Observation.class).update(changed, new SystemRequestDetails());

        JsonNode second = clinic().awaitManifest(
                        clinic().kickOff(FHIR_BASE + "/$export?_type=Observation&_since=" + since.replace("+", "%2B")));

        assertThat(BulkExportClient.ids(clinic().download(second, "Observation")))
                .containsExactly("Observation/obs-alice-hgb-followup");
    }

    @Test
    void patientRefusesTheClinicThenHerRecordLeavesTheNextExportAndComesBackWhenSheWithdraws() {
        Consent refusal = new Consent();
        refusal.setId("consent-alice-bulk-test");
        refusal.setStatus(Consent.ConsentState.ACTIVE);
        refusal.setPatient(new Reference("Patient/" + ALICE));
        refusal.getScope()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/consentscope")
                .setCode("patient-privacy");
        refusal.addCategory().addCoding().setSystem("http://loinc.org").setCode("59284-0");
        refusal.getProvision().setType(Consent.ConsentProvisionType.DENY);
        refusal.getProvision()
                .getPeriod()
                .setStart(java.util.Date.from(Instant.now().minusSeconds(3600)));
        refusal.getProvision()
                .addActor()
                .setReference(new Reference("Organization/org-clinic-north"))
                .getRole()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ParticipationType")
                .setCode("IRCP");
        var consents = daoRegistry.getResourceDao(Consent.class);
        consents.update(refusal, new SystemRequestDetails());
        try {
            JsonNode refused = clinic().awaitManifest(clinic().kickOff(
                            FHIR_BASE + "/Group/" + NORTH_GROUP + "/$export?_type=Patient,Observation"));

            assertThat(BulkExportClient.ids(clinic().download(refused, "Patient")))
                    .doesNotContain("Patient/" + ALICE, "Patient/" + CAROL)
                    .isNotEmpty();
            assertThat(clinic().download(refused, "Observation"))
                    .allSatisfy(observation -> assertThat(
                                    observation.get("subject").get("reference").asText())
                            .isNotEqualTo("Patient/" + ALICE));
        } finally {
            consents.delete(
                    new org.hl7.fhir.r4.model.IdType("Consent", "consent-alice-bulk-test"), new SystemRequestDetails());
        }

        JsonNode withdrawn = clinic().awaitManifest(
                        clinic().kickOff(FHIR_BASE + "/Group/" + NORTH_GROUP + "/$export?_type=Patient"));

        assertThat(BulkExportClient.ids(clinic().download(withdrawn, "Patient")))
                .contains("Patient/" + ALICE);
    }

    static Stream<Arguments> badKickOffs() {
        return Stream.of(
                Arguments.of("/$export", Map.of(), 400, "Prefer: respond-async"),
                Arguments.of(
                        "/$export?_outputFormat=text/csv",
                        Map.of("Prefer", "respond-async"),
                        400,
                        "_outputFormat 'text/csv' is not supported"),
                Arguments.of(
                        "/$export?_since=yesterday",
                        Map.of("Prefer", "respond-async"),
                        400,
                        "_since 'yesterday' is not a FHIR instant"),
                Arguments.of(
                        "/$export?_type=Patinet",
                        Map.of("Prefer", "respond-async"),
                        400,
                        "'Patinet' is not a FHIR R4 resource type"),
                Arguments.of(
                        "/$export?_typeFilter=Observation%3Fcategory%3Dlaboratory&_type=Patient",
                        Map.of("Prefer", "respond-async"), 400, "which this export does not contain"),
                Arguments.of(
                        "/$export?_type=Observation&_typeFilter=Observation%3Fsubject.name%3DSmith",
                        Map.of("Prefer", "respond-async"), 400, "is not supported"),
                Arguments.of(
                        "/$export?includeAssociatedData=LatestProvenanceResources",
                        Map.of("Prefer", "respond-async"),
                        400,
                        "Unsupported export parameter(s) [includeAssociatedData]"),
                Arguments.of(
                        "/Patient/$export?patient=Patient/pat-adult-alice",
                        Map.of("Prefer", "respond-async"),
                        400,
                        "POST Parameters body"),
                Arguments.of(
                        "/Patient/$export?_type=Organization",
                        Map.of("Prefer", "respond-async"),
                        400,
                        "not in the Patient compartment"),
                Arguments.of(
                        "/Group/no-such-group/$export",
                        Map.of("Prefer", "respond-async"),
                        404,
                        "Group/org-clinic-north-patients"),
                Arguments.of(
                        "/$export", Map.of("Prefer", "respond-async", "Accept", "text/html"), 400, "Accept header"));
    }

    @ParameterizedTest
    @MethodSource("badKickOffs")
    void badKickOffThenClearErrorAndNoExport(String path, Map<String, String> headers, int status, String reason) {
        HttpResponse<String> response = clinic().get(FHIR_BASE + path, headers);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("OperationOutcome").contains(reason);
        assertThat(response.headers().firstValue("Content-Location")).isEmpty();
    }

    @Test
    void unsupportedParameterWhenLenientThenAccepted() {
        HttpResponse<String> response = clinic().get(
                        FHIR_BASE + "/$export?_type=Patient&includeAssociatedData=LatestProvenanceResources",
                        Map.of("Prefer", "respond-async, handling=lenient"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        clinic().awaitManifest(response.headers().firstValue("Content-Location").orElseThrow());
    }

    @Test
    void patientParameterNamingAPatientWhoRefusedTheClinicThenForbiddenNamingTheRule() {
        String parameters = """
                {"resourceType": "Parameters", "parameter": [
                  {"name": "patient", "valueReference": {"reference": "Patient/pat-adult-carol"}}]}""";

        HttpResponse<String> response =
                clinic().post(FHIR_BASE + "/Patient/$export", parameters, Map.of("Prefer", "respond-async"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("Access denied by rule 'patient-opt-out'");
    }

    @Test
    void patientAppTokenThenForbiddenNamingTheBulkExportRule() {
        String alice = tokens().userToken("alice", "openid fhirUser launch/patient patient/*.rs", ALICE);

        HttpResponse<String> response =
                new BulkExportClient(alice).get(FHIR_BASE + "/Patient/$export", Map.of("Prefer", "respond-async"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body())
                .contains("Access denied by rule 'bulk-export'")
                .contains("system/");
    }

    @Test
    void statusAndFilesWithAnotherClientsTokenOrNoneThenRefused() {
        String status = clinic().kickOff(FHIR_BASE + "/$export?_type=Patient");
        JsonNode manifest = clinic().awaitManifest(status);
        String file = manifest.get("output").get(0).get("url").asText();
        String alice = tokens().userToken("alice", "openid fhirUser launch/patient patient/*.rs", ALICE);

        for (String url : List.of(status, file)) {
            HttpResponse<String> otherClient = new BulkExportClient(alice).get(url, Map.of());
            HttpResponse<String> noToken = new BulkExportClient(null).get(url, Map.of());
            assertThat(otherClient.statusCode()).isEqualTo(403);
            assertThat(otherClient.body()).contains("bulk-export-owner").doesNotContain("Patient/");
            assertThat(noToken.statusCode()).isEqualTo(401);
            assertThat(noToken.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
        }
        assertThat(new BulkExportClient("not-a-token").get(status, Map.of()).statusCode())
                .isEqualTo(401);
    }

    @Test
    void pollingFasterThanAllowedThenTooManyRequestsWithRetryAfter() {
        String status = clinic().kickOff(FHIR_BASE + "/$export?_type=Patient,Observation,Condition,Encounter");

        HttpResponse<String> first = clinic().get(status, Map.of());
        HttpResponse<String> second = clinic().get(status, Map.of());

        assertThat(first.statusCode()).isIn(200, 202);
        if (first.statusCode() == 202) {
            assertThat(first.headers().firstValue("X-Progress")).isPresent();
            assertThat(first.headers().firstValue("Retry-After")).isPresent();
            assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After")).isPresent();
        }
        clinic().awaitManifest(status);
    }

    @Test
    void cancelThenStatusAndFilesAreGone() {
        String status = clinic().kickOff(FHIR_BASE + "/$export?_type=Patient");
        JsonNode manifest = clinic().awaitManifest(status);
        String file = manifest.get("output").get(0).get("url").asText();

        HttpResponse<String> cancelled = clinic().delete(status);

        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        assertThat(clinic().get(status, Map.of()).statusCode()).isEqualTo(404);
        assertThat(clinic().get(file, Map.of()).statusCode()).isEqualTo(404);
        assertThat(clinic().delete(status).statusCode()).isEqualTo(404);
    }

    @Test
    void filesAfterTheRetentionTimeThenGone() {
        String status = clinic().kickOff(FHIR_BASE + "/$export?_type=Patient");
        JsonNode manifest = clinic().awaitManifest(status);
        String file = manifest.get("output").get(0).get("url").asText();
        assertThat(clinic().get(file, Map.of()).statusCode()).isEqualTo(200);

        String job = status.substring(status.lastIndexOf('/') + 1);
        // a day and more later: the retention time (24 hours) has passed since it completed
        new JdbcTemplate(dataSource)
                .update(
                        "update caregate_bulk.export_job set completed = completed - interval "
                                + "'25 hours', expires = expires - interval '25 hours' where id = ?::uuid",
                        job);

        HttpResponse<String> expired = clinic().get(status, Map.of());

        assertThat(expired.statusCode()).isEqualTo(404);
        assertThat(expired.body()).contains("expired");
        assertThat(clinic().get(file, Map.of()).statusCode()).isEqualTo(404);
        assertThat(new JdbcTemplate(dataSource)
                        .queryForObject(
                                "select count(*) from caregate_bulk.export_file where job_id = ?::uuid",
                                Integer.class,
                                job))
                .as("its files are removed")
                .isZero();
    }

    @Test
    void nodeStoppedDuringAnExportThenAnotherTakesItOverAndTheFilesHaveNoDuplicates() {
        String status = clinic().kickOff(FHIR_BASE + "/$export?_type=Patient,Observation");
        JsonNode complete = clinic().awaitManifest(status);
        List<String> observations = BulkExportClient.ids(clinic().download(complete, "Observation"));
        String job = status.substring(status.lastIndexOf('/') + 1);
        // the state a node leaves behind when it is killed in the middle of this export: claimed, silent for a
        // minute, with a part of a file written
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update(
                "update caregate_bulk.export_job set status = 'running', claimed_by = 'node-killed', heartbeat = "
                        + "now() - interval '1 minute', completed = null, expires = null where id = ?::uuid",
                job);
        jdbc.update("update caregate_bulk.export_file set resources = 1 where job_id = ?::uuid", job);

        JsonNode again = clinic().awaitManifest(status);

        assertThat(again.get("transactionTime")).isEqualTo(complete.get("transactionTime"));
        assertThat(counts(again)).isEqualTo(counts(complete));
        assertThat(BulkExportClient.ids(clinic().download(again, "Observation")))
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(observations);
    }

    private static Map<String, Integer> counts(JsonNode manifest) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        manifest.get("output")
                .forEach(output -> counts.merge(
                        output.get("type").asText(), output.get("count").asInt(), Integer::sum));
        return counts;
    }

    @Test
    void capabilityStatementDeclaresTheExportOperations() {
        CapabilityStatement capabilities =
                fhirClient().capabilities().ofType(CapabilityStatement.class).execute();

        assertThat(capabilities.getInstantiates())
                .extracting(canonical -> canonical.getValue())
                .contains("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data");
        assertThat(capabilities.getRestFirstRep().getOperation())
                .extracting(operation -> operation.getDefinition())
                .contains("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export");
        assertThat(capabilities.getRestFirstRep().getResource())
                .filteredOn(resource -> resource.getType().equals("Group"))
                .flatExtracting(resource -> resource.getOperation())
                .extracting(operation -> operation.getDefinition())
                .contains("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export");
    }
}
