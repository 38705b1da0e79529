package org.caregate.server.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

/**
 * The hospital's EHR feed ({@code caregate-ehr-feed}, SMART Backend Services with {@code system/*.cud}) over real
 * HTTP with real {@code private_key_jwt} tokens: transaction and batch bundles, conditional create and update (upsert
 * by identifier), PUT with client ids, delete, the larger body limit, and that every write takes the ordinary path
 * (strict bodies refused whole, the access index updated). No other client may write outside its patients'
 * compartments.
 */
class EhrFeedTest extends FullStackTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MRN = "https://fhir.caregate.example/sid/mrn";

    private static String feedToken() {
        return tokens().ehrFeedToken("system/*.cud system/*.rs");
    }

    private record Answer(int status, String body, Map<String, List<String>> headers) {}

    private static Answer send(String method, String path, String token, String body) {
        String url = FHIR_BASE + (path.isEmpty() ? "" : "/" + path.replace("|", "%7C"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/fhir+json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Bundle bundle(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return fhirContext.newJsonParser().parseResource(Bundle.class, answer.body());
    }

    private static String patient(String mrn, String family, String generalPractitioner) {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + MRN + "\",\"value\":\"" + mrn + "\"}],"
                + "\"name\":[{\"family\":\"" + family + "\",\"given\":[\"Feed\"]}],\"birthDate\":\"1970-01-01\""
                + (generalPractitioner == null
                        ? ""
                        : ",\"generalPractitioner\":[{\"reference\":\"" + generalPractitioner + "\"}]")
                + "}";
    }

    @Test
    void transactionWhenEhrFeedThenPatientRecordsAndCareSystemStoredTogether() {
        String token = feedToken();
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:0b6f3c52-0000-4000-8000-000000000001\",\"resource\":"
                + "{\"resourceType\":\"Organization\",\"identifier\":[{\"system\":\"https://feed.example/org\","
                + "\"value\":\"ward-7\"}],\"name\":\"Ward 7\"},\"request\":{\"method\":\"POST\",\"url\":\"Organization\","
                + "\"ifNoneExist\":\"identifier=https://feed.example/org|ward-7\"}},"
                + "{\"fullUrl\":\"urn:uuid:0b6f3c52-0000-4000-8000-000000000002\",\"resource\":"
                + patient("FEED-T1", "Transaction", null) + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:0b6f3c52-0000-4000-8000-000000000002\"},"
                + "\"serviceProvider\":{\"reference\":\"urn:uuid:0b6f3c52-0000-4000-8000-000000000001\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Encounter\"}},"
                + "{\"resource\":{\"resourceType\":\"CarePlan\",\"status\":\"active\",\"intent\":\"plan\","
                + "\"subject\":{\"reference\":\"urn:uuid:0b6f3c52-0000-4000-8000-000000000002\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"CarePlan\"}}]}";

        Bundle response = bundle(send("POST", "", token, transaction));

        assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry())
                .extracting(entry -> entry.getResponse().getStatus())
                .allMatch(status -> status.startsWith("201"));
        String patientLocation = response.getEntry().get(1).getResponse().getLocation();
        assertThat(bundle(send(
                                "GET",
                                "CarePlan?patient=" + patientLocation.replaceAll("/_history/.*", ""),
                                token,
                                null))
                        .getEntry())
                .hasSize(1);
        // sent again, the conditional create of the organisation matches the one stored: 200, nothing new
        Bundle again = bundle(send("POST", "", token, transaction));
        assertThat(again.getEntry().get(0).getResponse().getStatus()).startsWith("200");
        assertThat(bundle(send("GET", "Organization?identifier=https://feed.example/org|ward-7", token, null))
                        .getEntry())
                .hasSize(1);
    }

    @Test
    void conditionalUpdateWhenEhrFeedThenUpsertByIdentifier() {
        String token = feedToken();
        String url = "Patient?identifier=" + URLEncoder.encode(MRN + "|FEED-U1", StandardCharsets.UTF_8);

        Answer created = send("PUT", url, token, patient("FEED-U1", "Upsert", null));
        Answer updated = send("PUT", url, token, patient("FEED-U1", "Upserted", null));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        Bundle found = bundle(send("GET", url, token, null));
        assertThat(found.getEntry()).hasSize(1);
        assertThat(found.getEntryFirstRep().getResource().getMeta().getVersionId())
                .isEqualTo("2");
        assertThat(updated.body()).contains("Upserted");
    }

    @Test
    void putWithClientIdThenDeleteWhenEhrFeedThenCreatedThenGone() {
        String token = feedToken();
        String practitioner =
                "{\"resourceType\":\"Practitioner\",\"id\":\"feed-prac-1\",\"name\":[{\"family\":" + "\"Feedwell\"}]}";

        Answer created = send("PUT", "Practitioner/feed-prac-1", token, practitioner);
        Answer deleted = send("DELETE", "Practitioner/feed-prac-1", token, null);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(deleted.status()).as(deleted.body()).isIn(200, 204);
        assertThat(send("GET", "Practitioner/feed-prac-1", token, null).status())
                .isEqualTo(410);
    }

    @Test
    void writeWhenOrdinaryBackendClientThenNoWriteScopeAndNoWriteOutsideItsPatients() {
        Answer organisation = send(
                "POST",
                "Organization",
                tokens().backendToken("system/*.rs"),
                "{\"resourceType\":\"Organization\",\"name\":\"not the feed\"}");

        assertThat(organisation.status()).isEqualTo(403);
        assertThat(organisation.body()).contains("system/Organization.c");
        assertThat(tokens().tokenResponseOf("caregate-backend-north", "system/*.cud"))
                .containsEntry("error", "invalid_scope");
    }

    @Test
    void batchWhenAnEntryFailsThenTheOthersAreStoredAndEachFailureSaysWhy() {
        String token = feedToken();
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"resource\":" + patient("FEED-B1", "Batch", null)
                + ",\"request\":{\"method\":\"PUT\",\"url\":\"Patient?identifier=" + MRN + "|FEED-B1\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"Patient/does-not-exist\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";

        Answer answer = send("POST", "", token, batch);
        Bundle response = bundle(answer);

        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        Bundle.BundleEntryResponseComponent failed = response.getEntry().get(1).getResponse();
        assertThat(failed.getStatus()).doesNotStartWith("2");
        assertThat(((OperationOutcome) failed.getOutcome()).getIssueFirstRep().getDiagnostics())
                .contains("Patient/does-not-exist");
        assertThat(answer.headers().get("x-caregate-batch-summary"))
                .containsExactly("2 entries: 1 succeeded, 1 failed (400: 1)");
    }

    @Test
    void transactionWhenOneEntryIsMalformedThenNothingIsStored() {
        String token = feedToken();
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":" + patient("FEED-M1", "Malformed", null)
                + ",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"notAnElement\":true},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";

        Answer answer = send("POST", "", token, transaction);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("OperationOutcome").contains("notAnElement");
        assertThat(bundle(send("GET", "Patient?identifier=" + MRN + "|FEED-M1", token, null))
                        .getEntry())
                .isEmpty();
    }

    @Test
    void bodyWhenLargerThanTheOrdinaryLimitThenOnlyTheFeedMayLoadIt() {
        byte[] data = new byte[8 * 1024 * 1024]; // 11 MB as base64, above the ordinary 10 MB limit
        new Random(11).nextBytes(data);
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Binary\",\"id\":\"feed-large-scan\",\"contentType\":\"application/octet-stream\","
                + "\"data\":\"" + Base64.getEncoder().encodeToString(data) + "\"},"
                + "\"request\":{\"method\":\"PUT\",\"url\":\"Binary/feed-large-scan\"}}]}";

        Answer ordinary = send("POST", "", tokens().backendToken("system/*.rs"), batch);
        Answer feed = send("POST", "", feedToken(), batch);

        assertThat(ordinary.status()).isEqualTo(413);
        assertThat(feed.status()).as(feed.body()).isEqualTo(200);
        assertThat(bundle(feed).getEntryFirstRep().getResponse().getStatus()).startsWith("201");
    }

    @Test
    void writeWhenFeedGivesANewPatientAGeneralPractitionerThenThatPractitionerSeesThemAtOnce() {
        String token = feedToken();
        String okafor = tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null);
        Answer created = send("POST", "Patient", token, patient("FEED-GP1", "Newcomer", "Practitioner/prac-north-gp"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = fhirContext
                .newJsonParser()
                .parseResource(created.body())
                .getIdElement()
                .getIdPart();
        try {
            assertThat(send("GET", "Patient/" + id, okafor, null).status()).isEqualTo(200);
        } finally {
            assertThat(send("DELETE", "Patient/" + id, token, null).status()).isIn(200, 204);
        }
        assertThat(send("GET", "Patient/" + id, okafor, null).status()).isIn(403, 410);
    }
}
