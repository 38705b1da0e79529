package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** EHR launch: the portal's launch context, single use, short-lived, bound to the user who launched. */
class EhrLaunchTest extends SmartAuthServerTestSupport {

    private static final String SCOPE = "launch openid fhirUser patient/*.rs user/*.rs";

    @Test
    void ehrLaunchWhenLaunchContextIsValidThenTokenCarriesPatientAndEncounter() throws Exception {
        String launch = launchContexts.create(DR_NORTH, "pat-child-4", "enc-42");
        Browser browser = new Browser(BASE);
        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();

        HttpResponse<String> approval = startAndLogin(
                browser, authorizeUrl(PUBLIC_APP, SCOPE, pkce, state, Map.of("launch", launch)), DR_NORTH, "north-pw");
        assertThat(approval.uri().getPath()).isEqualTo("/auth/consent");
        assertThat(approval.body()).contains("Leo Garcia");
        Map<String, Object> token = exchangePublic(code(approve(browser, approval, null), state), pkce.verifier());

        assertThat(token)
                .containsEntry("patient", "pat-child-4")
                .containsEntry("encounter", "enc-42")
                .containsEntry("need_patient_banner", true);
        JWTClaimsSet claims = verifiedClaims((String) token.get("access_token"));
        assertThat(claims.getClaim("patient")).isEqualTo("pat-child-4");
        assertThat(claims.getClaim("encounter")).isEqualTo("enc-42");
        assertThat(claims.getClaim("fhirUser")).isEqualTo("Practitioner/prac-north-gp");
    }

    @Test
    void ehrLaunchWhenLaunchIsUsedTwiceThenSecondIsRefused() {
        String launch = launchContexts.create(DR_NORTH, "pat-adult-alice", null);
        Browser browser = new Browser(BASE);
        String state = UUID.randomUUID().toString();
        HttpResponse<String> approval = startAndLogin(
                browser,
                authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), state, Map.of("launch", launch)),
                DR_NORTH,
                "north-pw");
        code(approve(browser, approval, null), state);

        HttpResponse<String> again =
                browser.get(authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), "again", Map.of("launch", launch)));

        OAuthErrorAssert.assertRedirectError(again, REDIRECT_URI, "invalid_request", "again");
    }

    @Test
    void ehrLaunchWhenAnotherUserRedeemsTheLaunchThenInvalidRequest() {
        String launch = launchContexts.create(DR_NORTH, "pat-adult-alice", null);
        Browser browser = new Browser(BASE);
        String state = UUID.randomUUID().toString();

        HttpResponse<String> result = startAndLogin(
                browser,
                authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), state, Map.of("launch", launch)),
                ALICE,
                "alice-pw");

        OAuthErrorAssert.assertRedirectError(result, REDIRECT_URI, "invalid_request", state);
    }

    @Test
    void ehrLaunchWhenLaunchHasExpiredThenInvalidRequest() {
        String launch = launchContexts.create(DR_NORTH, "pat-adult-alice", null);
        clock.advance(Duration.ofMinutes(6));

        HttpResponse<String> result =
                new Browser(BASE).get(authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), "late", Map.of("launch", launch)));

        OAuthErrorAssert.assertRedirectError(result, REDIRECT_URI, "invalid_request", "late");
    }

    @Test
    void ehrLaunchWhenLaunchIsBoundToAnotherClientThenInvalidRequest() {
        String launch = launchContexts.create(DR_NORTH, CONFIDENTIAL_APP, "pat-adult-alice", null);

        HttpResponse<String> result = new Browser(BASE)
                .get(authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), "other", Map.of("launch", launch)));

        OAuthErrorAssert.assertRedirectError(result, REDIRECT_URI, "invalid_request", "other");
    }
}
