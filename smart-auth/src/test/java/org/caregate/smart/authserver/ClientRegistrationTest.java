package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.caregate.smart.authserver.client.ClientRegistry;
import org.caregate.smart.authserver.registration.InitialAccessTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * OAuth 2.0 Dynamic Client Registration (RFC 7591) with an administrator's initial access token, client management
 * (RFC 7592), and the review: a developer's client is pending (unknown to the authorization and token endpoints)
 * until approved, and a disabled one is refused again.
 */
@SuppressWarnings("unchecked")
class ClientRegistrationTest extends SmartAuthServerTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private InitialAccessTokens initialAccessTokens;

    @Autowired
    private ClientRegistry registry;

    @Test
    void registerWhenBackendServiceThenPendingUntilApprovedAndRefusedOnceDisabled() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_384)
                .keyID("k1")
                .keyUse(KeyUse.SIGNATURE)
                .generate();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("client_name", "Community EHR of Clinic North");
        metadata.put("grant_types", List.of("client_credentials"));
        metadata.put("token_endpoint_auth_method", "private_key_jwt");
        metadata.put("jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject())));
        metadata.put("scope", "system/Patient.rs system/Observation.rs");
        metadata.put("organization", "org-clinic-north");
        metadata.put("contacts", List.of("it@north.example"));

        HttpResponse<String> registered = register(initialAccessToken(), metadata);

        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        assertThat(registered.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(value -> assertThat(value).contains("no-store"));
        Map<String, Object> client = OAuthErrorAssert.json(registered);
        String clientId = (String) client.get("client_id");
        assertThat(client)
                .containsEntry("registration_status", "pending")
                .containsEntry("token_endpoint_auth_method", "private_key_jwt")
                .containsEntry("organization", "org-clinic-north")
                .containsEntry("registration_client_uri", BASE + "/auth/register/" + clientId)
                .containsKeys("registration_access_token", "client_id_issued_at", "jwks")
                .doesNotContainKey("client_secret");
        assertThat(((String) client.get("scope")).split(" "))
                .containsExactlyInAnyOrder("system/Patient.rs", "system/Observation.rs");

        OAuthErrorAssert.assertOAuthError(backendToken(clientId, key), 401, "invalid_client");

        registry.approve(clientId, "grace");
        HttpResponse<String> token = backendToken(clientId, key);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(verifiedClaims((String) OAuthErrorAssert.json(token).get("access_token"))
                        .getStringClaim("organization"))
                .isEqualTo("org-clinic-north");

        registry.disable(clientId, "grace");
        OAuthErrorAssert.assertOAuthError(backendToken(clientId, key), 401, "invalid_client");
    }

    @Test
    void registerWhenInitialAccessTokenIsMissingWrongOrUsedThenInvalidToken() {
        Map<String, Object> metadata = publicApp("Token test app");
        assertInvalidToken(register(null, metadata));
        assertInvalidToken(register("made-up", metadata));

        String token = initialAccessToken();
        assertThat(register(token, metadata).statusCode()).isEqualTo(201);
        assertInvalidToken(register(token, metadata));
    }

    @Test
    void registerWhenMetadataIsWrongThenInvalidClientMetadataAndTheTokenIsNotUsedUp() {
        String token = initialAccessToken();
        Map<String, Object> noRedirect = publicApp("No redirect");
        noRedirect.remove("redirect_uris");
        OAuthErrorAssert.assertOAuthError(register(token, noRedirect), 400, "invalid_redirect_uri");
        Map<String, Object> plainHttp = publicApp("Plain http");
        plainHttp.put("redirect_uris", List.of("http://app.example/callback"));
        OAuthErrorAssert.assertOAuthError(register(token, plainHttp), 400, "invalid_redirect_uri");
        Map<String, Object> systemScope = publicApp("System scope");
        systemScope.put("scope", "system/*.rs");
        OAuthErrorAssert.assertOAuthError(register(token, systemScope), 400, "invalid_client_metadata");
        Map<String, Object> badScope = publicApp("Bad scope");
        badScope.put("scope", "patient/Observation.xyz");
        OAuthErrorAssert.assertOAuthError(register(token, badScope), 400, "invalid_client_metadata");
        Map<String, Object> backendWithSecret = new LinkedHashMap<>(Map.of(
                "client_name",
                "Backend with a secret",
                "grant_types",
                List.of("client_credentials"),
                "token_endpoint_auth_method",
                "client_secret_basic",
                "scope",
                "system/*.rs",
                "organization",
                "org-clinic-north"));
        OAuthErrorAssert.assertOAuthError(register(token, backendWithSecret), 400, "invalid_client_metadata");
        Map<String, Object> ehrWithoutLaunchUri = publicApp("EHR without launch URI");
        ehrWithoutLaunchUri.put("launch_types", List.of("ehr"));
        OAuthErrorAssert.assertOAuthError(register(token, ehrWithoutLaunchUri), 400, "invalid_client_metadata");
        OAuthErrorAssert.assertOAuthError(
                send(registration(token)
                        .POST(HttpRequest.BodyPublishers.ofString("{"))
                        .build()),
                400,
                "invalid_client_metadata");

        assertThat(register(token, publicApp("Finally right")).statusCode()).isEqualTo(201);
    }

    @Test
    void authorizeWhenClientIsPendingThenUnauthorizedClientAndNoRedirect() {
        Map<String, Object> registered = OAuthErrorAssert.json(register(initialAccessToken(), publicApp("Pending")));
        String clientId = (String) registered.get("client_id");

        HttpResponse<String> response =
                new Browser(BASE).get(authorizeUrl(clientId, "launch/patient patient/*.rs", Pkce.create(), "s1"));

        OAuthErrorAssert.assertNoRedirectError(response);
        assertThat(response.body()).contains("unauthorized_client").contains("pending");
    }

    @Test
    void managementWhenRegistrationAccessTokenIsGivenThenReadUpdateAndDelete() throws Exception {
        Map<String, Object> metadata = publicApp("Managed app");
        metadata.put("token_endpoint_auth_method", "client_secret_basic");
        Map<String, Object> registered = OAuthErrorAssert.json(register(initialAccessToken(), metadata));
        String clientId = (String) registered.get("client_id");
        String registrationToken = (String) registered.get("registration_access_token");
        String secret = (String) registered.get("client_secret");
        assertThat(secret).isNotBlank();
        registry.approve(clientId, "grace");
        String uri = (String) registered.get("registration_client_uri");

        HttpResponse<String> read =
                send(management(uri, registrationToken).GET().build());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(OAuthErrorAssert.json(read))
                .containsEntry("client_name", "Managed app")
                .containsEntry("registration_status", "approved")
                .doesNotContainKey("client_secret");
        assertInvalidToken(send(management(uri, "wrong").GET().build()));
        assertInvalidToken(send(management(BASE + "/auth/register/" + UUID.randomUUID(), registrationToken)
                .GET()
                .build()));

        // an approved client whose redirect URIs change goes back to review
        Map<String, Object> changed = new LinkedHashMap<>(metadata);
        changed.put("client_id", clientId);
        changed.put("redirect_uris", List.of("https://app.example/new-callback"));
        HttpResponse<String> updated = send(management(uri, registrationToken)
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(changed)))
                .build());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(OAuthErrorAssert.json(updated))
                .containsEntry("registration_status", "pending")
                .containsEntry("redirect_uris", List.of("https://app.example/new-callback"));
        assertThat(registry.isApproved(clientId)).isFalse();

        HttpResponse<String> deleted =
                send(management(uri, registrationToken).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertInvalidToken(send(management(uri, registrationToken).GET().build()));
        assertThat(registry.entry(clientId)).isEmpty();
    }

    @Test
    void discoveryWhenRequestedThenNamesTheRegistrationEndpoint() {
        for (String path : List.of(
                "/fhir/.well-known/smart-configuration",
                "/.well-known/openid-configuration",
                "/.well-known/oauth-authorization-server")) {
            assertThat(OAuthErrorAssert.json(get(path, Map.of())))
                    .as(path)
                    .containsEntry("registration_endpoint", BASE + "/auth/register");
        }
    }

    // ----- helpers -----

    private String initialAccessToken() {
        return initialAccessTokens.issue("grace", "test").token();
    }

    private static Map<String, Object> publicApp(String name) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("client_name", name);
        metadata.put("redirect_uris", List.of(REDIRECT_URI));
        metadata.put("token_endpoint_auth_method", "none");
        metadata.put("scope", "openid fhirUser launch/patient patient/*.rs");
        metadata.put("launch_types", List.of("standalone"));
        return metadata;
    }

    private HttpResponse<String> register(String initialAccessToken, Map<String, Object> metadata) {
        try {
            return send(registration(initialAccessToken)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(metadata)))
                    .build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpRequest.Builder registration(String initialAccessToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + "/auth/register"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json");
        if (initialAccessToken != null) {
            request.header("Authorization", "Bearer " + initialAccessToken);
        }
        return request;
    }

    private static HttpRequest.Builder management(String uri, String registrationToken) {
        return HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + registrationToken);
    }

    private static void assertInvalidToken(HttpResponse<String> response) {
        OAuthErrorAssert.assertOAuthError(response, 401, "invalid_token");
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer error=\"invalid_token\""));
    }

    private HttpResponse<String> backendToken(String clientId, ECKey key) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(BASE + "/auth/token")
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
        return tokenRequest(Map.of(
                "grant_type",
                "client_credentials",
                "scope",
                "system/Patient.rs",
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                assertion.serialize()));
    }
}
