package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StandaloneLaunchTest extends SmartAuthServerTestSupport {

    private static final String SCOPE = "openid fhirUser launch/patient patient/*.rs offline_access";

    @Test
    void standaloneLaunchWhenGuardianPicksChildThenTokenIsBoundToThatChild() throws Exception {
        Browser browser = new Browser(BASE);
        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();

        HttpResponse<String> picker =
                startAndLogin(browser, authorizeUrl(PUBLIC_APP, SCOPE, pkce, state), GARCIA, "garcia-pw");
        assertThat(picker.uri().getPath()).isEqualTo("/auth/picker");
        assertThat(picker.body()).contains("Leo Garcia", "Ana Garcia", "name=\"viewport\"", "<label");
        HttpResponse<String> approval = pick(browser, picker, "pat-child-8");
        assertThat(approval.body())
                .contains("Ana Garcia", "Read and search all health records of the selected patient");
        String code = code(approve(browser, approval, null), state);

        HttpResponse<String> response = tokenRequest(Map.of(
                "grant_type",
                "authorization_code",
                "code",
                code,
                "redirect_uri",
                REDIRECT_URI,
                "client_id",
                PUBLIC_APP,
                "code_verifier",
                pkce.verifier()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("Pragma")).hasValue("no-cache");
        Map<String, Object> token = OAuthErrorAssert.json(response);
        assertThat(token)
                .containsEntry("token_type", "Bearer")
                .containsEntry("patient", "pat-child-8")
                .containsEntry("need_patient_banner", true)
                .containsEntry("smart_style_url", BASE + "/auth/smart-style.json")
                .containsKeys("access_token", "id_token", "refresh_token", "expires_in");
        assertThat(List.of(((String) token.get("scope")).split(" ")))
                .containsExactlyInAnyOrder("openid", "fhirUser", "launch/patient", "patient/*.rs", "offline_access");
        assertThat(((Number) token.get("expires_in")).longValue()).isBetween(3500L, 3600L);

        JWTClaimsSet access = verifiedClaims((String) token.get("access_token"));
        assertThat(access.getIssuer()).isEqualTo(BASE);
        assertThat(access.getSubject()).isEqualTo(GARCIA);
        assertThat(access.getAudience()).containsExactly(FHIR_BASE);
        assertThat(access.getExpirationTime()).isNotNull();
        assertThat(access.getIssueTime()).isNotNull();
        assertThat(access.getNotBeforeTime()).isNotNull();
        assertThat(access.getJWTID()).isNotBlank();
        assertThat(access.getClaim("client_id")).isEqualTo(PUBLIC_APP);
        assertThat(access.getClaim("scope")).isInstanceOf(String.class);
        assertThat(access.getStringClaim("scope").split(" ")).contains("patient/*.rs", "launch/patient");
        assertThat(access.getClaim("fhirUser")).isEqualTo("RelatedPerson/rp-garcia-for-4");
        assertThat(access.getClaim("patient")).isEqualTo("pat-child-8");
        assertThat(access.getClaim("encounter")).isNull();

        JWTClaimsSet id = verifiedClaims((String) token.get("id_token"));
        assertThat(id.getClaim("fhirUser")).isEqualTo(FHIR_BASE + "/RelatedPerson/rp-garcia-for-4");
        assertThat(id.getAudience()).containsExactly(PUBLIC_APP);
        assertThat(id.getSubject()).isEqualTo(GARCIA);
    }

    @Test
    void standaloneLaunchWhenUserHasOnePatientThenPickerIsSkipped() {
        Browser browser = new Browser(BASE);
        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();

        HttpResponse<String> approval =
                startAndLogin(browser, authorizeUrl(PUBLIC_APP, SCOPE, pkce, state), ALICE, "alice-pw");

        assertThat(approval.uri().getPath()).isEqualTo("/auth/consent");
        String code = code(approve(browser, approval, null), state);
        Map<String, Object> token = exchangePublic(code, pkce.verifier());
        assertThat(token).containsEntry("patient", "pat-adult-alice");
    }

    @Test
    void approvalWhenUserDeselectsScopesThenOnlyApprovedScopesAreGranted() throws Exception {
        Browser browser = new Browser(BASE);
        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();
        HttpResponse<String> approval =
                startAndLogin(browser, authorizeUrl(PUBLIC_APP, SCOPE, pkce, state), ALICE, "alice-pw");

        String code = code(approve(browser, approval, List.of("openid", "launch/patient", "patient/*.rs")), state);
        Map<String, Object> token = exchangePublic(code, pkce.verifier());

        assertThat(List.of(((String) token.get("scope")).split(" ")))
                .containsExactlyInAnyOrder("openid", "launch/patient", "patient/*.rs");
        assertThat(token).doesNotContainKey("refresh_token");
        assertThat(verifiedClaims((String) token.get("id_token")).getClaim("fhirUser"))
                .isNull();
    }

    @Test
    void approvalWhenUserTicksOnlyTheLaboratoryCategoryThenTheGrantIsThatSubScope() {
        String laboratory =
                "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory";
        Browser browser = new Browser(BASE);
        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();
        HttpResponse<String> approval = startAndLogin(
                browser,
                authorizeUrl(
                        PUBLIC_APP, "openid launch/patient patient/Observation.rs patient/Condition.rs", pkce, state),
                ALICE,
                "alice-pw");
        assertThat(approval.body())
                .contains("class=\"granular\" name=\"scope\"", "value=\"" + laboratory + "\"")
                .contains("category=http://hl7.org/fhir/us/core/CodeSystem/us-core-category|health-concern");

        Map<String, Object> form = new java.util.LinkedHashMap<>();
        form.put("client_id", PUBLIC_APP);
        form.put("state", state(approval));
        // the whole Condition scope, and of Observation only the laboratory category
        form.put("scope", List.of("openid", "launch/patient", "patient/Condition.rs", laboratory));
        String code = code(browser.post(BASE + "/auth/authorize", form), state);
        Map<String, Object> token = exchangePublic(code, pkce.verifier());

        assertThat(List.of(((String) token.get("scope")).split(" ")))
                .containsExactlyInAnyOrder("openid", "launch/patient", "patient/Condition.rs", laboratory);
    }

    @Test
    void approvalWhenScopesWereApprovedBeforeThenDeselectingThemStillRemovesThem() {
        Pkce first = Pkce.create();
        exchangePublic(authorizationCode(ALICE, "alice-pw", SCOPE, first), first.verifier());

        Browser browser = new Browser(BASE);
        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();
        HttpResponse<String> approval =
                startAndLogin(browser, authorizeUrl(PUBLIC_APP, SCOPE, pkce, state), ALICE, "alice-pw");
        String code = code(approve(browser, approval, List.of("launch/patient", "patient/*.rs")), state);

        // openid cannot be deselected (it only says who signed in); fhirUser and offline_access were, this time.
        assertThat(List.of(((String) exchangePublic(code, pkce.verifier()).get("scope")).split(" ")))
                .containsExactlyInAnyOrder("openid", "launch/patient", "patient/*.rs");
    }

    @Test
    void approvalWhenUserDeniesThenClientGetsAccessDenied() {
        Browser browser = new Browser(BASE);
        String state = UUID.randomUUID().toString();
        HttpResponse<String> approval =
                startAndLogin(browser, authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), state), ALICE, "alice-pw");

        HttpResponse<String> denied = approve(browser, approval, List.of());

        OAuthErrorAssert.assertRedirectError(denied, REDIRECT_URI, "access_denied", state);
    }

    @Test
    void standaloneLaunchWhenUserMayOpenNoPatientThenClientGetsAccessDenied() {
        Browser browser = new Browser(BASE);
        String state = UUID.randomUUID().toString();

        HttpResponse<String> result =
                startAndLogin(browser, authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), state), NOBODY, "nobody-pw");

        OAuthErrorAssert.assertRedirectError(result, REDIRECT_URI, "access_denied", state);
    }

    @Test
    void pickerWhenPatientIsNotOfferedThenRefusesIt() {
        Browser browser = new Browser(BASE);
        HttpResponse<String> picker =
                startAndLogin(browser, authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), "s"), GARCIA, "garcia-pw");

        HttpResponse<String> refused = browser.post(
                BASE + "/auth/picker",
                Map.of("state", state(picker), "patient", "pat-adult-alice", "_csrf", Browser.csrf(picker)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Choose one of the patients listed");
    }

    @Test
    void pickerWhenPostedWithoutCsrfTokenThenForbidden() {
        Browser browser = new Browser(BASE);
        HttpResponse<String> picker =
                startAndLogin(browser, authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), "s"), GARCIA, "garcia-pw");

        HttpResponse<String> refused =
                browser.post(BASE + "/auth/picker", Map.of("state", state(picker), "patient", "pat-child-8"));

        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void loginWhenAccountIsTerminatedThenRefused() {
        Browser browser = new Browser(BASE);
        HttpResponse<String> first = browser.get(authorizeUrl(PUBLIC_APP, SCOPE, Pkce.create(), "s"));
        HttpResponse<String> loginPage = browser.get(Browser.location(first));

        HttpResponse<String> refused = browser.login(loginPage, GONE, "gone-pw");

        assertThat(Browser.location(refused)).endsWith("/auth/login?error");
    }

    @Test
    void authorizeWhenSentAsFormPostThenWorksLikeGet() {
        Browser browser = new Browser(BASE);
        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();
        Map<String, String> parameters = Browser.query(authorizeUrl(PUBLIC_APP, SCOPE, pkce, state));

        HttpResponse<String> first = browser.post(BASE + "/auth/authorize", parameters);
        assertThat(Browser.location(first)).endsWith("/auth/login");
        HttpResponse<String> loginPage = browser.get(Browser.location(first));
        HttpResponse<String> approval = browser.follow(browser.login(loginPage, ALICE, "alice-pw"));
        String code = code(approve(browser, approval, null), state);

        assertThat(exchangePublic(code, pkce.verifier())).containsEntry("patient", "pat-adult-alice");
    }
}
