package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The authorization-code grant at the token endpoint: PKCE, codes, clients (RFC 6749 section 5.2, RFC 7636). */
class TokenEndpointTest extends SmartAuthServerTestSupport {

    private static final String SCOPE = "launch/patient patient/*.rs";

    private Map<String, String> exchange(String code, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", REDIRECT_URI);
        form.put("client_id", PUBLIC_APP);
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        return form;
    }

    @Test
    void tokenWhenCodeVerifierIsWrongThenInvalidGrant() {
        Pkce pkce = Pkce.create();
        String code = authorizationCode(ALICE, "alice-pw", SCOPE, pkce);

        OAuthErrorAssert.assertOAuthError(
                tokenRequest(exchange(code, Pkce.create().verifier())), 400, "invalid_grant");
    }

    @Test
    void tokenWhenCodeVerifierIsBlankThenRefused() {
        Pkce pkce = Pkce.create();
        String code = authorizationCode(ALICE, "alice-pw", SCOPE, pkce);

        HttpResponse<String> response = tokenRequest(exchange(code, ""));

        assertThat(response.statusCode()).isIn(400, 401);
        assertThat(OAuthErrorAssert.json(response).get("error"))
                .isIn("invalid_grant", "invalid_request", "invalid_client");
        assertThat(response.body()).doesNotContain("access_token");
    }

    @Test
    void tokenWhenCodeVerifierIsMissingForConfidentialClientThenInvalidGrant() {
        Pkce pkce = Pkce.create();
        String code = confidentialCode(pkce);
        Map<String, String> form = new LinkedHashMap<>(
                Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT_URI));

        OAuthErrorAssert.assertOAuthError(
                tokenRequest(form, basic(CONFIDENTIAL_APP, confidentialSecret())), 400, "invalid_grant");
    }

    @Test
    void tokenWhenCodeVerifierIsPlainChallengeValueThenInvalidGrant() {
        Pkce pkce = Pkce.create();
        String code = authorizationCode(ALICE, "alice-pw", SCOPE, pkce);

        OAuthErrorAssert.assertOAuthError(tokenRequest(exchange(code, pkce.challenge())), 400, "invalid_grant");
    }

    @Test
    void tokenWhenCodeIsUnknownThenInvalidGrant() {
        OAuthErrorAssert.assertOAuthError(
                tokenRequest(exchange("not-a-code", Pkce.create().verifier())), 400, "invalid_grant");
    }

    @Test
    void tokenWhenCodeIsUsedTwiceThenInvalidGrant() {
        Pkce pkce = Pkce.create();
        String code = authorizationCode(ALICE, "alice-pw", SCOPE, pkce);
        exchangePublic(code, pkce.verifier());

        OAuthErrorAssert.assertOAuthError(tokenRequest(exchange(code, pkce.verifier())), 400, "invalid_grant");
    }

    @Test
    void tokenWhenRedirectUriDiffersFromAuthorizationRequestThenInvalidGrant() {
        Pkce pkce = Pkce.create();
        String code = authorizationCode(ALICE, "alice-pw", SCOPE, pkce);
        Map<String, String> form = exchange(code, pkce.verifier());
        form.put("redirect_uri", "https://oauth.pstmn.io/v1/callback");

        OAuthErrorAssert.assertOAuthError(tokenRequest(form), 400, "invalid_grant");
    }

    @Test
    void tokenWhenClientIsUnknownThenInvalidClient() {
        Map<String, String> form = exchange("whatever", Pkce.create().verifier());
        form.put("client_id", "no-such-client");

        OAuthErrorAssert.assertOAuthError(tokenRequest(form), 401, "invalid_client");
    }

    @Test
    void tokenWhenClientSecretIsWrongThenInvalidClient() {
        OAuthErrorAssert.assertOAuthError(
                tokenRequest(
                        Map.of(
                                "grant_type",
                                "authorization_code",
                                "code",
                                "x",
                                "redirect_uri",
                                REDIRECT_URI,
                                "code_verifier",
                                "y"),
                        basic(CONFIDENTIAL_APP, "wrong")),
                401,
                "invalid_client");
    }

    @Test
    void tokenWhenGrantTypeIsUnsupportedThenUnsupportedGrantType() {
        OAuthErrorAssert.assertOAuthError(
                tokenRequest(
                        Map.of("grant_type", "password", "username", ALICE, "password", "alice-pw"),
                        basic(CONFIDENTIAL_APP, confidentialSecret())),
                400,
                "unsupported_grant_type");
    }

    @Test
    void tokenWhenClientUsesGrantTypeNotRegisteredThenUnauthorizedClient() {
        OAuthErrorAssert.assertOAuthError(
                tokenRequest(
                        Map.of("grant_type", "client_credentials", "scope", "system/*.rs"),
                        basic(CONFIDENTIAL_APP, confidentialSecret())),
                400,
                "unauthorized_client");
    }

    @Test
    void tokenWhenConfidentialClientUsesSecretBasicThenIssued() {
        Pkce pkce = Pkce.create();
        String code = confidentialCode(pkce);

        HttpResponse<String> response = tokenRequest(
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        code,
                        "redirect_uri",
                        REDIRECT_URI,
                        "code_verifier",
                        pkce.verifier()),
                basic(CONFIDENTIAL_APP, confidentialSecret()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(OAuthErrorAssert.json(response))
                .containsEntry("patient", "pat-adult-alice")
                .containsKey("refresh_token");
    }

    @Test
    void tokenWhenConfidentialClientUsesSecretPostThenIssued() {
        Pkce pkce = Pkce.create();
        String code = confidentialCode(pkce);

        HttpResponse<String> response = tokenRequest(Map.of(
                "grant_type",
                "authorization_code",
                "code",
                code,
                "redirect_uri",
                REDIRECT_URI,
                "code_verifier",
                pkce.verifier(),
                "client_id",
                CONFIDENTIAL_APP,
                "client_secret",
                confidentialSecret()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void tokenWhenAsymmetricClientSignsAssertionWithRs384ThenIssued() {
        Pkce pkce = Pkce.create();
        String code = codeFor(ASYMMETRIC_APP, pkce);

        HttpResponse<String> response = tokenRequest(Map.of(
                "grant_type",
                "authorization_code",
                "code",
                code,
                "redirect_uri",
                REDIRECT_URI,
                "code_verifier",
                pkce.verifier(),
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                clientAssertion(ASYMMETRIC_APP)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(OAuthErrorAssert.json(response)).containsEntry("patient", "pat-adult-alice");
    }

    @Test
    void tokenWhenAsymmetricClientAssertionIsSignedWithAnotherKeyThenInvalidClient() {
        String assertion = clientAssertion(
                ASYMMETRIC_APP,
                privateKey(BACKEND_NORTH),
                BASE + "/auth/token",
                UUID.randomUUID().toString(),
                240);

        OAuthErrorAssert.assertOAuthError(
                tokenRequest(Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        "x",
                        "redirect_uri",
                        REDIRECT_URI,
                        "code_verifier",
                        "y",
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion",
                        assertion)),
                401,
                "invalid_client");
    }

    private String confidentialCode(Pkce pkce) {
        return codeFor(CONFIDENTIAL_APP, pkce);
    }

    private String codeFor(String clientId, Pkce pkce) {
        Browser browser = new Browser(BASE);
        String state = UUID.randomUUID().toString();
        HttpResponse<String> approval = startAndLogin(
                browser, authorizeUrl(clientId, SCOPE + " offline_access", pkce, state), ALICE, "alice-pw");
        return code(approve(browser, approval, null), state);
    }
}
