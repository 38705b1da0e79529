package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Authorization requests that must never yield a code (RFC 6749 section 4.1.2.1, RFC 7636, SMART App Launch). */
class AuthorizationRequestTest extends SmartAuthServerTestSupport {

    private static final String SCOPE = "launch/patient patient/*.rs";

    private HttpResponse<String> authorize(Map<String, String> extra) {
        Map<String, String> parameters = new HashMap<>(extra);
        return new Browser(BASE).get(authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), "st-1", parameters));
    }

    @Test
    void authorizeWhenAudIsAnotherServerThenInvalidRequestAndNoCode() {
        OAuthErrorAssert.assertRedirectError(
                authorize(Map.of("aud", "https://evil.example/fhir")), REDIRECT_URI, "invalid_request", "st-1");
    }

    @Test
    void authorizeWhenAudIsMissingThenInvalidRequestAndNoCode() {
        Map<String, String> noAud = new HashMap<>();
        noAud.put("aud", null);
        OAuthErrorAssert.assertRedirectError(authorize(noAud), REDIRECT_URI, "invalid_request", "st-1");
    }

    @Test
    void authorizeWhenAudIsWrongAfterLoginThenStillNoCode() {
        Browser browser = new Browser(BASE);
        String good = authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), "st-2");
        startAndLogin(browser, good, ALICE, "alice-pw");

        HttpResponse<String> response =
                browser.get(authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), "st-3", Map.of("aud", BASE + "/other")));

        OAuthErrorAssert.assertRedirectError(response, REDIRECT_URI, "invalid_request", "st-3");
    }

    @Test
    void authorizeWhenCodeChallengeMethodIsPlainThenInvalidRequest() {
        OAuthErrorAssert.assertRedirectError(
                authorize(Map.of("code_challenge_method", "plain")), REDIRECT_URI, "invalid_request", "st-1");
    }

    @Test
    void authorizeWhenCodeChallengeIsMalformedThenInvalidRequestSayingWhy() {
        for (String challenge : new String[] {"short", "x".repeat(44), "a".repeat(42) + "+", "a".repeat(42) + "="}) {
            Map<String, String> query = OAuthErrorAssert.assertRedirectError(
                    authorize(Map.of("code_challenge", challenge)), REDIRECT_URI, "invalid_request", "st-1");
            assertThat(query.get("error_description")).as(challenge).contains("43 characters");
        }
    }

    @Test
    void authorizeWhenCodeChallengeIsMissingThenInvalidRequest() {
        Map<String, String> noPkce = new HashMap<>();
        noPkce.put("code_challenge", null);
        noPkce.put("code_challenge_method", null);
        OAuthErrorAssert.assertRedirectError(authorize(noPkce), REDIRECT_URI, "invalid_request", "st-1");
    }

    @Test
    void authorizeWhenScopeIsMalformedThenInvalidScope() {
        OAuthErrorAssert.assertRedirectError(
                authorize(Map.of("scope", "patient/Observation.sr")), REDIRECT_URI, "invalid_scope", "st-1");
    }

    @Test
    void authorizeWhenScopeIsNotRegisteredForClientThenInvalidScope() {
        // the confidential example app is registered read-only
        OAuthErrorAssert.assertRedirectError(
                authorize(Map.of("client_id", CONFIDENTIAL_APP, "scope", "patient/*.cruds")),
                REDIRECT_URI,
                "invalid_scope",
                "st-1");
    }

    @Test
    void authorizeWhenSystemScopeRequestedThenInvalidScope() {
        OAuthErrorAssert.assertRedirectError(
                authorize(Map.of("scope", "system/*.rs")), REDIRECT_URI, "invalid_scope", "st-1");
    }

    @Test
    void authorizeWhenNarrowerScopeThanRegisteredThenAccepted() {
        HttpResponse<String> response = authorize(Map.of("scope", "launch/patient patient/Observation.rs"));

        assertThat(Browser.location(response)).endsWith("/auth/login");
    }

    @Test
    void authorizeWhenRedirectUriIsNotRegisteredThenBadRequestWithoutRedirect() {
        OAuthErrorAssert.assertNoRedirectError(authorize(Map.of("redirect_uri", "https://evil.example/callback")));
    }

    @Test
    void authorizeWhenRedirectUriDiffersOnlyByPathSuffixThenBadRequestWithoutRedirect() {
        OAuthErrorAssert.assertNoRedirectError(authorize(Map.of("redirect_uri", REDIRECT_URI + "/x")));
    }

    @Test
    void authorizeWhenClientIsUnknownThenBadRequestWithoutRedirect() {
        OAuthErrorAssert.assertNoRedirectError(authorize(Map.of("client_id", "no-such-client")));
    }

    @Test
    void authorizeWhenLaunchIsUnknownThenInvalidRequest() {
        OAuthErrorAssert.assertRedirectError(
                authorize(Map.of("scope", "launch patient/*.rs", "launch", "nope")),
                REDIRECT_URI,
                "invalid_request",
                "st-1");
    }

    @Test
    void authorizeWhenLaunchScopeWithoutLaunchParameterThenInvalidRequest() {
        OAuthErrorAssert.assertRedirectError(
                authorize(Map.of("scope", "launch patient/*.rs")), REDIRECT_URI, "invalid_request", "st-1");
    }

    @Test
    void authorizeWhenResponseTypeIsTokenThenUnsupportedResponseType() {
        HttpResponse<String> response = authorize(Map.of("response_type", "token"));

        assertThat(response.statusCode()).isIn(302, 400);
        assertThat(response.headers().firstValue("Location").orElse(""))
                .doesNotContain("code=")
                .doesNotContain("access_token");
    }
}
