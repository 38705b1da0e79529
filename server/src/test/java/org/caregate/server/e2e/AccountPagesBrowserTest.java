package org.caregate.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.caregate.server.portal.account.AccountInvitations;
import org.caregate.server.testing.FullStackTest;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The account pages in headless Chromium on a phone-sized viewport, driven by {@code page-steps.js} with e-mails
 * caught by GreenMail: a patient activates her account from the e-mailed link in Spanish and reaches her connected
 * apps; a person locked out by wrong passwords resets the password from the e-mailed link; a new practitioner enrols
 * in TOTP on the first sign-in. Every page is in the browser's language with a switch to the other, has every control
 * labelled, fits the screen, and axe-core finds no WCAG 2.x A/AA violation on it. Screenshots:
 * {@code server/target/e2e/screenshots/account-*.png}.
 */
class AccountPagesBrowserTest extends FullStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = NodeScripts.OUTPUT.resolve("screenshots");
    private static final ZoneId FACILITY = ZoneId.of("America/Los_Angeles");

    @Autowired
    private DaoRegistry daoRegistry;

    @Autowired
    private AccountInvitations invitations;

    @Autowired
    private UserAccountService accounts;

    @BeforeEach
    void chromium() {
        NodeScripts.requireChromium();
    }

    @Test
    void activationWhenSpanishSpeakingPatientFollowsTheEmailedLinkThenAccountAndConnectedAppsInSpanish() {
        String email = unique("paciente") + "@example.org";
        Patient patient = patient(email);
        invitations.activationCode(accounts.find("grace").orElseThrow(), patient, null, Locale.forLanguageTag("es"));
        String link = MAIL.last(email).link("/portal/account/activate");
        assertThat(MAIL.last(email).subject()).isEqualTo("Su código de activación de CareGate");
        String username = unique("rosa");
        String password = "una contraseña larga de verdad";

        JsonNode run = walk(
                "es",
                steps().go(link)
                        .inspect("account-setup-es")
                        .fill("#username", username)
                        .fill("#password", password)
                        .fill("#confirmation", password)
                        .click("button[type=submit]")
                        .inspect("account-ready-es")
                        .click("#sign-in")
                        .inspect("account-login-es")
                        .fill("#username", username)
                        .fill("#password", password)
                        .click("button[type=submit]")
                        .click("#apps-link")
                        .inspect("account-apps-es"));

        assertAccessible(run, "account-setup-es", "es", "Cree su cuenta de CareGate");
        assertThat(run.path("pages").path("account-setup-es").path("body").asText())
                .contains("Este código abre la cuenta de Rosa Prueba");
        assertAccessible(run, "account-ready-es", "es", "Su cuenta está lista");
        assertAccessible(run, "account-login-es", "es", "Inicie sesión en CareGate");
        assertAccessible(run, "account-apps-es", "es", "Aplicaciones autorizadas");
        assertThat(accounts.find(username).orElseThrow().fhirUser()).isEqualTo("Patient/" + patient.getIdPart());
    }

    @Test
    void passwordResetWhenLockedOutByWrongPasswordsThenTheEmailedLinkSetsANewOneAndSigningInWorks() {
        String username = unique("locked");
        String email = username + "@example.org";
        accounts.create(
                username,
                "the old password 1",
                "Locked Person",
                "Patient/pat-adult-alice",
                UserKind.PATIENT,
                null,
                Set.of(),
                email);
        Steps lockout = steps().go("/auth/login");
        for (int attempt = 1; attempt <= 5; attempt++) {
            lockout.fill("#username", username)
                    .fill("#password", "wrong password " + attempt)
                    .click("button[type=submit]");
        }
        lockout.inspect("account-locked")
                .go("/auth/account/reset")
                .inspect("account-reset-request")
                .fill("#identifier", email)
                .click("button[type=submit]")
                .inspect("account-reset-sent");
        JsonNode locked = walk("en", lockout);
        assertAccessible(locked, "account-locked", "en", "Sign in to CareGate");
        assertThat(texts(locked.path("pages").path("account-locked").path("alerts")))
                .containsExactly("Too many failed sign-ins with this user name. Wait 15 minutes and try again, or"
                        + " reset your password.");
        assertAccessible(locked, "account-reset-request", "en", "Reset your password");
        assertThat(texts(locked.path("pages").path("account-reset-sent").path("statuses"))
                        .get(0))
                .startsWith("If an active account matches, we have sent an e-mail");

        String link = MAIL.last(email).link("/auth/account/reset/new");
        JsonNode reset = walk(
                "en",
                steps().go(link)
                        .inspect("account-reset-new")
                        .fill("#password", "the new password 2")
                        .fill("#confirmation", "the new password 2")
                        .click("button[type=submit]")
                        .inspect("account-reset-done")
                        .fill("#username", username)
                        .fill("#password", "the new password 2")
                        .click("button[type=submit]")
                        .inspect("account-after-reset"));
        assertAccessible(reset, "account-reset-new", "en", "Choose a new password");
        assertThat(texts(reset.path("pages").path("account-reset-done").path("statuses")))
                .contains("Your password has been changed. Sign in with the new password.");
        assertThat(reset.path("pages").path("account-after-reset").path("path").asText())
                .isEqualTo("/portal/");
    }

    @Test
    void mfaWhenNewPractitionerSignsInThenEnrolsWithTheAppAndIsShownRecoveryCodes() {
        String username = unique("dr.new");
        accounts.create(
                username,
                "practitioner password 1",
                "Dr New",
                "Practitioner/prac-north-gp",
                UserKind.PRACTITIONER,
                "org-clinic-north",
                Set.of("clinician"),
                null);
        JsonNode run = walk(
                "en",
                steps().go("/portal/")
                        .fill("#username", username)
                        .fill("#password", "practitioner password 1")
                        .click("button[type=submit]")
                        .inspect("account-mfa-enrol")
                        .totp("#totp-secret", "#code")
                        .click("button[type=submit]")
                        .inspect("account-mfa-recovery")
                        .click("#continue")
                        .inspect("account-mfa-home"));
        assertAccessible(run, "account-mfa-enrol", "en", "Set up two-step sign-in");
        assertAccessible(run, "account-mfa-recovery", "en", "Your recovery codes");
        assertThat(run.path("pages").path("account-mfa-home").path("path").asText())
                .isEqualTo("/portal/");
        assertThat(accounts.totpSecret(username)).isPresent();
    }

    // ----- helpers -----

    private static void assertAccessible(JsonNode run, String name, String lang, String heading) {
        JsonNode page = run.path("pages").path(name);
        assertThat(page.isMissingNode())
                .as("page %s was inspected: %s", name, run)
                .isFalse();
        assertThat(page.path("lang").asText()).as("%s: html lang", name).isEqualTo(lang);
        assertThat(page.path("heading").asText()).as("%s: h1", name).isEqualTo(heading);
        assertThat(texts(page.path("languageSwitch")))
                .as("%s: language switch", name)
                .containsExactly("en", "es");
        assertThat(page.path("unlabelledControls"))
                .as("%s: controls without a label", name)
                .isEmpty();
        assertThat(page.path("horizontalOverflow").asBoolean())
                .as("%s: wider than the phone", name)
                .isFalse();
        assertThat(page.path("axeViolations"))
                .as("%s: axe-core WCAG A/AA violations", name)
                .isEmpty();
    }

    private static JsonNode walk(String language, Steps steps) {
        ObjectNode input = JSON.createObjectNode()
                .put("baseUrl", BASE_URL)
                .put("screenshots", SCREENSHOTS.toString())
                .put("language", language);
        input.set("steps", steps.array);
        NodeScripts.Result result =
                NodeScripts.node("page-steps", Duration.ofMinutes(2), "page-steps.js", input.toString());
        JsonNode report = NodeScripts.jsonReport("page-steps.js", result);
        assertThat(report.path("ok").asBoolean())
                .as("page-steps.js: %s", result.describe())
                .isTrue();
        return report;
    }

    private static Steps steps() {
        return new Steps();
    }

    /** The steps page-steps.js takes, in order. */
    private static final class Steps {
        final ArrayNode array = JSON.createArrayNode();

        Steps go(String url) {
            array.addObject().put("goto", url);
            return this;
        }

        Steps fill(String selector, String value) {
            array.addObject().put("fill", selector).put("value", value);
            return this;
        }

        Steps click(String selector) {
            array.addObject().put("click", selector);
            return this;
        }

        Steps totp(String secretSelector, String into) {
            array.addObject().put("totp", secretSelector).put("into", into);
            return this;
        }

        Steps inspect(String name) {
            array.addObject().put("inspect", name);
            return this;
        }
    }

    private Patient patient(String email) {
        Patient patient = new Patient();
        patient.setId(unique("pat"));
        patient.addName(new HumanName().setFamily("Prueba").addGiven("Rosa"));
        LocalDate born = LocalDate.now(clock.withZone(FACILITY)).minusYears(45);
        patient.setBirthDateElement(new DateType(born.toString()));
        patient.getBirthDateElement().setPrecision(TemporalPrecisionEnum.DAY);
        patient.addTelecom(new ContactPoint()
                .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                .setValue(email));
        daoRegistry.getResourceDao(Patient.class).update(patient, new SystemRequestDetails());
        return patient;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new java.util.ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
