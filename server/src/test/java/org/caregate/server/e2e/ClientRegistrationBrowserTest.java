package org.caregate.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.caregate.server.testing.FullStackTest;
import org.caregate.smart.authserver.Browser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client registration by page, in headless Chromium: grace (a CareGate administrator) works on
 * {@code /portal/admin/clients} ({@code client-admin.js}), a developer registers an app through the API with the
 * initial access token she issued, and the registered app then completes a real EHR launch from the provider portal
 * ({@code smart-launch.js}: dr.okafor presses its Launch button for Alice; the app is the SMART JS client test app,
 * told its client id by its launch URI).
 */
class ClientRegistrationBrowserTest extends FullStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void chromium() {
        NodeScripts.requireChromium();
    }

    @Test
    void appWhenRegisteredByDeveloperAndApprovedOnThePageThenDrOkaforLaunchesItFromThePortal() throws Exception {
        String initialAccessToken =
                admin("issue-token", action("issue-token")).get(0).path("token").asText();
        assertThat(initialAccessToken).isNotBlank();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("client_name", "Cardiology risk viewer");
        metadata.put("redirect_uris", List.of(SmartJsClientTest.REDIRECT_URI));
        metadata.put("token_endpoint_auth_method", "none");
        metadata.put("scope", "openid fhirUser launch user/*.rs launch/patient patient/*.rs");
        metadata.put("launch_types", List.of("ehr", "standalone"));
        metadata.put("launch_uri", SmartJsClientTest.LAUNCH_URL);
        JsonNode registered = JSON.readTree(json("POST", BASE_URL + "/auth/register", initialAccessToken, metadata)
                .body());
        String clientId = registered.path("client_id").asText();
        assertThat(registered.path("registration_status").asText()).isEqualTo("pending");
        // RFC 7592: the developer now knows the client id and puts it in the launch URI the test app reads it from
        metadata.put("client_id", clientId);
        metadata.put("launch_uri", SmartJsClientTest.LAUNCH_URL + "?client_id=" + clientId);
        HttpResponse<String> updated = json(
                "PUT",
                registered.path("registration_client_uri").asText(),
                registered.path("registration_access_token").asText(),
                metadata);
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(portalPatientList()).as("a pending app is not offered").doesNotContain(clientId);

        JsonNode approved =
                admin("approve", action("approve").put("clientId", clientId)).get(0);
        assertThat(approved.path("status").asText()).isEqualTo("approved");
        assertThat(portalPatientList()).contains(clientId).contains("Cardiology risk viewer");

        JsonNode run = launch(
                options("ehr", "dr.okafor").put("ehrPatient", "pat-adult-alice").put("ehrApp", clientId));
        assertThat(run.at("/portalLaunch/launchUrl").asText()).isEqualTo(SmartJsClientTest.LAUNCH_URL);
        assertThat(run.at("/portalLaunch/redirectedToTestApp").asBoolean()).isFalse();
        assertThat(run.at("/result/patientId").asText()).isEqualTo("pat-adult-alice");
        assertThat(run.at("/result/patient/id").asText()).isEqualTo("pat-adult-alice");

        JsonNode disabled =
                admin("disable", action("disable").put("clientId", clientId)).get(0);
        assertThat(disabled.path("status").asText()).isEqualTo("disabled");
        assertThat(portalPatientList()).doesNotContain(clientId);
    }

    @Test
    void backendServiceWhenRegisteredOnThePageThenItsTokenWorksUntilDisabled() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048)
                .keyID("page-key")
                .keyUse(KeyUse.SIGNATURE)
                .generate();
        ObjectNode form = JSON.createObjectNode()
                .put("kind", "backend")
                .put("clientName", "South Bay EHR export")
                .put("scope", "system/Patient.rs system/Observation.rs")
                .put("jwks", new JWKSet(key.toPublicJWK()).toString())
                .put("organization", "org-clinic-south");
        JsonNode registered = admin("register-backend", registerAction(form)).get(0);
        String clientId = registered.path("clientId").asText();
        assertThat(registered.path("status").asText()).as(registered.toString()).isEqualTo("approved");

        String accessToken = JSON.readTree(backendToken(clientId, key).body())
                .path("access_token")
                .asText();
        assertThat(fhirGet("/Patient/pat-adult-erin", accessToken).statusCode()).isEqualTo(200);
        assertThat(fhirGet("/Patient/pat-adult-alice", accessToken).statusCode())
                .as("not a south clinic patient")
                .isEqualTo(403);

        admin("disable-backend", action("disable").put("clientId", clientId));
        assertThat(fhirGet("/Patient/pat-adult-erin", accessToken).statusCode()).isEqualTo(401);
        assertThat(backendToken(clientId, key).statusCode()).isEqualTo(401);
    }

    @Test
    void confidentialAppWhenSecretIsRotatedOnThePageThenOnlyTheNewSecretAuthenticates() throws Exception {
        ObjectNode form = JSON.createObjectNode()
                .put("kind", "app")
                .put("clientName", "Referral letters")
                .put("redirectUris", "https://letters.example/callback")
                .put("ehrLaunch", false)
                .put("authMethod", "client_secret_basic")
                .put("scope", "openid fhirUser launch/patient patient/*.rs");
        ArrayNode actions = JSON.createArrayNode().add(registerAction(form));
        JsonNode registered = admin("register-confidential", actions).get(0);
        String clientId = registered.path("clientId").asText();
        String firstSecret = registered.path("clientSecret").asText();
        assertThat(firstSecret).as(registered.toString()).isNotBlank();
        assertThat(introspect(clientId, firstSecret).statusCode()).isEqualTo(200);

        JsonNode rotated = admin("rotate-secret", action("rotate-secret").put("clientId", clientId))
                .get(0);
        String secondSecret = rotated.path("clientSecret").asText();

        assertThat(secondSecret).isNotBlank().isNotEqualTo(firstSecret);
        assertThat(introspect(clientId, firstSecret).statusCode()).isEqualTo(401);
        assertThat(introspect(clientId, secondSecret).statusCode()).isEqualTo(200);
    }

    // ----- helpers -----

    private static ObjectNode registerAction(ObjectNode form) {
        ObjectNode action = action("register");
        action.set("form", form);
        return action;
    }

    private static ObjectNode action(String name) {
        return JSON.createObjectNode().put("do", name);
    }

    private static JsonNode admin(String name, ObjectNode action) {
        return admin(name, JSON.createArrayNode().add(action));
    }

    /** Runs client-admin.js as grace; its report must say ok. */
    private static JsonNode admin(String name, ArrayNode actions) {
        ObjectNode options = JSON.createObjectNode()
                .put("baseUrl", BASE_URL)
                .put("username", "grace")
                .put("password", "grace-dev-password");
        options.set("actions", actions);
        NodeScripts.Result result =
                NodeScripts.node("client-admin-" + name, Duration.ofMinutes(2), "client-admin.js", options.toString());
        JsonNode report = NodeScripts.jsonReport("client-admin.js", result);
        assertThat(report.path("ok").asBoolean())
                .as("the administration page: %s", report.toPrettyString())
                .isTrue();
        return report.path("results");
    }

    private static ObjectNode options(String mode, String username) {
        return JSON.createObjectNode()
                .put("baseUrl", BASE_URL)
                .put("appPort", SmartJsClientTest.SMART_APP_PORT)
                .put("mode", mode)
                .put("username", username)
                .put("password", username + "-dev-password");
    }

    private static JsonNode launch(ObjectNode options) {
        NodeScripts.Result result = NodeScripts.node(
                "smart-launch-registered-app", Duration.ofMinutes(2), "smart-launch.js", options.toString());
        JsonNode report = NodeScripts.jsonReport("smart-launch.js", result);
        assertThat(report.path("ok").asBoolean())
                .as("the registered app's launch: %s", report.toPrettyString())
                .isTrue();
        return report;
    }

    /** dr.okafor's patient list in the provider portal, with its Launch buttons. */
    private static String portalPatientList() {
        Browser browser = new Browser(BASE_URL);
        HttpResponse<String> toLogin = browser.get(BASE_URL + "/portal/patients");
        HttpResponse<String> loginPage = browser.get(Browser.location(toLogin));
        return browser.follow(browser.login(loginPage, "dr.okafor", "dr.okafor-dev-password"))
                .body();
    }

    private HttpResponse<String> json(String method, String url, String bearer, Map<String, Object> body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + bearer)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> backendToken(String clientId, RSAKey key) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(BASE_URL + "/auth/token")
                .jwtID(UUID.randomUUID().toString())
                .expirationTime(new Date(System.currentTimeMillis() + 240_000))
                .build();
        SignedJWT assertion = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS384)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        assertion.sign(new RSASSASigner(key));
        return form(
                "/auth/token",
                null,
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "scope",
                        "system/Patient.rs",
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion",
                        assertion.serialize()));
    }

    private HttpResponse<String> introspect(String clientId, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return form("/auth/introspect", basic, Map.of("token", "not-a-token"));
    }

    private HttpResponse<String> form(String path, String basic, Map<String, String> form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE_URL + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.formBody(form)));
        if (basic != null) {
            request.header("Authorization", "Basic " + basic);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> fhirGet(String path, String accessToken) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(FHIR_BASE + path))
                        .header("Authorization", "Bearer " + accessToken)
                        .header("Accept", "application/fhir+json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
