package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Refresh tokens: offline_access, rotation, never wider, and consent re-checked on every refresh. */
class RefreshTokenTest extends SmartAuthServerTestSupport {

    private static final String SCOPE = "openid fhirUser launch/patient patient/*.rs offline_access";

    private Map<String, Object> guardianToken(String patientId) {
        Browser browser = new Browser(BASE);
        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();
        HttpResponse<String> picker =
                startAndLogin(browser, authorizeUrl(PUBLIC_APP, SCOPE, pkce, state), GARCIA, "garcia-pw");
        String code = code(approve(browser, pick(browser, picker, patientId), null), state);
        return exchangePublic(code, pkce.verifier());
    }

    @Test
    void refreshWhenScopeOmittedThenSameScopesAndRotatedRefreshToken() {
        Map<String, Object> first = guardianToken("pat-child-8");

        HttpResponse<String> response = refresh((String) first.get("refresh_token"), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> second = OAuthErrorAssert.json(response);
        assertThat(List.of(((String) second.get("scope")).split(" ")))
                .containsExactlyInAnyOrder(((String) first.get("scope")).split(" "));
        assertThat(second).containsEntry("patient", "pat-child-8").containsKey("id_token");
        assertThat(second.get("refresh_token")).isNotNull().isNotEqualTo(first.get("refresh_token"));
        assertThat(verifiedClaims((String) second.get("access_token")).getClaim("patient"))
                .isEqualTo("pat-child-8");
    }

    @Test
    void refreshWhenOldRefreshTokenIsReusedAfterRotationThenInvalidGrant() {
        Map<String, Object> first = guardianToken("pat-child-8");
        assertThat(refresh((String) first.get("refresh_token"), null).statusCode())
                .isEqualTo(200);

        OAuthErrorAssert.assertOAuthError(refresh((String) first.get("refresh_token"), null), 400, "invalid_grant");
    }

    @Test
    void refreshWhenNarrowerScopeRequestedThenOnlyThoseScopes() throws Exception {
        Map<String, Object> first = guardianToken("pat-child-8");

        HttpResponse<String> response = refresh((String) first.get("refresh_token"), "launch/patient patient/*.rs");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> second = OAuthErrorAssert.json(response);
        assertThat(List.of(((String) second.get("scope")).split(" ")))
                .containsExactlyInAnyOrder("launch/patient", "patient/*.rs");
        assertThat(verifiedClaims((String) second.get("access_token")).getStringClaim("scope"))
                .doesNotContain("offline_access");
        assertThat(second).containsKey("refresh_token");
    }

    @Test
    void refreshWhenWiderScopeRequestedThenInvalidScope() {
        Map<String, Object> first = guardianToken("pat-child-8");

        OAuthErrorAssert.assertOAuthError(
                refresh((String) first.get("refresh_token"), SCOPE + " user/*.rs"), 400, "invalid_scope");
    }

    @Test
    void refreshWhenChildTurnsTwelveThenInvalidGrant() {
        Map<String, Object> first = guardianToken("pat-child-4");
        String refreshToken = (String) first.get("refresh_token");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long daysToBirthday = Duration.between(
                        today.atStartOfDay(), TURNS_12.plusYears(12).atStartOfDay())
                .toDays();

        clock.advance(Duration.ofDays(daysToBirthday - 1));
        HttpResponse<String> dayBefore = refresh(refreshToken, null);
        assertThat(dayBefore.statusCode()).as(dayBefore.body()).isEqualTo(200);

        clock.advance(Duration.ofDays(1));
        Map<String, Object> error = OAuthErrorAssert.assertOAuthError(
                refresh((String) OAuthErrorAssert.json(dayBefore).get("refresh_token"), null), 400, "invalid_grant");
        assertThat((String) error.get("error_description")).contains("guardian");
    }

    @Test
    void refreshWhenNotGrantedOfflineAccessThenNoRefreshToken() {
        Pkce pkce = Pkce.create();
        String code = authorizationCode(ALICE, "alice-pw", "launch/patient patient/*.rs", pkce);

        assertThat(exchangePublic(code, pkce.verifier())).doesNotContainKey("refresh_token");
    }

    @Test
    void refreshWhenRefreshTokenIsUnknownThenInvalidGrant() {
        OAuthErrorAssert.assertOAuthError(refresh("no-such-refresh-token", null), 400, "invalid_grant");
    }

    @Test
    void refreshWhenAccountIsTerminatedThenInvalidGrant() {
        Map<String, Object> first = guardianToken("pat-child-8");
        users.terminate(GARCIA);
        try {
            OAuthErrorAssert.assertOAuthError(refresh((String) first.get("refresh_token"), null), 400, "invalid_grant");
        } finally {
            users.activate(GARCIA);
        }
    }
}
