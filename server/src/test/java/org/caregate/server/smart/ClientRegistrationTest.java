package org.caregate.server.smart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.caregate.server.bulk.BulkExportClient;
import org.caregate.server.testing.FullStackTest;
import org.caregate.smart.authserver.Browser;
import org.junit.jupiter.api.Test;

/**
 * Client registration the way a community EHR and the hospital's IT go through it, over real HTTP: grace (a CareGate
 * administrator) issues an initial access token on {@code /portal/admin/clients}; the EHR's developer registers a
 * backend service with it (RFC 7591); it is pending (no token) until grace approves it on the page; its token then
 * reads the clinic's patients at {@code /fhir}; once grace disables it, that very token gets 401 at once, and
 * approving it again does not bring the old token back. Between approval and disabling, the EHR exports its
 * organisation's patients with Bulk Data, as the README's steps say.
 */
class ClientRegistrationTest extends FullStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("id=\"initial-access-token\">([^<]+)<");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void backendServiceWhenRegisteredByApiThenPendingApprovedAndDisabledOnThePage() throws Exception {
        Browser grace = loggedIn("grace", "/portal/admin/clients");
        String initialAccessToken = issueInitialAccessToken(grace);
        ECKey key = new ECKeyGenerator(Curve.P_384)
                .keyID("ehr-key-1")
                .keyUse(KeyUse.SIGNATURE)
                .generate();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("client_name", "North Valley community EHR");
        metadata.put("grant_types", List.of("client_credentials"));
        metadata.put("token_endpoint_auth_method", "private_key_jwt");
        metadata.put("token_endpoint_auth_signing_alg", "ES384");
        metadata.put("jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject())));
        metadata.put("scope", "system/*.rs");
        metadata.put("organization", "org-clinic-north");

        HttpResponse<String> registered = post("/auth/register", initialAccessToken, JSON.writeValueAsString(metadata));

        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        JsonNode client = JSON.readTree(registered.body());
        String clientId = client.path("client_id").asText();
        assertThat(client.path("registration_status").asText()).isEqualTo("pending");
        assertThat(grace.get(BASE_URL + "/portal/admin/clients").body())
                .contains("client-" + clientId)
                .contains("North Valley community EHR");
        HttpResponse<String> refused = backendToken(clientId, key);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("invalid_client");

        HttpResponse<String> review = grace.get(BASE_URL + "/portal/admin/clients/" + clientId);
        assertThat(review.body())
                .contains("org-clinic-north")
                .contains("North Valley Community Clinic")
                .contains("system/*.rs");
        pressOnReviewPage(grace, clientId, "approve");
        String accessToken = accessToken(backendToken(clientId, key));
        assertThat(readPatients(accessToken).statusCode()).isEqualTo(200);
        // the registered EHR exports its organisation's patients, as the README tells it to
        BulkExportClient ehr = new BulkExportClient(accessToken);
        String status = ehr.kickOff(FHIR_BASE + "/Group/org-clinic-north-patients/$export?_type=Patient");
        JsonNode manifest = ehr.awaitManifest(status);
        assertThat(BulkExportClient.ids(ehr.download(manifest, "Patient")))
                .isNotEmpty()
                .contains("Patient/pat-adult-alice")
                .doesNotContain("Patient/pat-adult-carol");

        pressOnReviewPage(grace, clientId, "disable");
        assertThat(ehr.get(status, Map.of()).statusCode())
                .as("the export's status with the disabled client's token")
                .isEqualTo(401);
        HttpResponse<String> afterDisable = readPatients(accessToken);
        assertThat(afterDisable.statusCode()).as(afterDisable.body()).isEqualTo(401);
        assertThat(afterDisable.body()).contains("disabled");
        assertThat(backendToken(clientId, key).statusCode()).isEqualTo(401);

        pressOnReviewPage(grace, clientId, "approve");
        assertThat(readPatients(accessToken).statusCode())
                .as("a token from before the disabling")
                .isEqualTo(401);
        assertThat(readPatients(accessToken(backendToken(clientId, key))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void clientPagesWhenOpenedByOtherStaffThenForbidden() {
        Browser priya = loggedIn("priya", "/portal/admin/clients");
        HttpResponse<String> page = priya.get(BASE_URL + "/portal/admin/clients");
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).doesNotContain("initial-access-token").doesNotContain("Register a client");
    }

    @Test
    void administratorWhenLaunchingAnAppThenSeesNoPatient() throws Exception {
        String token = tokens().userToken("grace", "openid fhirUser user/*.rs", null);
        HttpResponse<String> search = http.send(
                HttpRequest.newBuilder(URI.create(FHIR_BASE + "/Patient"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/fhir+json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (search.statusCode() == 200) {
            assertThat(JSON.readTree(search.body()).path("entry"))
                    .as(search.body())
                    .isEmpty();
        } else {
            assertThat(search.statusCode()).as(search.body()).isEqualTo(403);
        }
    }

    // ----- helpers -----

    /** Logs in through the portal (the login page of the authorization server) and lands on {@code path}. */
    private static Browser loggedIn(String username, String path) {
        Browser browser = new Browser(BASE_URL);
        HttpResponse<String> toLogin = browser.get(BASE_URL + path);
        HttpResponse<String> loginPage = browser.get(Browser.location(toLogin));
        browser.follow(browser.login(loginPage, username, username + "-dev-password"));
        return browser;
    }

    private static String issueInitialAccessToken(Browser admin) {
        HttpResponse<String> page = admin.get(BASE_URL + "/portal/admin/clients");
        HttpResponse<String> issued = admin.follow(admin.post(
                BASE_URL + "/portal/admin/clients/initial-access-tokens",
                Map.of("note", "north EHR vendor", "_csrf", Browser.csrf(page))));
        Matcher matcher = TOKEN.matcher(issued.body());
        assertThat(matcher.find()).as("token on the page: %s", issued.body()).isTrue();
        return matcher.group(1);
    }

    private static void pressOnReviewPage(Browser admin, String clientId, String action) {
        HttpResponse<String> review = admin.get(BASE_URL + "/portal/admin/clients/" + clientId);
        HttpResponse<String> after = admin.follow(admin.post(
                BASE_URL + "/portal/admin/clients/" + clientId + "/" + action, Map.of("_csrf", Browser.csrf(review))));
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(after.body()).contains(action.equals("approve") ? "status-APPROVED" : "status-DISABLED");
    }

    private HttpResponse<String> post(String path, String bearer, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(BASE_URL + path))
                        .header("Authorization", "Bearer " + bearer)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SMART Backend Services, with an assertion exactly as the spec lists it (no iat). */
    private HttpResponse<String> backendToken(String clientId, ECKey key) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(BASE_URL + "/auth/token")
                .jwtID(UUID.randomUUID().toString())
                .expirationTime(new Date(System.currentTimeMillis() + 240_000))
                .build();
        SignedJWT assertion = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES384)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        assertion.sign(new ECDSASigner(key));
        return http.send(
                HttpRequest.newBuilder(URI.create(BASE_URL + "/auth/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(Browser.formBody(Map.of(
                                "grant_type",
                                "client_credentials",
                                "scope",
                                "system/Patient.rs",
                                "client_assertion_type",
                                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                                "client_assertion",
                                assertion.serialize()))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String accessToken(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    private HttpResponse<String> readPatients(String accessToken) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(FHIR_BASE + "/Patient?_count=1"))
                        .header("Authorization", "Bearer " + accessToken)
                        .header("Accept", "application/fhir+json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
