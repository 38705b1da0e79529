package org.caregate.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.caregate.server.personas.PersonaTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What an operator checks: the probes answer a load balancer or Kubernetes without credentials (status only),
 * metrics and health details need the operator account, every response carries a request id that is also in the
 * log lines, a refusal is one INFO line naming the rule, and no link follows a spoofed {@code Host}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperationsTest extends PersonaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE_URL + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> asOperator(String path) throws Exception {
        return get(path, "Authorization", basic(OPERATOR, OPERATOR_PASSWORD));
    }

    @Test
    void readinessWhenAnonymousThenUpWithoutDetails() throws Exception {
        HttpResponse<String> response = get("/actuator/health/readiness");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.has("components")).isFalse();
    }

    @Test
    void livenessWhenAnonymousThenUp() throws Exception {
        HttpResponse<String> response = get("/actuator/health/liveness");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void readinessWhenOperatorThenDatabaseMigrationsAndAuditStoreChecked() throws Exception {
        HttpResponse<String> response = asOperator("/actuator/health/readiness");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode components = JSON.readTree(response.body()).path("components");
        assertThat(components.path("db").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("db").path("details").path("database").asText())
                .isEqualTo("PostgreSQL");
        assertThat(components.path("migrations").path("status").asText()).isEqualTo("UP");
        assertThat(components
                        .path("migrations")
                        .path("details")
                        .path("hapi-fhir")
                        .asText())
                .endsWith(" 0 failed");
        assertThat(components.path("auditStore").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("auditStore").path("details").has("backlog")).isTrue();
    }

    @Test
    void prometheusWhenAnonymousOrWrongPasswordThenUnauthorized() throws Exception {
        assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", "Authorization", basic(OPERATOR, "wrong"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(get("/actuator/metrics").statusCode()).isEqualTo(401);
        // an account of CareGate's own users is no operator
        assertThat(get("/actuator/prometheus", "Authorization", basic("alice", "alice"))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void environmentAndOtherEndpointsWhenOperatorThenNotExposed() throws Exception {
        for (String path : new String[] {
            "/actuator/env",
            "/actuator/configprops",
            "/actuator/heapdump",
            "/actuator/beans",
            "/actuator/loggers",
            "/actuator/threaddump"
        }) {
            assertThat(asOperator(path).statusCode()).as(path).isIn(403, 404);
        }
    }

    @Test
    void prometheusWhenOperatorThenFhirRequestsRefusalsPoolAndJvmWithoutSecretsOrPatientData() throws Exception {
        String token = token("alice", PATIENT_SCOPES, null);
        assertThat(get("/fhir/Patient/pat-adult-alice", "Authorization", "Bearer " + token)
                        .statusCode())
                .isEqualTo(200);
        assertThat(get("/fhir/Patient/pat-adult-bob", "Authorization", "Bearer " + token)
                        .statusCode())
                .isEqualTo(403);
        assertThat(get("/fhir/Patient?name=Nguyen").statusCode()).isEqualTo(401);

        HttpResponse<String> response = asOperator("/actuator/prometheus");

        assertThat(response.statusCode()).isEqualTo(200);
        String metrics = response.body();
        assertThat(metrics)
                .containsPattern(
                        "caregate_fhir_requests_seconds_bucket\\{[^}]*interaction=\"read\"[^}]*status=\"200\"[^}]*type=\"Patient\"")
                .containsPattern(
                        "caregate_fhir_requests_seconds_count\\{[^}]*interaction=\"read\"[^}]*status=\"403\"[^}]*type=\"Patient\"")
                .containsPattern("caregate_fhir_refusals_total\\{[^}]*rule=\"deny-all\",status=\"403\"")
                .containsPattern("caregate_fhir_refusals_total\\{[^}]*rule=\"bearer-token\",status=\"401\"")
                .contains(
                        "caregate_audit_backlog",
                        "hikaricp_connections_active",
                        "jvm_memory_used_bytes",
                        "http_server_requests_seconds_bucket");
        assertThat(metrics).doesNotContain("pat-adult", "Nguyen", "Thompson", OPERATOR_PASSWORD, token, "jdbc:");
    }

    @Test
    void requestIdWhenNoneOfferedThenGeneratedAndWhenWellFormedThenKept() throws Exception {
        HttpResponse<String> generated = get("/fhir/metadata");
        HttpResponse<String> kept = get("/fhir/metadata", "X-Request-Id", "lb-0123456789abcdef");
        HttpResponse<String> malformed = get("/fhir/metadata", "X-Request-Id", "<script>");

        assertThat(generated.headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).hasSize(36));
        assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("lb-0123456789abcdef");
        assertThat(malformed.headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).hasSize(36));
        assertThat(get("/auth/login").headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void refusalWhenLoggedThenOneInfoLineWithRequestIdAndRuleButNoStackTraceOrPatientData(CapturedOutput output)
            throws Exception {
        String token = token("alice", PATIENT_SCOPES, null);
        int before = output.getOut().length();

        assertThat(get(
                                "/fhir/Patient/pat-adult-bob",
                                "Authorization",
                                "Bearer " + token,
                                "X-Request-Id",
                                "refusal-test-4711")
                        .statusCode())
                .isEqualTo(403);

        String logged = output.getOut().substring(before);
        assertThat(logged.lines().filter(line -> line.contains("refusal-test-4711")))
                .singleElement()
                .satisfies(
                        line -> assertThat(line).contains(" INFO ", "Refused read Patient with 403: rule 'deny-all'"));
        assertThat(logged).doesNotContain("pat-adult-bob", "Thompson", "\tat ca.uhn", "ERROR");
    }

    @Test
    void linksWhenHostAndForwardedHeadersSpoofedThenPublicBaseUrl() throws Exception {
        String token = token("alice", PATIENT_SCOPES, null);
        String response = rawGet(
                "/fhir/Observation?_count=1",
                "Host: caregate.example.org",
                "X-Forwarded-Host: evil.example.com",
                "X-Forwarded-Proto: https",
                "Forwarded: host=evil.example.com",
                "Authorization: Bearer " + token);

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(response)
                .contains("\"url\":\"" + FHIR_BASE + "?")
                .contains("\"fullUrl\":\"" + FHIR_BASE + "/Observation/")
                .doesNotContain("caregate.example.org", "evil.example.com", "https://");
    }

    /** A request with headers the JDK's HTTP client will not send ({@code Host}). */
    private static String rawGet(String path, String... headers) throws Exception {
        try (Socket socket = new Socket("localhost", PORT)) {
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            request.append("Accept: application/fhir+json\r\nConnection: close\r\n\r\n");
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
