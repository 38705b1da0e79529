package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.caregate.smart.authserver.client.ExampleClients;
import org.caregate.smart.authserver.context.LaunchContextService;
import org.caregate.smart.authserver.context.PatientChoice;
import org.caregate.smart.authserver.token.RevokedAccessTokens;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.caregate.smart.authserver.user.UserStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What every authorization-server test shares: ONE Spring context (same configuration in every subclass), the real
 * server on a real port, an embedded PostgreSQL, the test personas, and helpers for the protocol steps.
 */
@SpringBootTest(classes = SmartAuthTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
public abstract class SmartAuthServerTestSupport {

    protected static final int PORT = freePort();
    protected static final String BASE = "http://localhost:" + PORT;
    protected static final String FHIR_BASE = BASE + "/fhir";
    protected static final String REDIRECT_URI = BASE + "/portal/demo-app/callback";
    protected static final Path DATA_DIR = tempDir();

    protected static final String PUBLIC_APP = ExampleClients.PUBLIC_APP;
    protected static final String CONFIDENTIAL_APP = ExampleClients.CONFIDENTIAL_APP;
    protected static final String ASYMMETRIC_APP = ExampleClients.ASYMMETRIC_APP;
    protected static final String BACKEND_NORTH = ExampleClients.BACKEND_NORTH;

    /** An adult patient: may open only her own record. */
    protected static final String ALICE = "alice";
    /** A parent of two children: one aged 8, one turning 12 in ten days. */
    protected static final String GARCIA = "garcia";

    protected static final String DR_NORTH = "dr-north";
    protected static final String GONE = "gone";
    protected static final String NOBODY = "nobody";
    protected static final LocalDate TURNS_12 = LocalDate.now().minusYears(12).plusDays(10);

    private static final Pattern STATE_FIELD = Pattern.compile("name=\"state\"\\s+value=\"([^\"]+)\"");
    private static final Pattern SCOPE_BOX = Pattern.compile(
            // the page's own lines (ticked, or hidden when they cannot be unticked), not the category sub-scopes
            "<input type=\"(?:checkbox|hidden)\" name=\"scope\"[^>]*value=\"([^\"]+)\"");
    private static volatile boolean seeded;

    @Autowired
    protected UserAccountService users;

    @Autowired
    protected InMemoryPatientDirectory directory;

    @Autowired
    protected MutableClock clock;

    @Autowired
    protected LaunchContextService launchContexts;

    @Autowired
    protected RevokedAccessTokens revokedAccessTokens;

    protected final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** A real SMTP server that keeps every mail the authorization server sends (password resets). */
    protected static final GreenMail MAIL = startMailServer();

    @DynamicPropertySource
    static void serverProperties(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> MAIL.getSmtp().getPort());
        registry.add("server.port", () -> PORT);
        registry.add("caregate.public-base-url", () -> BASE);
        registry.add("caregate.data-dir", DATA_DIR::toString);
    }

    @BeforeEach
    void seedPersonas() {
        clock.reset();
        if (seeded) {
            return;
        }
        users.createOrUpdate(
                ALICE,
                "alice-pw",
                "Alice Adult",
                "Patient/pat-adult-alice",
                UserKind.PATIENT,
                null,
                Set.of(),
                UserStatus.ACTIVE);
        users.createOrUpdate(
                GARCIA,
                "garcia-pw",
                "Maria Garcia",
                "RelatedPerson/rp-garcia-for-4",
                UserKind.RELATED_PERSON,
                null,
                Set.of(),
                UserStatus.ACTIVE);
        users.createOrUpdate(
                DR_NORTH,
                "north-pw",
                "Dr North",
                "Practitioner/prac-north-gp",
                UserKind.PRACTITIONER,
                "org-clinic-north",
                Set.of("clinician"),
                UserStatus.ACTIVE);
        // a development persona: password-only, as the seed data's are (AccountLifecycleTest covers TOTP)
        users.setMfaExempt(DR_NORTH, true);
        users.createOrUpdate(
                GONE,
                "gone-pw",
                "Former Staff",
                "Practitioner/prac-gone",
                UserKind.PRACTITIONER,
                "org-clinic-north",
                Set.of("office-staff"),
                UserStatus.TERMINATED);
        users.createOrUpdate(
                NOBODY,
                "nobody-pw",
                "No Patients",
                "Patient/pat-nobody",
                UserKind.PATIENT,
                null,
                Set.of(),
                UserStatus.ACTIVE);
        directory.allow(ALICE, new PatientChoice("pat-adult-alice", "Alice Adult", LocalDate.of(1985, 3, 14)));
        directory.allow(
                GARCIA,
                new PatientChoice("pat-child-4", "Leo Garcia", TURNS_12),
                new PatientChoice("pat-child-8", "Ana Garcia", LocalDate.now().minusYears(8)));
        directory.allow(
                DR_NORTH,
                new PatientChoice("pat-adult-alice", "Alice Adult", LocalDate.of(1985, 3, 14)),
                new PatientChoice("pat-child-4", "Leo Garcia", TURNS_12));
        seeded = true;
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    // ----- authorization request -----

    /** An authorization request of the public app: S256 PKCE, aud = FHIR base. Add or override with {@code extra}. */
    protected static String authorizeUrl(
            String clientId, String scope, Pkce pkce, String state, Map<String, String> extra) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", clientId);
        parameters.put("redirect_uri", REDIRECT_URI);
        parameters.put("scope", scope);
        parameters.put("state", state);
        parameters.put("aud", FHIR_BASE);
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
        parameters.putAll(extra);
        parameters.values().removeIf(value -> value == null);
        return BASE + "/auth/authorize?" + Browser.formBody(parameters);
    }

    protected static String authorizeUrl(String clientId, String scope, Pkce pkce, String state) {
        return authorizeUrl(clientId, scope, pkce, state, Map.of());
    }

    /** Logs in from the authorization request, and follows to the next page (picker, approval or the client). */
    protected static HttpResponse<String> startAndLogin(
            Browser browser, String authorizeUrl, String username, String password) {
        HttpResponse<String> first = browser.get(authorizeUrl);
        assertThat(Browser.isRedirect(first))
                .as("login redirect, got %s %s", first.statusCode(), first.body())
                .isTrue();
        assertThat(Browser.location(first)).endsWith("/auth/login");
        HttpResponse<String> loginPage = browser.get(Browser.location(first));
        assertThat(loginPage.statusCode()).isEqualTo(200);
        HttpResponse<String> afterLogin = browser.login(loginPage, username, password);
        assertThat(Browser.isRedirect(afterLogin))
                .as("after login: %s", afterLogin.body())
                .isTrue();
        assertThat(Browser.location(afterLogin)).as("login of %s", username).doesNotContain("error");
        return browser.follow(afterLogin);
    }

    /** Picks {@code patientId} on the picker page shown. */
    protected static HttpResponse<String> pick(Browser browser, HttpResponse<String> picker, String patientId) {
        assertThat(picker.uri().getPath()).isEqualTo("/auth/picker");
        HttpResponse<String> picked = browser.post(
                BASE + "/auth/picker",
                Map.of("state", state(picker), "patient", patientId, "_csrf", Browser.csrf(picker)));
        return browser.follow(picked);
    }

    /** Approves the approval page shown with the given scopes ticked (null: all that are offered). */
    protected static HttpResponse<String> approve(
            Browser browser, HttpResponse<String> approvalPage, List<String> scopes) {
        assertThat(approvalPage.statusCode())
                .as("approval page: %s", approvalPage.body())
                .isEqualTo(200);
        assertThat(approvalPage.uri().getPath()).isEqualTo("/auth/consent");
        List<String> ticked = scopes != null ? scopes : offeredScopes(approvalPage);
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("client_id", clientIdOf(approvalPage));
        form.put("state", state(approvalPage));
        form.put("scope", ticked);
        return browser.post(BASE + "/auth/authorize", form);
    }

    protected static List<String> offeredScopes(HttpResponse<String> approvalPage) {
        Matcher matcher = SCOPE_BOX.matcher(approvalPage.body());
        java.util.LinkedHashSet<String> scopes = new java.util.LinkedHashSet<>();
        while (matcher.find()) {
            scopes.add(matcher.group(1));
        }
        return List.copyOf(scopes);
    }

    protected static String state(HttpResponse<String> page) {
        Matcher matcher = STATE_FIELD.matcher(page.body());
        assertThat(matcher.find()).as("state field on %s", page.body()).isTrue();
        return matcher.group(1);
    }

    private static String clientIdOf(HttpResponse<String> page) {
        Matcher matcher =
                Pattern.compile("name=\"client_id\"\\s+value=\"([^\"]+)\"").matcher(page.body());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    /** The authorization code from the redirect to the client, checking {@code state} is echoed. */
    protected static String code(HttpResponse<String> redirectToClient, String expectedState) {
        assertThat(Browser.isRedirect(redirectToClient))
                .as("redirect to client, got %s: %s", redirectToClient.statusCode(), redirectToClient.body())
                .isTrue();
        String location = Browser.location(redirectToClient);
        assertThat(location).startsWith(REDIRECT_URI);
        Map<String, String> query = Browser.query(location);
        assertThat(query).as(location).containsKey("code").doesNotContainKey("error");
        assertThat(query.get("state")).isEqualTo(expectedState);
        return query.get("code");
    }

    /** The whole standalone launch of the public app for a user with one patient (no picker). */
    protected String authorizationCode(String username, String password, String scope, Pkce pkce) {
        Browser browser = new Browser(BASE);
        String state = UUID.randomUUID().toString();
        HttpResponse<String> page =
                startAndLogin(browser, authorizeUrl(PUBLIC_APP, scope, pkce, state), username, password);
        return code(approve(browser, page, null), state);
    }

    // ----- token endpoint -----

    protected HttpResponse<String> tokenRequest(Map<String, ?> form) {
        return tokenRequest(form, null);
    }

    protected HttpResponse<String> tokenRequest(Map<String, ?> form, String basicAuth) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + "/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.formBody(form)));
        if (basicAuth != null) {
            request.header("Authorization", "Basic " + basicAuth);
        }
        return send(request.build());
    }

    protected Map<String, Object> exchangePublic(String code, String verifier) {
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
                verifier));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return OAuthErrorAssert.json(response);
    }

    protected HttpResponse<String> refresh(String refreshToken, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", PUBLIC_APP);
        if (scope != null) {
            form.put("scope", scope);
        }
        return tokenRequest(form);
    }

    protected HttpResponse<String> postForm(String path, Map<String, ?> form, String basicAuth) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.formBody(form)));
        if (basicAuth != null) {
            request.header("Authorization", "Basic " + basicAuth);
        }
        return send(request.build());
    }

    protected HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : BASE + path));
        headers.forEach(request::header);
        return send(request.GET().build());
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ----- credentials of the example clients (generated at first start) -----

    protected static String confidentialSecret() {
        return readCredential(CONFIDENTIAL_APP + ".secret").strip();
    }

    protected static String basic(String clientId, String secret) {
        return Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    protected static JWK privateKey(String clientId) {
        try {
            return JWK.parse(readCredential(clientId + ".jwk.json"));
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static String readCredential(String file) {
        try {
            return Files.readString(DATA_DIR.resolve("dev-credentials").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client assertion (RFC 7523) signed with {@code key}: iss = sub = client, aud = token endpoint. */
    protected static String clientAssertion(
            String clientId, JWK key, String audience, String jti, long lifetimeSeconds) {
        try {
            JWSAlgorithm algorithm = key instanceof ECKey ? JWSAlgorithm.ES384 : JWSAlgorithm.RS384;
            JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
            long now = System.currentTimeMillis();
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(clientId)
                    .subject(clientId)
                    .audience(audience)
                    .jwtID(jti)
                    .issueTime(new Date(now))
                    .expirationTime(new Date(now + lifetimeSeconds * 1000))
                    .build();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(algorithm)
                            .keyID(key.getKeyID())
                            .type(com.nimbusds.jose.JOSEObjectType.JWT)
                            .build(),
                    claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    protected static String clientAssertion(String clientId) {
        return clientAssertion(
                clientId,
                privateKey(clientId),
                BASE + "/auth/token",
                UUID.randomUUID().toString(),
                240);
    }

    // ----- tokens -----

    /** The claims of one of our JWTs, after checking its RS256 signature against the published JWKS. */
    protected JWTClaimsSet verifiedClaims(String jwt) {
        try {
            SignedJWT signed = SignedJWT.parse(jwt);
            assertThat(signed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            JWKSet keys = JWKSet.parse(get("/auth/jwks", Map.of()).body());
            RSAKey key = (RSAKey) keys.getKeyByKeyId(signed.getHeader().getKeyID());
            assertThat(key)
                    .as("kid %s in the JWKS", signed.getHeader().getKeyID())
                    .isNotNull();
            assertThat(signed.verify(new RSASSAVerifier(key))).isTrue();
            return signed.getJWTClaimsSet();
        } catch (java.text.ParseException | JOSEException e) {
            throw new AssertionError(e);
        }
    }

    private static GreenMail startMailServer() {
        GreenMail mail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
        return mail;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("smart-auth-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
