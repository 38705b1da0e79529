package org.caregate.server.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.caregate.server.testing.FullStackTest;
import org.caregate.server.testing.Mailbox;
import org.caregate.smart.authserver.context.PatientAccessDirectory;
import org.caregate.smart.authserver.context.PatientChoice;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.caregate.smart.authserver.user.UserStatus;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * How patients and guardians get their accounts, and how access is lost, over real HTTP with e-mails through a real
 * SMTP server (GreenMail): the hospital issues an activation code or a guardian invitation on
 * {@code /portal/admin/accounts}, the person redeems it on {@code /portal/account/activate}; ages on the injected
 * clock; connected apps and their revocation; terminations.
 */
class AccountSetupTest extends FullStackTest {

    private static final String ACCOUNTS = "/portal/admin/accounts";
    private static final String SETUP = "/portal/account/activate";
    private static final String SCOPE = "openid fhirUser launch/patient patient/*.rs";
    private static final Pattern CODE = Pattern.compile("id=\"issued-code\">([0-9A-Z-]+)<");
    private static final ZoneId FACILITY = ZoneId.of("America/Los_Angeles");

    @Autowired
    private DaoRegistry daoRegistry;

    @Autowired
    private UserAccountService accounts;

    @Autowired
    private PatientAccessDirectory directory;

    @Test
    void activationWhenAdultRedeemsTheEmailedCodeThenSignsInAndOpensOwnRecord() {
        String email = unique("adult") + "@example.org";
        Patient patient = patient(today().minusYears(30).minusDays(10), email);
        issueActivation(patient.getIdPart(), "", "en");
        Mailbox.Mail mail = MAIL.last(email);
        assertThat(mail.subject()).isEqualTo("Your CareGate activation code");
        String link = mail.link(SETUP);

        PortalBrowser person = PortalBrowser.signedOut(BASE_URL);
        HttpResponse<String> page = person.get(link);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("This code opens the account of Test Adult");
        String username = unique("new");
        HttpResponse<String> done =
                person.follow(person.post(page, BASE_URL + SETUP, setupForm(code(link), username, email)));
        assertThat(done.body()).contains("Your account " + username + " is ready");

        UserAccount account = accounts.find(username).orElseThrow();
        assertThat(account.fhirUser()).isEqualTo("Patient/" + patient.getIdPart());
        assertThat(account.kind()).isEqualTo(UserKind.PATIENT);
        String token = tokens().userToken(username, SCOPE, patient.getIdPart());
        assertThat(fhirClient(token)
                        .read()
                        .resource(Patient.class)
                        .withId(patient.getIdPart())
                        .execute()
                        .getIdPart())
                .isEqualTo(patient.getIdPart());

        assertThat(accountEvents(username))
                .as("the audit trail of %s", username)
                .contains("ACCOUNT_CREATED", "LOGIN");
        HttpResponse<String> again = person.post(page, BASE_URL + SETUP, setupForm(code(link), unique("twice"), email));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("This code has already been used");
    }

    @Test
    void activationWhenCodeOlderThan30DaysThenSaysItExpiredAndWhatToDoInSpanish() {
        Patient patient = patient(today().minusYears(40), null);
        String code = issueActivation(patient.getIdPart(), "", "es");
        clock.advance(Duration.ofDays(31));

        PortalBrowser person = PortalBrowser.signedOut(BASE_URL);
        HttpResponse<String> page = person.get(SETUP + "?lang=es&code=" + code);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("lang=\"es\"").contains("Este código ha caducado. Pida uno nuevo al hospital");
        assertThat(accounts.findByFhirUser("Patient/" + patient.getIdPart())).isEmpty();
    }

