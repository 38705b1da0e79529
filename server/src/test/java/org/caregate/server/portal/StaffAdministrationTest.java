package org.caregate.server.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.caregate.server.testing.FullStackTest;
import org.caregate.smart.authserver.Browser;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserStatus;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Site administration: a site administrator manages the staff accounts of their own organisation only, and a
 * termination takes effect on the terminated account's next request. Tests that terminate use throwaway staff
 * members they create themselves, never the seed personas.
 */
class StaffAdministrationTest extends FullStackTest {

    private static final String STAFF = "/portal/admin/staff";
    private static final AtomicInteger NEXT = new AtomicInteger();

    @Autowired
    private DaoRegistry daoRegistry;

    @Autowired
    private UserAccountService accounts;

    @Test
    void staffPageWhenSiteAdminThenOwnOrganisationsAccountsOnly() {
        HttpResponse<String> page =
                PortalBrowser.signedIn(BASE_URL, "priya", STAFF).get(STAFF);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains(
                        "id=\"staff-dr.okafor\"",
                        "id=\"staff-linda\"",
                        "id=\"staff-priya\"",
                        "This is you.",
                        "name=\"viewport\"",
                        "<label for=\"password\">")
                .doesNotContain("dr.haddad", "dr.becker", "dr.park")
                .doesNotContain("/portal/admin/staff/priya/terminate");
    }

    @Test
    void staffPageWhenNotSiteAdminThen403() {
        PortalBrowser portal = PortalBrowser.signedIn(BASE_URL, "dr.okafor", "/portal/");

        assertThat(portal.get(STAFF).statusCode()).isEqualTo(403);
        assertThat(portal.get("/portal/admin").statusCode()).isEqualTo(403);
    }

    @Test
    void addStaffWhenPractitionerHasRoleAtTheOrganisationThenNewAccountCanSignIn() {
        String practitionerId = practitionerWithRoleAt("org-clinic-north");
        String username = "temp.staff" + NEXT.incrementAndGet();
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);

