package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.caregate.smart.authserver.account.Totp;
import org.caregate.smart.authserver.user.UserKind;
import org.caregate.smart.authserver.user.UserStatus;
import org.junit.jupiter.api.Test;

/**
 * How people keep and lose access at the login, over real HTTP with a real SMTP server (GreenMail): lockout after
 * failed sign-ins (without telling which user names exist), password reset by an e-mailed single-use link that
 * expires, TOTP enrolment and sign-in for practitioners, idle sessions, the pages in Spanish.
 */
class AccountLifecycleTest extends SmartAuthServerTestSupport {

    private static final Pattern LINK = Pattern.compile("(http://\\S+/auth/account/reset/new\\?\\S+)");
    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7 ]+)<");
    private static final Pattern RECOVERY = Pattern.compile("<li>([0-9A-Z]{5}-[0-9A-Z]{5})</li>");

    @Test
    void loginWhenFiveWrongPasswordsThenLockedEvenWithTheRightOneUntilTheLockEnds() {
        String username = newPatient("pw-right-password-1");
        Browser browser = new Browser(BASE);
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(signIn(browser, username, "wrong-" + attempt)).endsWith("/auth/login?error");
        }
        assertThat(signIn(browser, username, "wrong-5")).endsWith("/auth/login?locked");
        assertThat(signIn(browser, username, "pw-right-password-1"))
                .as("right password while locked")
                .endsWith("/auth/login?locked");
        HttpResponse<String> page = browser.get("/auth/login?locked");
        assertThat(page.body()).contains("Too many failed sign-ins with this user name. Wait 15 minutes");

        clock.advance(Duration.ofMinutes(16));
        assertThat(signIn(browser, username, "pw-right-password-1")).doesNotContain("/auth/login");
    }

    @Test
    void loginWhenUserNameDoesNotExistThenTheSameAnswersAsForAnAccount() {
        String nobody = "no-such-user-" + UUID.randomUUID();
        Browser browser = new Browser(BASE);
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(signIn(browser, nobody, "whatever")).endsWith("/auth/login?error");
        }
        assertThat(signIn(browser, nobody, "whatever")).endsWith("/auth/login?locked");
    }

    @Test
    void passwordResetWhenLinkUsedThenNewPasswordWorksAndTheLinkNotAgain() throws Exception {
        String username = newPatient("old-password-123456");
        String email = username + "@example.org";
        users.setEmail(username, email);
        Browser browser = new Browser(BASE);
        HttpResponse<String> form = browser.get("/auth/account/reset");
        HttpResponse<String> sent =
                browser.post(BASE + "/auth/account/reset", Map.of("identifier", email, "_csrf", Browser.csrf(form)));
        assertThat(sent.body()).contains("If an active account matches, we have sent an e-mail");

        String link = linkIn(lastMailTo(email));
        HttpResponse<String> newPassword = browser.get(link);
        assertThat(newPassword.statusCode()).isEqualTo(200);
        assertThat(newPassword.body()).contains("Choose a new password");
        String code = Browser.query(link).get("code");

        HttpResponse<String> tooShort = browser.post(
                BASE + "/auth/account/reset/new",
                Map.of("code", code, "password", "short", "confirmation", "short", "_csrf", Browser.csrf(newPassword)));
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("at least 14 characters");

        HttpResponse<String> done = browser.post(
                BASE + "/auth/account/reset/new",
                Map.of(
                        "code",
                        code,
                        "password",
                        "a brand new password",
                        "confirmation",
                        "a brand new password",
                        "_csrf",
                        Browser.csrf(newPassword)));
        assertThat(Browser.location(done)).endsWith("/auth/login?reset");
        assertThat(signIn(new Browser(BASE), username, "old-password-123456")).endsWith("?error");
        assertThat(signIn(new Browser(BASE), username, "a brand new password")).doesNotContain("/auth/login");

        HttpResponse<String> again = browser.get(link);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("This link has already been used");
    }

    @Test
    void passwordResetWhenLinkOlderThanAnHourThenExpiredAndSaysWhatToDo() throws Exception {
        String username = newPatient("old-password-654321");
        users.setEmail(username, username + "@example.org");
        Browser browser = new Browser(BASE);
        HttpResponse<String> form = browser.get("/auth/account/reset?lang=es");
        browser.post(BASE + "/auth/account/reset", Map.of("identifier", username, "_csrf", Browser.csrf(form)));
        MimeMessage mail = lastMailTo(username + "@example.org");
        assertThat(mail.getSubject()).isEqualTo("CareGate: restablezca su contraseña");

        clock.advance(Duration.ofMinutes(61));
        HttpResponse<String> expired = browser.get(linkIn(mail));
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(expired.body()).contains("lang=\"es\"").contains("Este enlace ha caducado. Pida uno nuevo");
    }

    @Test
    void passwordResetWhenNoAccountMatchesThenTheSameAnswerAndNoMail() {
        int before = MAIL.getReceivedMessages().length;
        Browser browser = new Browser(BASE);
        HttpResponse<String> form = browser.get("/auth/account/reset");
        HttpResponse<String> sent = browser.post(
                BASE + "/auth/account/reset",
                Map.of("identifier", "nobody-" + UUID.randomUUID() + "@example.org", "_csrf", Browser.csrf(form)));
        assertThat(sent.body()).contains("If an active account matches, we have sent an e-mail");
        assertThat(MAIL.getReceivedMessages()).hasSize(before);
    }

    @Test
    void practitionerWhenFirstSignInThenEnrolsInTotpAndLaterSignInsNeedTheCode() throws Exception {
        String username = "dr-mfa-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(
                username,
                "practitioner-password-1",
                "Dr Mfa",
                "Practitioner/prac-mfa",
                UserKind.PRACTITIONER,
                "org-clinic-north",
                Set.of("clinician"),
                null);
        Browser browser = new Browser(BASE);
        assertThat(signIn(browser, username, "practitioner-password-1")).endsWith("/auth/mfa");
        assertThat(Browser.location(browser.get("/auth/consent?state=x")))
                .as("not signed in yet")
                .endsWith("/auth/login");

        HttpResponse<String> enrol = browser.get("/auth/mfa");
        assertThat(enrol.body()).contains("Set up two-step sign-in").contains("otpauth://totp/");
        Matcher secretMatch = SECRET.matcher(enrol.body());
        assertThat(secretMatch.find()).isTrue();
        String secret = secretMatch.group(1).replace(" ", "");

        HttpResponse<String> wrong =
                browser.post(BASE + "/auth/mfa", Map.of("code", "000000", "_csrf", Browser.csrf(enrol)));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("That code is not right");

        HttpResponse<String> recovery =
                browser.post(BASE + "/auth/mfa", Map.of("code", currentCode(secret), "_csrf", Browser.csrf(wrong)));
        assertThat(recovery.statusCode()).isEqualTo(200);
        List<String> recoveryCodes =
                RECOVERY.matcher(recovery.body()).results().map(m -> m.group(1)).toList();
        assertThat(recoveryCodes).hasSize(10).doesNotHaveDuplicates();
        assertThat(users.totpSecret(username)).hasValue(secret);

        // a later sign-in: the code of the authenticator app, not the one already used
        clock.advance(Duration.ofSeconds(30));
        Browser later = new Browser(BASE);
        assertThat(signIn(later, username, "practitioner-password-1")).endsWith("/auth/mfa");
        HttpResponse<String> codeForm = later.get("/auth/mfa");
        assertThat(codeForm.body())
                .contains("Enter the code from your authenticator app")
                .doesNotContain("otpauth://");
        String code = currentCode(secret);
        HttpResponse<String> signedIn =
                later.post(BASE + "/auth/mfa", Map.of("code", code, "_csrf", Browser.csrf(codeForm)));
        assertThat(Browser.location(signedIn)).doesNotContain("/auth/");

        Browser replay = new Browser(BASE);
        signIn(replay, username, "practitioner-password-1");
        HttpResponse<String> replayForm = replay.get("/auth/mfa");
        assertThat(replay.post(BASE + "/auth/mfa", Map.of("code", code, "_csrf", Browser.csrf(replayForm)))
                        .statusCode())
                .as("the same code twice")
                .isEqualTo(400);

        Browser lostPhone = new Browser(BASE);
        signIn(lostPhone, username, "practitioner-password-1");
        HttpResponse<String> lostForm = lostPhone.get("/auth/mfa");
        assertThat(Browser.location(lostPhone.post(
                        BASE + "/auth/mfa", Map.of("code", recoveryCodes.get(3), "_csrf", Browser.csrf(lostForm)))))
                .doesNotContain("/auth/");
        assertThat(users.recoveryCodesLeft(username)).isEqualTo(9);
    }

    @Test
    void sessionWhenIdleMoreThanTwentyMinutesThenSignedOutAndTheLoginPageSaysWhy() {
        String username = newPatient("idle-password-12345");
        Browser browser = new Browser(BASE);
        signIn(browser, username, "idle-password-12345");
        HttpResponse<String> before = browser.get("/auth/consent?state=unknown");
        assertThat(before.statusCode())
                .as("signed in: the page answers (unknown request)")
                .isEqualTo(400);

        clock.advance(Duration.ofMinutes(21));
        HttpResponse<String> after = browser.get("/auth/consent?state=unknown");
        assertThat(Browser.location(after)).endsWith("/auth/login");
        assertThat(browser.get("/auth/login").body())
                .contains("You were signed out after 20 minutes without activity.");
    }

    @Test
    void loginPageWhenBrowserPrefersSpanishThenSpanishWithASwitchToEnglish() {
        Browser browser = new Browser(BASE);
        HttpResponse<String> spanish = browser.get("/auth/login?lang=es");
        assertThat(spanish.body())
                .contains("<html lang=\"es\">")
                .contains("Inicie sesión en CareGate")
                .contains("href=\"/auth/login?lang=en\"");
        assertThat(browser.get("/auth/login").body()).as("the choice is kept").contains("Inicie sesión");
        assertThat(browser.get("/auth/login?lang=en").body()).contains("Sign in to CareGate");
    }

    @Test
    void approvalPageWhenTheLanguageChosenIsSpanishThenPatientAndScopesAreDescribedInSpanish() {
        Browser browser = new Browser(BASE);
        browser.get("/auth/login?lang=es");
        HttpResponse<String> approval = startAndLogin(
                browser,
                authorizeUrl(
                        PUBLIC_APP,
                        "openid fhirUser launch/patient patient/Observation.rs offline_access",
                        Pkce.create(),
                        "s-es"),
                ALICE,
                "alice-pw");
        assertThat(approval.uri().getPath()).isEqualTo("/auth/consent");
        assertThat(approval.body())
                .contains("<html lang=\"es\">")
                .contains("¿Permitir el acceso a")
                .contains("Confirmar que es usted quien inició sesión")
                .contains("Leer y buscar los registros Observation del paciente elegido")
                .contains("Mantener el acceso cuando no usa la aplicación, hasta que lo retire")
                .contains(">Permitir</button>")
                .doesNotContain("The app asks to");
    }

    // ----- helpers -----

    private String newPatient(String password) {
        String username = "pat-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(username, password, "Test Patient", "Patient/" + username, UserKind.PATIENT, null, Set.of(), null);
        assertThat(users.find(username))
                .hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(UserStatus.ACTIVE));
        return username;
    }

    /** Signs in on the login page; returns where the login form sends the browser. */
    private static String signIn(Browser browser, String username, String password) {
        HttpResponse<String> loginPage = browser.get("/auth/login");
        return Browser.location(browser.login(loginPage, username, password));
    }

    private String currentCode(String secret) {
        return Totp.code(secret, Totp.step(clock.instant()), Totp.DIGITS);
    }

    private static MimeMessage lastMailTo(String address) throws Exception {
        MimeMessage[] all = MAIL.getReceivedMessages();
        List<MimeMessage> to = Arrays.stream(all)
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getAllRecipients())
                                .anyMatch(r -> r.toString().equalsIgnoreCase(address));
                    } catch (Exception e) {
                        return false;
                    }
                })
                .toList();
        assertThat(to).as("mails to %s", address).isNotEmpty();
        return to.get(to.size() - 1);
    }

    private static String linkIn(MimeMessage mail) throws Exception {
        Matcher link = LINK.matcher(mail.getContent().toString());
        assertThat(link.find()).as("a link in %s", mail.getContent()).isTrue();
        return link.group(1);
    }
}