    @Test
    void activationWhenPatientIs17ThenRefusedInPlainWordsUntilThe18thBirthday() {
        LocalDate born = today().minusYears(18).plusDays(1);
        Patient patient = patient(born, null);
        String code = issueActivation(patient.getIdPart(), "", "en");

        PortalBrowser person = PortalBrowser.signedOut(BASE_URL);
        HttpResponse<String> page = person.get(SETUP + "?code=" + code);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("Patients aged 12 to 17 cannot have an online account of their own yet");
        HttpResponse<String> refused =
                person.post(page, BASE_URL + SETUP, setupForm(code, unique("teen"), unique("teen") + "@example.org"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(accounts.findByFhirUser("Patient/" + patient.getIdPart())).isEmpty();

        clock.advance(Duration.ofDays(1));
        String username = unique("eighteen");
        HttpResponse<String> page18 = person.get(SETUP + "?code=" + code);
        assertThat(page18.statusCode()).as("on the 18th birthday").isEqualTo(200);
        HttpResponse<String> done = person.follow(
                person.post(page18, BASE_URL + SETUP, setupForm(code, username, username + "@example.org")));
        assertThat(done.body()).contains("is ready");
        assertThat(accounts.find(username)).isPresent();
    }

    @Test
    void invitationWhenGuardianAcceptsTwoThenOneAccountHoldsBothChildrenUntilTheOlderTurns12() {
        String email = unique("parent") + "@example.org";
        Patient younger = patient(today().minusYears(5), null);
        Patient older = patient(today().minusYears(12).plusDays(3), null);
        RelatedPerson forYounger = relatedPerson(younger, email);
        RelatedPerson forOlder = relatedPerson(older, email);

        issueInvitation(forYounger.getIdPart(), "en");
        String username = unique("guardian");
        PortalBrowser parent = PortalBrowser.signedOut(BASE_URL);
        String link = MAIL.last(email).link(SETUP);
        assertThat(MAIL.last(email).subject()).isEqualTo("Invitation: see Test Child's records with CareGate");
        HttpResponse<String> page = parent.get(link);
        assertThat(page.body()).contains("You are invited as Test Parent");
        parent.follow(parent.post(page, BASE_URL + SETUP, setupForm(code(link), username, email)));
        assertThat(accounts.find(username).orElseThrow().kind()).isEqualTo(UserKind.RELATED_PERSON);

        // the second invitation, accepted while signed in: added to the same account
        issueInvitation(forOlder.getIdPart(), "en");
        String second = MAIL.last(email).link(SETUP);
        parent.signIn(username, username + "-dev-password", "/portal/");
        HttpResponse<String> addPage = parent.get(second);
        assertThat(addPage.body()).contains("will be added to your account");
        HttpResponse<String> added =
                parent.follow(parent.post(addPage, BASE_URL + SETUP, Map.of("code", code(second))));
        assertThat(added.body()).contains("The child has been added to your account");
        assertThat(accounts.findByFhirUser("RelatedPerson/" + forOlder.getIdPart()))
                .as("no second account")
                .isEmpty();

        UserAccount guardian = accounts.find(username).orElseThrow();
        assertThat(directory.permittedPatients(guardian, clock.instant()))
                .extracting(PatientChoice::patientId)
                .containsExactlyInAnyOrder(younger.getIdPart(), older.getIdPart());
        String token = tokens().userToken(username, SCOPE, older.getIdPart());
        fhirClient(token)
                .read()
                .resource(Patient.class)
                .withId(older.getIdPart())
                .execute();

        clock.advance(Duration.ofDays(3));
        assertThat(directory.permittedPatients(guardian, clock.instant()))
                .as("on the older child's 12th birthday")
                .extracting(PatientChoice::patientId)
                .containsExactly(younger.getIdPart());
    }

    @Test
    void invitationWhenResentThenTheFirstLinkIsReplacedAndTheNewOneExpiresAfter90Days() {
        String email = unique("late") + "@example.org";
        RelatedPerson relatedPerson = relatedPerson(patient(today().minusYears(3), null), email);
        issueInvitation(relatedPerson.getIdPart(), "en");
        String first = code(MAIL.last(email).link(SETUP));
        issueInvitation(relatedPerson.getIdPart(), "en");
        String second = code(MAIL.last(email).link(SETUP));

        PortalBrowser parent = PortalBrowser.signedOut(BASE_URL);
        assertThat(parent.get(SETUP + "?code=" + first).body()).contains("A newer code has been sent since");
        clock.advance(Duration.ofDays(89));
        assertThat(parent.get(SETUP + "?code=" + second).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofDays(2));
        HttpResponse<String> expired = parent.get(SETUP + "?code=" + second);
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(expired.body()).contains("This code has expired");
    }

    @Test
    void connectedAppsWhenTheAppIsRevokedThenItsTokenIsRefusedAtFhir() {
        Patient patient = patient(today().minusYears(33), null);
        String username = unique("apps");
        accounts.create(
                username,
                username + "-dev-password",
                "Apps Person",
                "Patient/" + patient.getIdPart(),
                UserKind.PATIENT,
                null,
                java.util.Set.of(),
                null);
        Map<String, Object> issued =
                tokens().standaloneLaunch(username, SCOPE + " offline_access", patient.getIdPart());
        String token = (String) issued.get("access_token");
        fhirClient(token)
                .read()
                .resource(Patient.class)
                .withId(patient.getIdPart())
                .execute();

        PortalBrowser person = PortalBrowser.signedIn(BASE_URL, username, "/portal/account/apps");
        HttpResponse<String> apps = person.get("/portal/account/apps");
        assertThat(apps.body()).contains("id=\"app-caregate-public-app\"");
        HttpResponse<String> revoked =
                person.follow(person.post(apps, "/portal/account/apps/caregate-public-app/revoke", Map.of()));
        assertThat(revoked.body()).contains("has been revoked").doesNotContain("id=\"app-caregate-public-app\"");

        assertThatThrownBy(() -> fhirClient(token)
                        .read()
                        .resource(Patient.class)
                        .withId(patient.getIdPart())
                        .execute())
                .isInstanceOf(AuthenticationException.class);

        assertThat(accountEvents(username))
                .as("the audit trail of %s", username)
                .contains("LOGIN", "APP_APPROVED", "APP_REVOKED");
    }

    @Test
    void terminationWhenInvoluntaryThenReactivationDoesNotBringTheOldTokensBack() {
        String username = unique("leaver");
        accounts.create(
                username,
                username + "-dev-password",
                "Leaving Clinician",
                "Practitioner/prac-north-gp",
                UserKind.PRACTITIONER,
                "org-clinic-north",
                java.util.Set.of(PortalRoles.CLINICIAN),
                null);
        String token = tokens().userToken(username, "openid fhirUser user/*.rs", null);
        fhirClient(token)
                .read()
                .resource(org.hl7.fhir.r4.model.Practitioner.class)
                .withId("prac-north-gp")
                .execute();

        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", "/portal/admin/staff");
        HttpResponse<String> page = admin.get("/portal/admin/staff");
        admin.follow(admin.post(page, "/portal/admin/staff/" + username + "/terminate", Map.of()));
        admin.follow(admin.post(
                admin.get("/portal/admin/staff"), "/portal/admin/staff/" + username + "/activate", Map.of()));
        assertThat(accounts.find(username).orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);

        assertThatThrownBy(() -> fhirClient(token)
                        .read()
                        .resource(org.hl7.fhir.r4.model.Practitioner.class)
                        .withId("prac-north-gp")
                        .execute())
                .as("the token of before the termination")
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void terminationWhenVoluntaryThenActiveUntilTheLastDayAndTheAdministratorIsReminded() {
        String username = unique("retiring");
        accounts.create(
                username,
                username + "-dev-password",
                "Retiring Clinician",
                "Practitioner/prac-north-gp",
                UserKind.PRACTITIONER,
                "org-clinic-north",
                java.util.Set.of(PortalRoles.CLINICIAN),
                null);
        PortalBrowser admin = PortalBrowser.signedIn(BASE_URL, "priya", "/portal/admin/staff");
        HttpResponse<String> tooLate = admin.post(
                admin.get("/portal/admin/staff"),
                "/portal/admin/staff/" + username + "/plan-termination",
                Map.of("lastDay", today().plusDays(6)));
        assertThat(tooLate.statusCode()).as("more than 5 days ahead").isEqualTo(400);
        LocalDate lastDay = today().plusDays(2);
        admin.follow(admin.post(
                admin.get("/portal/admin/staff"),
                "/portal/admin/staff/" + username + "/plan-termination",
                Map.of("lastDay", lastDay)));
        assertThat(admin.get("/portal/admin/staff").body())
                .contains("Reminder: terminations due")
                .contains(username + ": access ends");

        java.time.Instant due = lastDay.plusDays(1).atStartOfDay(FACILITY).toInstant();
        clock.moveTo(due.minus(Duration.ofMinutes(2)));
        assertThat(accounts.find(username).orElseThrow().status())
                .as("before the end of the last day")
                .isEqualTo(UserStatus.ACTIVE);
        PortalBrowser.signedIn(BASE_URL, username, "/portal/");

        clock.moveTo(due.plus(Duration.ofMinutes(1)));
        assertThat(accounts.find(username).orElseThrow().status()).isEqualTo(UserStatus.TERMINATED);
        HttpResponse<String> refused =
                PortalBrowser.signedOut(BASE_URL).signIn(username, username + "-dev-password", "/portal/");
        assertThat(refused.uri().getPath())
                .as("sign-in refused after the last day")
                .isEqualTo("/auth/login");
        assertThat(refused.body()).contains("the account is not active");
        assertThat(PortalBrowser.signedIn(BASE_URL, "priya", "/portal/admin/staff")
                        .get("/portal/admin/staff")
                        .body())
                .doesNotContain("Reminder: terminations due");
    }

    @Test
    void registerWhenNameBirthDateAndMrnMatchThenAnAccountWithoutACode() {
        LocalDate born = today().minusYears(52).minusDays(40);
        Patient patient = patient(born, null);
        String mrn = withMrn(patient);
        String username = unique("proved");
        PortalBrowser person = PortalBrowser.signedOut(BASE_URL);
        HttpResponse<String> page = person.get("/portal/account/register");
        HttpResponse<String> done = person.follow(person.post(
                page,
                BASE_URL + "/portal/account/register",
                proofingForm("test", "ADULT", born.toString(), mrn, username)));
        assertThat(done.body()).contains("Your account " + username + " is ready");
        assertThat(accounts.find(username).orElseThrow().fhirUser()).isEqualTo("Patient/" + patient.getIdPart());
    }

    @Test
    void registerWhenThreeAttemptsDoNotMatchThenLockedEvenForTheRightDetailsAndNeverSaysWhichFieldWasWrong() {
        LocalDate born = today().minusYears(35);
        Patient patient = patient(born, null);
        String mrn = withMrn(patient);
        PortalBrowser person = PortalBrowser.signedOut(BASE_URL);
        HttpResponse<String> page = person.get("/portal/account/register");
        String wrongName = person.post(
                        page,
                        BASE_URL + "/portal/account/register",
                        proofingForm("Tess", "Adult", born.toString(), mrn, unique("try")))
                .body();
        String wrongDate = person.post(
                        page,
                        BASE_URL + "/portal/account/register",
                        proofingForm("Test", "Adult", born.plusDays(1).toString(), mrn, unique("try")))
                .body();
        assertThat(alert(wrongName))
                .isEqualTo(alert(wrongDate))
                .contains("These details do not match a patient record");
        HttpResponse<String> third = person.post(
                page,
                BASE_URL + "/portal/account/register",
                proofingForm("Test", "Adult", born.minusYears(1).toString(), mrn, unique("try")));
        assertThat(third.statusCode()).isEqualTo(429);

        PortalBrowser other = PortalBrowser.signedOut(BASE_URL);
        HttpResponse<String> right = other.post(
                other.get("/portal/account/register"),
                BASE_URL + "/portal/account/register",
                proofingForm("Test", "Adult", born.toString(), mrn, unique("late")));
        assertThat(right.statusCode())
                .as("another browser, same MRN, while locked")
                .isEqualTo(429);
        HttpResponse<String> rightInSession = person.post(
                page,
                BASE_URL + "/portal/account/register",
                proofingForm("Test", "Adult", born.toString(), mrn, unique("late")));
        assertThat(rightInSession.statusCode())
                .as("the same browser, right details")
                .isEqualTo(429);
        assertThat(rightInSession.body()).contains("Too many attempts that did not match");
        assertThat(accounts.findByFhirUser("Patient/" + patient.getIdPart())).isEmpty();

        clock.advance(Duration.ofMinutes(61));
        HttpResponse<String> later = person.follow(person.post(
                person.get("/portal/account/register"),
                BASE_URL + "/portal/account/register",
                proofingForm("Test", "Adult", born.toString(), mrn, unique("later"))));
        assertThat(later.body()).contains("is ready");
    }

    @Test
    void siteReviewWhenNotAttestedWithin90DaysAndTheGraceThenStaffSuspendedButNotTheAdministrator() {
        String organization = unique("org-review");
        String admin = unique("admin");
        String staff = unique("staff");
        accounts.create(
                admin,
                admin + "-dev-password",
                "Review Admin",
                "Practitioner/prac-north-gp",
                UserKind.PRACTITIONER,
                organization,
                java.util.Set.of(PortalRoles.SITE_ADMIN),
                null);
        accounts.create(
                staff,
                staff + "-dev-password",
                "Review Staff",
                "Practitioner/prac-north-gp",
                UserKind.PRACTITIONER,
                organization,
                java.util.Set.of(PortalRoles.CLINICIAN),
                null);
        String page = PortalBrowser.signedIn(BASE_URL, admin, "/portal/admin/staff")
                .get("/portal/admin/staff")
                .body();
        assertThat(page).contains("90-day access review").contains("Review each account below and attest by");

        clock.advance(Duration.ofDays(80));
        assertThat(PortalBrowser.signedIn(BASE_URL, admin, "/portal/admin/staff")
                        .get("/portal/admin/staff")
                        .body())
                .as("reminded 14 days before")
                .contains("id=\"access-review\" role=\"alert\"");
        assertThat(accounts.find(staff).orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);

        clock.advance(Duration.ofDays(25));
        PortalBrowser late = PortalBrowser.signedOut(BASE_URL);
        HttpResponse<String> overdue = late.signIn(admin, admin + "-dev-password", "/portal/admin/staff");
        assertThat(overdue.body()).contains("Suspended because the review is overdue: " + staff);
        assertThat(accounts.find(staff).orElseThrow().status()).isEqualTo(UserStatus.SUSPENDED);
        assertThat(accounts.find(admin).orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);

        HttpResponse<String> attested = late.follow(late.post(overdue, "/portal/admin/staff/attest", Map.of()));
        assertThat(attested.body()).contains("Access review recorded").contains("Last attested");
        late.follow(late.post(attested, "/portal/admin/staff/" + staff + "/activate", Map.of()));
        assertThat(accounts.find(staff).orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);
    }

    @Test
    void onboardingWhenSponsoredApprovedAndTrainedThenTheProviderSignsInFromTheNextDayOnly() {
        String sponsor = unique("sponsor");
        accounts.create(
                sponsor,
                sponsor + "-dev-password",
                "Hospital Sponsor",
                "Practitioner/prac-north-gp",
                UserKind.PRACTITIONER,
                "org-hospital",
                java.util.Set.of(PortalRoles.HOSPITAL_SPONSOR),
                null);
        String username = unique("dr.community");
        PortalBrowser provider = PortalBrowser.signedOut(BASE_URL);
        Map<String, Object> form = new java.util.LinkedHashMap<>();
        form.put("displayName", "Dr Community");
        form.put("username", username);
        form.put("email", username + "@example.org");
        form.put("practitionerId", "prac-north-gp");
        form.put("organizationId", "org-clinic-north");
        form.put("role", PortalRoles.CLINICIAN);
        form.put("sponsor", sponsor);
        form.put("password", "short");
        form.put("confirmation", "short");
        HttpResponse<String> requestPage = provider.get("/portal/account/request");
        HttpResponse<String> tooShort = provider.post(requestPage, "/portal/account/request", form);
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("at least 14 characters");
        form.put("password", username + "-dev-password");
        form.put("confirmation", username + "-dev-password");
        assertThat(provider.post(requestPage, "/portal/account/request", form).body())
                .contains("Your request was sent to your sponsor");
        assertThat(provider.post(provider.get("/portal/account/request"), "/portal/account/request", form)
                        .body())
                .as("the same user name again")
                .contains("is taken (user names are never reused)");

        PortalBrowser hospitalSponsor = PortalBrowser.signedIn(BASE_URL, sponsor, "/portal/sponsor");
        HttpResponse<String> sponsorPage = hospitalSponsor.get("/portal/sponsor");
        String id = requestId(sponsorPage.body(), username);
        hospitalSponsor.follow(hospitalSponsor.post(sponsorPage, "/portal/sponsor/" + id + "/sponsor", Map.of()));

        PortalBrowser grace = PortalBrowser.signedIn(BASE_URL, "grace", "/portal/admin/access-requests");
        HttpResponse<String> adminPage = grace.get("/portal/admin/access-requests");
        assertThat(adminPage.body()).contains("id=\"request-" + username + "\"");
        HttpResponse<String> approved =
                grace.follow(grace.post(adminPage, "/portal/admin/access-requests/" + id + "/approve", Map.of()));
        assertThat(accounts.find(username).orElseThrow().status()).isEqualTo(UserStatus.SUSPENDED);
        grace.follow(grace.post(approved, "/portal/admin/access-requests/" + id + "/trained", Map.of()));

        java.time.Instant tomorrow = today().plusDays(1).atStartOfDay(FACILITY).toInstant();
        clock.moveTo(tomorrow.minus(Duration.ofMinutes(1)));
        assertThat(accounts.find(username).orElseThrow().status())
                .as("the day of the training")
                .isEqualTo(UserStatus.SUSPENDED);
        assertThat(PortalBrowser.signedOut(BASE_URL)
                        .signIn(username, username + "-dev-password", "/portal/")
                        .uri()
                        .getPath())
                .isEqualTo("/auth/login");
        clock.moveTo(tomorrow.plus(Duration.ofMinutes(1)));
        assertThat(accounts.find(username).orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);
        PortalBrowser.signedIn(BASE_URL, username, "/portal/patients");
    }

    private static String requestId(String page, String username) {
        Matcher id = Pattern.compile(
                        "id=\"request-" + Pattern.quote(username) + "\".*?/portal/sponsor/([0-9a-f-]{36})/sponsor",
                        Pattern.DOTALL)
                .matcher(page);
        assertThat(id.find()).as("request of %s on %s", username, page).isTrue();
        return id.group(1);
    }

    // ----- helpers -----

    @Autowired
    private javax.sql.DataSource dataSource;

    /** The account events (subtype codes) in the audit trail with {@code username} as an agent. */
    private java.util.List<String> accountEvents(String username) {
        return new org.springframework.jdbc.core.JdbcTemplate(dataSource)
                .queryForList("""
                select s from caregate_audit.audit_record, unnest(subtypes) s
                where ? = any(agents) and s like 'https://fhir.caregate.example/CodeSystem/account-event|%'
                """, String.class, "https://fhir.caregate.example/sid/user|" + username).stream()
                        .map(s -> s.substring(s.indexOf('|') + 1))
                        .toList();
    }

    private String withMrn(Patient patient) {
        String mrn = "T" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 100_000_000L);
        patient.addIdentifier()
                .setSystem("https://fhir.caregate.example/sid/mrn")
                .setValue(mrn);
        daoRegistry.getResourceDao(Patient.class).update(patient, new SystemRequestDetails());
        return mrn;
    }

    private static Map<String, Object> proofingForm(
            String given, String family, String birthDate, String mrn, String username) {
        Map<String, Object> form = new java.util.LinkedHashMap<>();
        form.put("givenName", given);
        form.put("familyName", family);
        form.put("birthDate", birthDate);
        form.put("mrn", mrn);
        form.put("username", username);
        form.put("email", username + "@example.org");
        form.put("password", username + "-dev-password");
        form.put("confirmation", username + "-dev-password");
        return form;
    }

    private static String alert(String body) {
        Matcher alert = Pattern.compile("role=\"alert\">\\s*<p>([^<]+)</p>").matcher(body);
        return alert.find() ? alert.group(1) : body;
    }

    private String issueActivation(String patientId, String email, String language) {
        PortalBrowser grace = PortalBrowser.signedIn(BASE_URL, "grace", ACCOUNTS);
        HttpResponse<String> issued = grace.post(
                grace.get(ACCOUNTS),
                ACCOUNTS + "/activation",
                Map.of("patientId", patientId, "email", email, "language", language));
        assertThat(issued.statusCode()).as("%s", issued.body()).isEqualTo(200);
        Matcher code = CODE.matcher(issued.body());
        assertThat(code.find()).isTrue();
        return code.group(1);
    }

    private void issueInvitation(String relatedPersonId, String language) {
        PortalBrowser grace = PortalBrowser.signedIn(BASE_URL, "grace", ACCOUNTS);
        HttpResponse<String> issued = grace.post(
                grace.get(ACCOUNTS),
                ACCOUNTS + "/invitation",
                Map.of("relatedPersonId", relatedPersonId, "email", "", "language", language));
        assertThat(issued.statusCode()).as("%s", issued.body()).isEqualTo(200);
        assertThat(issued.body()).contains("sent to");
    }

    private static Map<String, Object> setupForm(String code, String username, String email) {
        return Map.of(
                "code",
                code,
                "username",
                username,
                "email",
                email,
                "password",
                username + "-dev-password",
                "confirmation",
                username + "-dev-password");
    }

    private static String code(String link) {
        return org.caregate.smart.authserver.Browser.query(link).get("code");
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(FACILITY));
    }

    private Patient patient(LocalDate born, String email) {
        Patient patient = new Patient();
        patient.setId(unique("pat"));
        patient.addName(new HumanName().setFamily("Adult").addGiven("Test"));
        if (born.isAfter(today().minusYears(18))) {
            patient.getNameFirstRep().setFamily("Child");
        }
        patient.setBirthDate(Date.from(born.atStartOfDay(ZoneId.of("UTC")).toInstant()));
        patient.getBirthDateElement().setPrecision(ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY);
        patient.getBirthDateElement().setValueAsString(born.toString());
        if (email != null) {
            patient.addTelecom(new ContactPoint()
                    .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                    .setValue(email));
        }
        daoRegistry.getResourceDao(Patient.class).update(patient, new SystemRequestDetails());
        return patient;
    }

    private RelatedPerson relatedPerson(Patient child, String email) {
        RelatedPerson relatedPerson = new RelatedPerson();
        relatedPerson.setId(unique("rp"));
        relatedPerson.setActive(true);
        relatedPerson.setPatient(new Reference("Patient/" + child.getIdPart()));
        relatedPerson.addRelationship(
                new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "MTH", "mother")));
        relatedPerson.addName(new HumanName().setFamily("Parent").addGiven("Test"));
        relatedPerson.addTelecom(new ContactPoint()
                .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                .setValue(email));
        relatedPerson.setPeriod(new Period()
                .setStartElement(new org.hl7.fhir.r4.model.DateTimeType(
                        child.getBirthDateElement().getValueAsString())));
        daoRegistry.getResourceDao(RelatedPerson.class).update(relatedPerson, new SystemRequestDetails());
        return relatedPerson;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
