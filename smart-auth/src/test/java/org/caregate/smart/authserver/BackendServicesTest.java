package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** SMART Backend Services: client_credentials with a signed client assertion (RFC 7523), system/ scopes only. */
class BackendServicesTest extends SmartAuthServerTestSupport {

    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private HttpResponse<String> backendToken(String assertion, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null) {
            form.put("scope", scope);
        }
        form.put("client_assertion_type", ASSERTION_TYPE);
        form.put("client_assertion", assertion);
        return tokenRequest(form);
    }

    @Test
    void clientCredentialsWhenAssertionIsValidThenShortLivedSystemToken() throws Exception {
        HttpResponse<String> response =
                backendToken(clientAssertion(BACKEND_NORTH), "system/Patient.rs system/Observation.rs");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> token = OAuthErrorAssert.json(response);
        assertThat(((Number) token.get("expires_in")).longValue()).isLessThanOrEqualTo(300);
        assertThat(token).doesNotContainKeys("refresh_token", "patient", "need_patient_banner", "id_token");
        JWTClaimsSet claims = verifiedClaims((String) token.get("access_token"));
        assertThat(claims.getSubject()).isEqualTo(BACKEND_NORTH);
        assertThat(claims.getClaim("client_id")).isEqualTo(BACKEND_NORTH);
        assertThat(claims.getClaim("organization")).isEqualTo("org-clinic-north");
        assertThat(claims.getAudience()).containsExactly(FHIR_BASE);
        assertThat(claims.getStringClaim("scope").split(" "))
                .containsExactlyInAnyOrder("system/Patient.rs", "system/Observation.rs");
        assertThat(claims.getClaim("fhirUser")).isNull();
    }

    @Test
    void clientCredentialsWhenAssertionIsReplayedThenInvalidClient() {
        String assertion = clientAssertion(BACKEND_NORTH);
        assertThat(backendToken(assertion, "system/*.rs").statusCode()).isEqualTo(200);

        OAuthErrorAssert.assertOAuthError(backendToken(assertion, "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void clientCredentialsWhenAssertionAudienceIsNotTokenEndpointThenInvalidClient() {
        String assertion = clientAssertion(
                BACKEND_NORTH,
                privateKey(BACKEND_NORTH),
                BASE,
                UUID.randomUUID().toString(),
                240);

        OAuthErrorAssert.assertOAuthError(backendToken(assertion, "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void clientCredentialsWhenAssertionLivesLongerThanFiveMinutesThenInvalidClient() {
        String assertion = clientAssertion(
                BACKEND_NORTH,
                privateKey(BACKEND_NORTH),
                BASE + "/auth/token",
                UUID.randomUUID().toString(),
                3600);

        OAuthErrorAssert.assertOAuthError(backendToken(assertion, "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void clientCredentialsWhenAssertionIsSignedWithAnotherKeyThenInvalidClient() {
        String assertion = clientAssertion(
                BACKEND_NORTH,
                privateKey(ASYMMETRIC_APP),
                BASE + "/auth/token",
                UUID.randomUUID().toString(),
                240);

        OAuthErrorAssert.assertOAuthError(backendToken(assertion, "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void clientCredentialsWhenAssertionIsGarbageThenInvalidClient() {
        OAuthErrorAssert.assertOAuthError(backendToken("not.a.jwt", "system/*.rs"), 401, "invalid_client");
    }

    @Test
    void clientCredentialsWhenPatientScopeRequestedThenInvalidScope() {
        OAuthErrorAssert.assertOAuthError(
                backendToken(clientAssertion(BACKEND_NORTH), "patient/*.rs"), 400, "invalid_scope");
    }

    @Test
    void clientCredentialsWhenScopeIsMalformedThenInvalidScope() {
        OAuthErrorAssert.assertOAuthError(
                backendToken(clientAssertion(BACKEND_NORTH), "system/Patient.xyz"), 400, "invalid_scope");
    }

    @Test
    void clientCredentialsWhenScopeIsMissingThenInvalidScope() {
        OAuthErrorAssert.assertOAuthError(backendToken(clientAssertion(BACKEND_NORTH), null), 400, "invalid_scope");
    }

    @Test
    void clientCredentialsWhenScopeWiderThanRegisteredThenInvalidScope() {
        OAuthErrorAssert.assertOAuthError(
                backendToken(clientAssertion(BACKEND_NORTH), "system/*.cruds"), 400, "invalid_scope");
    }

    @Test
    void authorizationCodeWhenClientIsBackendServiceThenUnauthorizedClient() {
        HttpResponse<String> response = tokenRequest(Map.of(
                "grant_type",
                "authorization_code",
                "code",
                "x",
                "redirect_uri",
                REDIRECT_URI,
                "client_assertion_type",
                ASSERTION_TYPE,
                "client_assertion",
                clientAssertion(BACKEND_NORTH)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(OAuthErrorAssert.json(response).get("error")).isIn("unauthorized_client", "invalid_grant");
        assertThat(response.body()).doesNotContain("access_token");
    }
}
