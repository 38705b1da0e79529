package org.caregate.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.caregate.server.testing.FullStackTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SMART JavaScript client ({@code fhirclient} from the npm registry, its browser bundle) in headless Chromium,
 * against CareGate: a small app ({@code server/src/test/node/smart-app}, client {@code caregate-public-app}) served on
 * a fixed loopback port, driven by {@code smart-launch.js} through the login, picker and approval pages; the app
 * itself exchanges the code with PKCE (cross-origin, so CORS is part of the test), reads the patient and searches
 * their Observations.
 *
 * <p>The app's redirect URI {@value #REDIRECT_URI} must be registered ({@code caregate.smart.extra-redirect-uris}
 * in {@link FullStackTest}).
 */
class SmartJsClientTest extends FullStackTest {

    static final int SMART_APP_PORT = 18931;
    static final String REDIRECT_URI = "http://127.0.0.1:18931/smart-app/callback.html";
    static final String LAUNCH_URL = "http://127.0.0.1:18931/smart-app/launch.html";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void chromium() {
        NodeScripts.requireChromium();
    }

    @Test
    void standaloneLaunchWhenAliceApprovesThenTheAppReadsHerPatientAndObservations() {
        JsonNode run = launch("standalone-alice", options("standalone", "alice"));

        assertThat(run.path("steps").toString())
                .as("login, no picker (one patient), approval")
                .contains("/auth/login", "/auth/consent")
                .doesNotContain("/auth/picker");
        assertThat(texts(run.path("approvalScopes"))).contains("launch/patient", "patient/*.rs");
        JsonNode result = run.path("result");
        assertThat(result.path("patientId").asText()).isEqualTo("pat-adult-alice");
        assertThat(result.path("fhirUser").asText()).isEqualTo("Patient/pat-adult-alice");
        assertThat(result.path("tokenScope").asText()).contains("patient/*.rs", "launch/patient");
        assertThat(result.at("/patient/resourceType").asText()).isEqualTo("Patient");
        assertThat(result.at("/patient/name/0").asText()).isEqualTo("Alice Nguyen");
        assertThat(result.path("observations")).isNotEmpty();
        assertThat(subjects(result)).containsOnly("Patient/pat-adult-alice");
    }

    @Test
    void standaloneLaunchWhenMariaPicksHerFourYearOldThenTheAppReadsSofiaButTheTeenagersAreNotOffered() {
        JsonNode run = launch("standalone-maria", options("standalone", "maria").put("pick", "pat-family-4"));

        List<String> offered = new ArrayList<>();
        run.path("picker")
                .forEach(choice -> offered.add(choice.path("patientId").asText()));
        assertThat(offered).contains("pat-family-4", "pat-family-11").doesNotContain("pat-family-13", "pat-family-17");
        JsonNode result = run.path("result");
        assertThat(result.path("patientId").asText()).isEqualTo("pat-family-4");
        assertThat(result.path("fhirUser").asText()).isEqualTo("Patient/pat-parent-garcia");
        assertThat(result.at("/patient/id").asText()).isEqualTo("pat-family-4");
        assertThat(result.at("/patient/name/0").asText()).isEqualTo("Sofia Garcia");
        assertThat(result.path("observations")).isNotEmpty();
        assertThat(subjects(result)).containsOnly("Patient/pat-family-4");
    }

    /**
     * The provider portal's Launch button (dr.okafor, for Alice) creates a launch context and sends the browser to
     * the launch URL of {@code caregate-public-app} with {@code iss} and {@code launch}; fhirclient completes the EHR
     * launch with them. The portal's default launch URL for that client is its built-in demo app
     * ({@code caregate.portal.apps} unset), so {@code smart-launch.js} sends that one navigation to this test app
     * instead, with the same {@code iss} and {@code launch}; if the portal is configured with this app's launch URL
     * ({@value #LAUNCH_URL}), nothing is redirected.
     */
    @Test
    void ehrLaunchFromTheProviderPortalWhenDrOkaforLaunchesForAliceThenTheAppGetsHerAsPatientContext() {
        JsonNode run = launch("ehr-okafor", options("ehr", "dr.okafor").put("ehrPatient", "pat-adult-alice"));

        assertThat(run.path("steps").toString()).contains("/portal/patients");
        assertThat(run.at("/portalLaunch/iss").asText()).isEqualTo(FHIR_BASE);
        assertThat(run.at("/portalLaunch/launch").asText()).isNotBlank();
        assertThat(texts(run.path("approvalScopes"))).contains("launch");
        JsonNode result = run.path("result");
        assertThat(result.path("patientId").asText()).isEqualTo("pat-adult-alice");
        assertThat(result.path("fhirUser").asText()).isEqualTo("Practitioner/prac-north-gp");
        assertThat(result.at("/patient/id").asText()).isEqualTo("pat-adult-alice");
        assertThat(subjects(result)).isNotEmpty().containsOnly("Patient/pat-adult-alice");
    }

    private ObjectNode options(String mode, String username) {
        return JSON.createObjectNode()
                .put("baseUrl", BASE_URL)
                .put("appPort", SMART_APP_PORT)
                .put("mode", mode)
                .put("username", username)
                .put("password", username + "-dev-password");
    }

    /** Runs smart-launch.js; its JSON report must say ok (the report is in target/e2e/{name}.stdout.log). */
    private static JsonNode launch(String name, ObjectNode options) {
        NodeScripts.Result result =
                NodeScripts.node("smart-launch-" + name, Duration.ofMinutes(2), "smart-launch.js", options.toString());
        JsonNode report = NodeScripts.jsonReport("smart-launch.js", result);
        assertThat(report.path("ok").asBoolean())
                .as("the SMART JS client's launch: %s", report.toPrettyString())
                .isTrue();
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return report;
    }

    private static List<String> subjects(JsonNode result) {
        List<String> subjects = new ArrayList<>();
        result.path("observations")
                .forEach(observation -> subjects.add(observation.path("subject").asText()));
        return subjects;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