        HttpResponse<String> added = admin.follow(add(admin, username, practitionerId, "office-staff"));

        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body())
                .contains("Account &#39;" + username + "&#39; created", "id=\"staff-" + username + "\"");
        assertThat(accounts.find(username)).hasValueSatisfying(account -> {
            assertThat(account.organizationId()).isEqualTo("org-clinic-north");
            assertThat(account.fhirUser()).isEqualTo("Practitioner/" + practitionerId);
            assertThat(account.roles()).containsExactly("office-staff");
        });
        HttpResponse<String> home =
                PortalBrowser.signedIn(BASE_URL, username, "/portal/").get("/portal/");
        assertThat(home.body()).contains("Temporary Staff Member", "href=\"/portal/patients\"");
    }

    @Test
    void addStaffWhenPractitionerWorksForAnotherOrganisationThenRefusedAndNoAccount() {
        String practitionerId = practitionerWithRoleAt("org-clinic-south");
        String username = "temp.south" + NEXT.incrementAndGet();
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);

        HttpResponse<String> refused = add(admin, username, practitionerId, "clinician");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("has no active PractitionerRole at your organisation");
        assertThat(accounts.find(username)).isEmpty();
    }

    @Test
    void addStaffWhenUsernameTakenOrPasswordShortThenRefusedAndExistingAccountUnchanged() {
        String practitionerId = practitionerWithRoleAt("org-clinic-north");
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);
        HttpResponse<String> page = admin.get(STAFF);
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("username", "dr.haddad");
        form.put("displayName", "Taking over");
        form.put("practitionerId", practitionerId);
        form.put("role", "clinician");
        form.put("password", "short");

        HttpResponse<String> refused = admin.post(page, STAFF, form);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("already taken", "14 to 128 characters");
        assertThat(accounts.find("dr.haddad"))
                .hasValueSatisfying(
                        account -> assertThat(account.organizationId()).isEqualTo("org-clinic-south"));
    }

    @Test
    void terminateWhenStaffMemberHoldsTokensThenNextFhirRequestGets401AndRefreshIsRefused() throws Exception {
        String username = newNorthStaffMember();
        Map<String, Object> tokenResponse =
                tokens().standaloneLaunch(username, "openid fhirUser user/*.rs offline_access", null);
        String accessToken = (String) tokenResponse.get("access_token");
        String practitionerId = accounts.find(username).orElseThrow().fhirUserId();
        fhirClient(accessToken)
                .read()
                .resource(Practitioner.class)
                .withId(practitionerId)
                .execute();
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);
        HttpResponse<String> page = admin.get(STAFF);

        HttpResponse<String> terminated =
                admin.follow(admin.post(page, STAFF + "/" + username + "/terminate", Map.of()));

        assertThat(terminated.statusCode()).isEqualTo(200);
        assertThat(terminated.body()).contains("is terminated");
        assertThat(accounts.find(username).orElseThrow().status()).isEqualTo(UserStatus.TERMINATED);
        assertThatThrownBy(() -> fhirClient(accessToken)
                        .read()
                        .resource(Practitioner.class)
                        .withId(practitionerId)
                        .execute())
                .isInstanceOf(AuthenticationException.class);
        HttpResponse<String> refresh = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(BASE_URL + "/auth/token"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(Browser.formBody(Map.of(
                                        "grant_type",
                                        "refresh_token",
                                        "refresh_token",
                                        tokenResponse.get("refresh_token"),
                                        "client_id",
                                        "caregate-public-app"))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(refresh.body()).contains("invalid_grant");
    }

    @Test
    void terminateWhenStaffMemberIsSignedInToThePortalThenTheirNextPageSendsThemToLogin() {
        String username = newNorthStaffMember();
        PortalBrowser staffMember = PortalBrowser.signedIn(BASE_URL, username, "/portal/patients");
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);
        admin.post(admin.get(STAFF), STAFF + "/" + username + "/terminate", Map.of());

        HttpResponse<String> next = staffMember.get("/portal/patients");

        assertThat(next.statusCode()).isEqualTo(302);
        assertThat(next.headers().firstValue("Location")).hasValue(BASE_URL + "/auth/login");
    }

    @Test
    void reactivateWhenAccountWasTerminatedThenItCanSignInAgain() {
        String username = newNorthStaffMember();
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);
        admin.post(admin.get(STAFF), STAFF + "/" + username + "/terminate", Map.of());
        HttpResponse<String> page = admin.get(STAFF);
        assertThat(page.body()).contains(STAFF + "/" + username + "/activate");

        HttpResponse<String> reactivated =
                admin.follow(admin.post(page, STAFF + "/" + username + "/activate", Map.of()));

        assertThat(reactivated.body()).contains("is active again");
        assertThat(accounts.find(username).orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);
        PortalBrowser.signedIn(BASE_URL, username, "/portal/");
    }

    @Test
    void terminateWhenAccountBelongsToAnotherOrganisationThen403AndAccountUnchanged() {
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);

        HttpResponse<String> refused = admin.post(admin.get(STAFF), STAFF + "/dr.haddad/terminate", Map.of());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Not an account of your organisation");
        assertThat(accounts.find("dr.haddad").orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);
    }

    @Test
    void reactivateWhenAccountBelongsToAnotherOrganisationThen403() {
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);

        HttpResponse<String> refused = admin.post(admin.get(STAFF), STAFF + "/dr.becker/activate", Map.of());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(accounts.find("dr.becker").orElseThrow().status()).isEqualTo(UserStatus.TERMINATED);
    }

    @Test
    void terminateWhenAdminTargetsThemselfThen403() {
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);

        HttpResponse<String> refused = admin.post(admin.get(STAFF), STAFF + "/priya/terminate", Map.of());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(accounts.find("priya").orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);
    }

    @Test
    void terminateWithoutCsrfTokenThen403() {
        String username = newNorthStaffMember();
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);

        HttpResponse<String> refused = admin.postWithoutCsrf(STAFF + "/" + username + "/terminate", Map.of());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(accounts.find(username).orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);
    }

    /** A new Practitioner with an active clinician role at the north clinic, and its account added by priya. */
    private String newNorthStaffMember() {
        String practitionerId = practitionerWithRoleAt("org-clinic-north");
        String username = "temp.north" + NEXT.incrementAndGet();
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", STAFF);
        HttpResponse<String> added = add(admin, username, practitionerId, "clinician");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(302);
        return username;
    }

    private static HttpResponse<String> add(PortalBrowser admin, String username, String practitionerId, String role) {
        HttpResponse<String> page = admin.get(STAFF);
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("username", username);
        form.put("displayName", "Temporary Staff Member");
        form.put("practitionerId", practitionerId);
        form.put("role", role);
        // SmartTokens signs in with <username>-dev-password
        form.put("password", username + "-dev-password");
        return admin.post(page, STAFF, form);
    }

    /** A throwaway Practitioner with an active PractitionerRole at {@code organizationId}. */
    private String practitionerWithRoleAt(String organizationId) {
        String id = "prac-portal-test-" + NEXT.incrementAndGet();
        Practitioner practitioner = new Practitioner();
        practitioner.setId("Practitioner/" + id);
        practitioner.setActive(true);
        practitioner.addName().setFamily("Staff").addGiven("Temporary");
        daoRegistry.getResourceDao(Practitioner.class).update(practitioner, new SystemRequestDetails());
        PractitionerRole role = new PractitionerRole();
        role.setId("PractitionerRole/role-" + id);
        role.setActive(true);
        role.getPractitioner().setReference("Practitioner/" + id);
        role.getOrganization().setReference("Organization/" + organizationId);
        daoRegistry.getResourceDao(PractitionerRole.class).update(role, new SystemRequestDetails());
        return id;
    }
}
