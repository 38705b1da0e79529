package org.caregate.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bad input gets a 4xx with an OperationOutcome that says what is wrong, stores nothing, and the server keeps
 * serving.
 */
class BadInputTest extends FullStackTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private JdbcTemplate jdbc;

    private long resourcesBefore;

    /** A community practitioner allowed to write (user/*.cruds): bad input must fail on its own merits. */
    private static String token;

    @BeforeEach
    void practitionerToken() {
        if (token == null) {
            token = tokens().userToken("dr.okafor", "openid fhirUser user/*.cruds", null);
        }
    }

    @BeforeEach
    void countResources() {
        resourcesBefore = resourceCount();
    }

    @AfterEach
    void nothingWasStoredAndTheServerStillServes() throws Exception {
        assertThat(resourceCount()).isEqualTo(resourcesBefore);
        HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(FHIR_BASE + "/Patient/pat-adult-alice"))
                .header("Accept", "application/fhir+json")
                .GET());
        assertThat(read.statusCode()).isEqualTo(200);
    }

    /** Every stored resource but the audit trail, which records the bad requests themselves in the background. */
    private long resourceCount() {
        return jdbc.queryForObject("select count(*) from hfj_resource where res_type <> 'AuditEvent'", Long.class);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(FHIR_BASE + path))
                .header("Content-Type", contentType)
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private OperationOutcome outcome(HttpResponse<String> response) {
        return fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
    }

    @Test
    void malformedJsonIsRefusedWithAnOperationOutcome() throws Exception {
        HttpResponse<String> response = post("/Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("not valid JSON");
    }

    @Test
    void malformedXmlIsRefusedWithAnOperationOutcome() throws Exception {
        HttpResponse<String> response =
                post("/Patient", "application/fhir+xml", "<Patient xmlns=\"http://hl7.org/fhir\"><name>");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("not well-formed XML");
    }

    @Test
    void unknownResourceTypeIsRefused() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(FHIR_BASE + "/Spaceship/1"))
                .header("Accept", "application/fhir+json")
                .GET());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("Unknown resource type 'Spaceship'");
    }

    @Test
    void wrongContentTypeIsRefused() throws Exception {
        HttpResponse<String> response = post("/Patient", "text/plain", "a patient, please");

        assertThat(response.statusCode()).isIn(400, 415);
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("Content-Type");
    }

    @Test
    void bodyOverTheSizeLimitIsRefusedBeforeParsing() throws Exception {
        String huge = "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}]}";

        HttpResponse<String> response = post("/Patient", "application/fhir+json", huge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("larger than this server accepts");
    }

    @Test
    void invalidResourceIdIsRefused() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(FHIR_BASE + "/Patient/not%20an%20id!"))
                .header("Accept", "application/fhir+json")
                .GET());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("not a valid FHIR resource id");
    }

    @Test
    void updateWithAnInvalidIdInTheBodyIsRefused() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(FHIR_BASE + "/Patient/bad_id"))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"id\":\"bad_id\"}")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains("not a valid FHIR resource id");
    }
}
