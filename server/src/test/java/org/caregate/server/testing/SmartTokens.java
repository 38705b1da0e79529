package org.caregate.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.caregate.smart.authserver.Browser;
import org.caregate.smart.authserver.Pkce;

/**
 * Real access tokens for full-stack tests, obtained through the real SMART flows over HTTP (no back door): the
 * standalone launch of the example public app (login, picker, approval, code exchange with PKCE) and SMART Backend
 * Services with the example backend client's generated key.
 */
public final class SmartTokens {

    public static final String PUBLIC_APP = "caregate-public-app";
    public static final String BACKEND_NORTH = "caregate-backend-north";
    public static final String EHR_FEED = "caregate-ehr-feed";
    private static final Pattern STATE_FIELD = Pattern.compile("name=\"state\"\\s+value=\"([^\"]+)\"");
    private static final Pattern SCOPE_BOX = Pattern.compile(
            // the page's own lines (ticked, or hidden when they cannot be unticked), not the category sub-scopes
            "<input type=\"(?:checkbox|hidden)\" name=\"scope\"[^>]*value=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();

    public SmartTokens(String baseUrl, Path dataDir) {
        this.baseUrl = baseUrl;
        this.dataDir = dataDir;
    }

    /** The redirect URI registered for the example public app. */
    public String redirectUri() {
        return baseUrl + "/portal/demo-app/callback";
    }

    /** An authorization code issued to the example public app, not yet exchanged, with its PKCE pair. */
    public record IssuedCode(String code, Pkce pkce, String redirectUri) {}

    /**
     * A standalone launch as {@code username} (password {@code <username>-dev-password}), picking {@code patientId}
     * if the picker is shown, approving every requested scope, stopped at the redirect to {@code redirectUri} (a
     * redirect URI registered for the public app): for tests that drive the token endpoint themselves.
     */
    public IssuedCode authorizationCode(String username, String scope, String patientId, String redirectUri) {
        Browser browser = new Browser(baseUrl);
        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", PUBLIC_APP);
        parameters.put("redirect_uri", redirectUri);
        parameters.put("scope", scope);
        parameters.put("state", state);
        parameters.put("aud", baseUrl + "/fhir");
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
        HttpResponse<String> toLogin = browser.get(baseUrl + "/auth/authorize?" + Browser.formBody(parameters));
        HttpResponse<String> loginPage = browser.get(Browser.location(toLogin));
        HttpResponse<String> page = browser.follow(browser.login(loginPage, username, username + "-dev-password"));
        if (page.uri().getPath().equals("/auth/picker")) {
            page = browser.follow(browser.post(
                    baseUrl + "/auth/picker",
                    Map.of("state", field(STATE_FIELD, page), "patient", patientId, "_csrf", Browser.csrf(page))));
        }
        assertThat(page.uri().getPath())
                .as("approval page, got %s", page.body())
                .isEqualTo("/auth/consent");
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("client_id", PUBLIC_APP);
        approval.put("state", field(STATE_FIELD, page));
        approval.put("scope", offeredScopes(page));
        String location = Browser.location(browser.post(baseUrl + "/auth/authorize", approval));
        assertThat(location).as("redirect to the app").startsWith(redirectUri + "?");
        Map<String, String> query = Browser.query(location);
        assertThat(query)
                .as("redirect to the app: %s", location)
                .containsKey("code")
                .doesNotContainKey("error");
        assertThat(query.get("state")).isEqualTo(state);
        return new IssuedCode(query.get("code"), pkce, redirectUri);
    }

    /**
     * A standalone launch as {@code username}, picking {@code patientId} if the picker is shown, approving every
     * requested scope, and the code exchanged with PKCE.
     *
     * @return the token response
     */
    public Map<String, Object> standaloneLaunch(String username, String scope, String patientId) {
        IssuedCode issued = authorizationCode(username, scope, patientId, redirectUri());
        return tokenRequest(Map.of(
                "grant_type",
                "authorization_code",
                "code",
                issued.code(),
                "redirect_uri",
                issued.redirectUri(),
                "client_id",
                PUBLIC_APP,
                "code_verifier",
                issued.pkce().verifier()));
    }

    /** The access token of a standalone launch. */
    public String userToken(String username, String scope, String patientId) {
        return (String) standaloneLaunch(username, scope, patientId).get("access_token");
    }

    /** A SMART Backend Services token of the north clinic's example client. */
    public String backendToken(String scope) {
        Map<String, Object> response = tokenRequest(Map.of(
                "grant_type",
                "client_credentials",
                "scope",
                scope,
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                clientAssertion(BACKEND_NORTH)));
        return (String) response.get("access_token");
    }

    /** A SMART Backend Services token of the hospital's EHR feed (the example client {@code caregate-ehr-feed}). */
    public String ehrFeedToken(String scope) {
        Map<String, Object> response = tokenRequest(Map.of(
                "grant_type",
                "client_credentials",
                "scope",
                scope,
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                clientAssertion(EHR_FEED)));
        return (String) response.get("access_token");
    }

    private String clientAssertion(String clientId) {
        try {
            ECKey key = (ECKey) JWK.parse(
                    Files.readString(dataDir.resolve("dev-credentials").resolve(clientId + ".jwk.json")));
            long now = System.currentTimeMillis();
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(clientId)
                    .subject(clientId)
                    .audience(baseUrl + "/auth/token")
                    .jwtID(UUID.randomUUID().toString())
                    .issueTime(new Date(now))
                    .expirationTime(new Date(now + 240_000))
                    .build();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.ES384)
                            .keyID(key.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.text.ParseException | JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** The token endpoint's answer (a token or an OAuth error) to a backend client asking for {@code scope}. */
    public Map<String, Object> tokenResponseOf(String clientId, String scope) {
        return tokenAnswer(Map.of(
                "grant_type",
                "client_credentials",
                "scope",
                scope,
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                clientAssertion(clientId)));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tokenAnswer(Map<String, ?> form) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/auth/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Browser.formBody(form)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readValue(response.body(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tokenRequest(Map<String, ?> form) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/auth/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Accept", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Browser.formBody(form)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("token response %s", response.body())
                    .isEqualTo(200);
            return JSON.readValue(response.body(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String field(Pattern pattern, HttpResponse<String> page) {
        Matcher matcher = pattern.matcher(page.body());
        assertThat(matcher.find()).as("field on %s", page.body()).isTrue();
        return matcher.group(1);
    }

    private static List<String> offeredScopes(HttpResponse<String> page) {
        Matcher matcher = SCOPE_BOX.matcher(page.body());
        LinkedHashSet<String> scopes = new LinkedHashSet<>();
        while (matcher.find()) {
            scopes.add(matcher.group(1));
        }
        return List.copyOf(scopes);
    }
}
