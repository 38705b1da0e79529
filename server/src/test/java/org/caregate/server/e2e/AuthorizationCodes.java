package org.caregate.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
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
 * Authorization codes that have not been exchanged yet, through the real standalone launch over HTTP (authorize,
 * login, approval, up to the redirect to the app): for tests that drive the token endpoint themselves, such as the
 * Postman collection's bad-PKCE request. {@link org.caregate.server.testing.SmartTokens} does the same and exchanges
 * the code.
 */
final class AuthorizationCodes {

    /** Postman's OAuth 2.0 callback, registered for the example apps. */
    static final String POSTMAN_CALLBACK = "https://oauth.pstmn.io/v1/callback";
    private static final String PUBLIC_APP = "caregate-public-app";
    private static final Pattern STATE_FIELD = Pattern.compile("name=\"state\"\\s+value=\"([^\"]+)\"");
    private static final Pattern SCOPE_BOX = Pattern.compile("name=\"scope\"[^>]*value=\"([^\"]+)\"");

    private final String baseUrl;

    AuthorizationCodes(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A code issued to the example public app for {@code redirectUri}, with the PKCE pair it was bound to. */
    record IssuedCode(String code, Pkce pkce, String redirectUri) {
    }

    /**
     * A standalone launch as {@code username} (password {@code <username>-dev-password}) of a user with one patient
     * (no picker), approving every scope, stopped at the redirect to {@code redirectUri}.
     */
    IssuedCode issue(String username, String scope, String redirectUri) {
        Browser browser = new Browser(baseUrl);
        Pkce pkce = Pkce.create();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", PUBLIC_APP);
        parameters.put("redirect_uri", redirectUri);
        parameters.put("scope", scope);
        parameters.put("state", UUID.randomUUID().toString());
        parameters.put("aud", baseUrl + "/fhir");
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
        HttpResponse<String> toLogin = browser.get(baseUrl + "/auth/authorize?" + Browser.formBody(parameters));
        HttpResponse<String> loginPage = browser.get(Browser.location(toLogin));
        HttpResponse<String> page = browser.follow(browser.login(loginPage, username, username + "-dev-password"));
        assertThat(page.uri().getPath()).as("approval page, got %s", page.body()).isEqualTo("/auth/consent");
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("client_id", PUBLIC_APP);
        approval.put("state", field(page));
        approval.put("scope", offeredScopes(page));
        String location = Browser.location(browser.post(baseUrl + "/auth/authorize", approval));
        assertThat(location).as("redirect to the app").startsWith(redirectUri + "?");
        Map<String, String> query = Browser.query(location);
        assertThat(query).as("redirect to the app: %s", location).containsKey("code");
        return new IssuedCode(query.get("code"), pkce, redirectUri);
    }

    private static String field(HttpResponse<String> page) {
        Matcher matcher = STATE_FIELD.matcher(page.body());
        assertThat(matcher.find()).as("state field on %s", page.body()).isTrue();
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
