package org.caregate.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.caregate.server.testing.FullStackTest;
import org.caregate.smart.authserver.Browser;
import org.junit.jupiter.api.Test;

/** The provider portal: who sees which patients, and the EHR launch of an app from the patient list. */
class ProviderPortalTest extends FullStackTest {

    private static final String DEMO_APP = "caregate-public-app";

    @Test
    void portalWhenNotSignedInThenSentToLoginPage() {
        HttpResponse<String> response = PortalBrowser.signedOut(BASE_URL).get("/portal/patients");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(Browser.location(response)).isEqualTo(BASE_URL + "/auth/login");
    }

    @Test
    void homeWhenPractitionerSignsInThenShowsWhoTheyAreAndLinkToPatientsOnly() {
        PortalBrowser portal = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/");

        HttpResponse<String> home = portal.get("/portal/");

        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body())
                .contains(
                        "Dr. Samuel Okafor",
                        "Practitioner/prac-north-gp",
                        "North Valley Community Clinic",
                        "href=\"/portal/patients\"",
                        "name=\"viewport\"")
                .doesNotContain("href=\"/portal/admin/staff\"");
    }

    @Test
    void homeWhenSiteAdminSignsInThenLinkToStaffAccountsOnly() {
        HttpResponse<String> home =
                PortalBrowser.signedIn(BASE_URL, "priya", "/portal/").get("/portal/");

        assertThat(home.body())
                .contains("Priya Natarajan", "href=\"/portal/admin/staff\"")
                .doesNotContain("href=\"/portal/patients\"");
    }

    @Test
    void patientsWhenNorthGpThenNorthPatientsWithMrnButNotCarolWhoOptedOut() {
        HttpResponse<String> page = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/patients")
                .get("/portal/patients");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains(
                        "id=\"patient-pat-adult-alice\"",
                        "Alice Nguyen",
                        "CG100030",
                        "id=\"patient-pat-adult-bob\"",
                        "id=\"patient-pat-incapacitated\"",
                        "id=\"patient-pat-family-4\"",
                        "id=\"patient-pat-parent-garcia\"")
                .doesNotContain(
                        "pat-adult-carol",
                        "Carol Johnson",
                        "pat-adult-18",
                        "pat-adult-dan",
                        "pat-adult-frank",
                        "pat-dr-south");
    }

    @Test
    void patientsWhenOfficeStaffThenSameNorthPatients() {
        HttpResponse<String> page =
                PortalBrowser.signedIn(BASE_URL, "linda", "/portal/patients").get("/portal/patients");

        assertThat(page.body())
                .contains("id=\"patient-pat-adult-alice\"", "id=\"patient-pat-adult-bob\"")
                .doesNotContain("pat-adult-carol");
    }

    @Test
    void patientsWhenGpWhoIsAlsoAPatientThenNeverHerOwnRecord() {
        HttpResponse<String> page = PortalBrowser.signedIn(BASE_URL, "dr.haddad", "/portal/patients")
                .get("/portal/patients");

        assertThat(page.body())
                .contains("id=\"patient-pat-adult-erin\"", "id=\"patient-pat-adult-frank\"")
                .doesNotContain("pat-dr-south", "pat-adult-dan", "pat-adult-alice");
    }

    @Test
    void patientsWhenSiteAdminWithoutClinicalRoleThen403() {
        HttpResponse<String> page =
                PortalBrowser.signedIn(BASE_URL, "priya", "/portal/").get("/portal/patients");

        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).doesNotContain("pat-adult-alice");
    }

    @Test
    void patientsWhenPatientSignsInThen403() {
        HttpResponse<String> page =
                PortalBrowser.signedIn(BASE_URL, "alice", "/portal/").get("/portal/patients");

        assertThat(page.statusCode()).isEqualTo(403);
    }

    @Test
    void patientsPageWhenAppRegisteredThenEveryPatientHasLaunchFormWithCsrfToken() {
        HttpResponse<String> page = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/patients")
                .get("/portal/patients");

        assertThat(page.body())
                .contains(
                        "action=\"/portal/patients/pat-adult-alice/launch\"",
                        "name=\"app\" value=\"" + DEMO_APP + "\"",
                        "Launch CareGate demo app");
        assertThat(Browser.csrf(page)).isNotBlank();
    }

    @Test
    void ehrLaunchFromPortalWhenDemoAppThenTokenBoundToLaunchedPatientAndFhirReadWorks() {
        PortalBrowser portal = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/patients");
        HttpResponse<String> page = portal.get("/portal/patients");

        HttpResponse<String> toApp =
                portal.post(page, "/portal/patients/pat-adult-alice/launch", Map.of("app", DEMO_APP));

        assertThat(toApp.statusCode()).isEqualTo(303);
        String launchUrl = Browser.location(toApp);
        assertThat(launchUrl).startsWith(BASE_URL + "/portal/demo-app/launch?");
        Map<String, String> launchParameters = Browser.query(launchUrl);
        assertThat(launchParameters).containsEntry("iss", FHIR_BASE).containsKey("launch");

        HttpResponse<String> toAuthorize = portal.get(launchUrl);
        Map<String, String> authorize = Browser.query(Browser.location(toAuthorize));
        assertThat(Browser.location(toAuthorize)).startsWith(BASE_URL + "/auth/authorize?");
        assertThat(authorize)
                .containsEntry("launch", launchParameters.get("launch"))
                .containsEntry("aud", FHIR_BASE)
                .containsEntry("client_id", DEMO_APP)
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", BASE_URL + "/portal/demo-app/callback");

        HttpResponse<String> approval = portal.follow(toAuthorize);
        assertThat(approval.body()).contains("Alice Nguyen");
        HttpResponse<String> toCallback = portal.approveAll(approval, DEMO_APP);
        assertThat(Browser.location(toCallback)).startsWith(BASE_URL + "/portal/demo-app/callback?code=");

        HttpResponse<String> app = portal.get(Browser.location(toCallback));

        assertThat(app.statusCode()).as(app.body()).isEqualTo(200);
        assertThat(app.body())
                .contains(
                        "<dd class=\"mono\" id=\"patient-id\">pat-adult-alice</dd>",
                        "GET Patient/pat-adult-alice answered 200",
                        "Alice Nguyen");
    }

    @Test
    void ehrLaunchWhenPractitionerPicksAnEncounterThenTheTokenCarriesIt() {
        PortalBrowser portal = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/patients");
        HttpResponse<String> page = portal.get("/portal/patients");
        assertThat(page.body()).contains("name=\"encounter\"", "value=\"enc-alice-checkup\"");

        HttpResponse<String> toApp = portal.post(
                page,
                "/portal/patients/pat-adult-alice/launch",
                Map.of("app", DEMO_APP, "encounter", "enc-alice-checkup"));
        HttpResponse<String> toAuthorize = portal.get(Browser.location(toApp));
        HttpResponse<String> approval = portal.follow(toAuthorize);
        HttpResponse<String> toCallback = portal.approveAll(approval, DEMO_APP);
        HttpResponse<String> app = portal.get(Browser.location(toCallback));

        assertThat(app.statusCode()).as(app.body()).isEqualTo(200);
        assertThat(app.body())
                .contains("<dd class=\"mono\" id=\"patient-id\">pat-adult-alice</dd>")
                .contains("<dt>Encounter</dt><dd class=\"mono\">enc-alice-checkup</dd>");
    }

    @Test
    void launchWhenEncounterIsAnotherPatientsThen400AndNoLaunch() {
        PortalBrowser portal = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/patients");
        HttpResponse<String> page = portal.get("/portal/patients");

        HttpResponse<String> refused = portal.post(
                page,
                "/portal/patients/pat-adult-bob/launch",
                Map.of("app", DEMO_APP, "encounter", "enc-alice-checkup"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("not one of this patient");
    }

    @Test
    void demoAppCallbackWhenReplayedThenRefused() {
        PortalBrowser portal = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/patients");
        HttpResponse<String> page = portal.get("/portal/patients");
        HttpResponse<String> toApp =
                portal.post(page, "/portal/patients/pat-adult-bob/launch", Map.of("app", DEMO_APP));
        HttpResponse<String> toCallback =
                portal.approveAll(portal.follow(portal.get(Browser.location(toApp))), DEMO_APP);
        String callback = Browser.location(toCallback);
        assertThat(portal.get(callback).statusCode()).isEqualTo(200);

        HttpResponse<String> again = portal.get(callback);

        assertThat(again.statusCode()).isEqualTo(400);
    }

    @Test
    void launchWhenPatientRefusedSharingWithThisPractitionerThen403NamingTheRule() {
        PortalBrowser portal = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/patients");
        HttpResponse<String> page = portal.get("/portal/patients");

        HttpResponse<String> refused =
                portal.post(page, "/portal/patients/pat-adult-carol/launch", Map.of("app", DEMO_APP));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("You may not open this patient&#39;s record", "id=\"rule\"");
    }

    @Test
    void launchWhenGpAsksForHerOwnRecordThen403() {
        PortalBrowser portal = PortalBrowser.signedIn(BASE_URL, "dr.haddad", "/portal/patients");
        HttpResponse<String> page = portal.get("/portal/patients");

        HttpResponse<String> refused =
                portal.post(page, "/portal/patients/pat-dr-south/launch", Map.of("app", DEMO_APP));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("id=\"rule\"");
    }

    @Test
    void launchWhenAppIsNotConfiguredThen404() {
        PortalBrowser portal = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/patients");
        HttpResponse<String> page = portal.get("/portal/patients");

        HttpResponse<String> refused =
                portal.post(page, "/portal/patients/pat-adult-alice/launch", Map.of("app", "caregate-backend-north"));

        assertThat(refused.statusCode()).isEqualTo(404);
    }

    @Test
    void launchWithoutCsrfTokenThen403AndNoRedirectToTheApp() {
        PortalBrowser portal = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/patients");

        HttpResponse<String> refused =
                portal.postWithoutCsrf("/portal/patients/pat-adult-alice/launch", Map.of("app", DEMO_APP));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void demoAppWhenIssIsAnotherServerThen400() {
        HttpResponse<String> refused = PortalBrowser.signedOut(BASE_URL)
                .get("/portal/demo-app/launch?iss=https%3A%2F%2Fevil.example%2Ffhir&launch=x");

        assertThat(refused.statusCode()).isEqualTo(400);
    }

    @Test
    void loginWhenAccountTerminatedThenRefused() {
        HttpResponse<String> page =
                PortalBrowser.signedOut(BASE_URL).signIn("dr.becker", "dr.becker-dev-password", "/portal/patients");

        assertThat(page.uri().getPath()).isEqualTo("/auth/login");
        assertThat(page.body()).contains("not active");
    }
}
