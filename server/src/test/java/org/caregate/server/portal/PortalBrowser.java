package org.caregate.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.caregate.smart.authserver.Browser;

/**
 * A person using the portal in a browser: {@link Browser} (cookies, CSRF, no automatic redirects) plus the steps
 * the portal pages take: sign in through the authorization server's login page, post a page's forms with its CSRF
 * token, approve an app on the approval page.
 */
final class PortalBrowser {

    private static final Pattern STATE_FIELD = Pattern.compile("name=\"state\"\\s+value=\"([^\"]+)\"");
    private static final Pattern SCOPE_BOX = Pattern.compile(
            // the page's own lines (ticked, or hidden when they cannot be unticked), not the category sub-scopes
            "<input type=\"(?:checkbox|hidden)\" name=\"scope\"[^>]*value=\"([^\"]+)\"");

    private final String baseUrl;
    private final Browser browser;

    private PortalBrowser(String baseUrl) {
        this.baseUrl = baseUrl;
        this.browser = new Browser(baseUrl);
    }

    /** Opens {@code path}, is sent to the login page, signs in as {@code username} and lands back on the page. */
    static PortalBrowser signedIn(String baseUrl, String username, String path) {
        PortalBrowser portal = new PortalBrowser(baseUrl);
        HttpResponse<String> page = portal.signIn(username, username + "-dev-password", path);
        assertThat(page.uri().getPath())
                .as("back on %s after signing in: %s", path, page.body())
                .isEqualTo(path);
        return portal;
    }

    static PortalBrowser signedOut(String baseUrl) {
        return new PortalBrowser(baseUrl);
    }

    /** Opens {@code path} unauthenticated, signs in on the login page, follows the redirects. */
    HttpResponse<String> signIn(String username, String password, String path) {
        HttpResponse<String> toLogin = browser.get(path);
        assertThat(Browser.location(toLogin)).endsWith("/auth/login");
        HttpResponse<String> loginPage = browser.get(Browser.location(toLogin));
        return browser.follow(browser.login(loginPage, username, password));
    }

    HttpResponse<String> get(String path) {
        return browser.get(path);
    }

    /** Posts {@code form} to {@code path} with the CSRF token of {@code page}, as the page's form would. */
    HttpResponse<String> post(HttpResponse<String> page, String path, Map<String, ?> form) {
        Map<String, Object> withToken = new LinkedHashMap<>(form);
        withToken.put("_csrf", Browser.csrf(page));
        return browser.post(path, withToken);
    }

    HttpResponse<String> postWithoutCsrf(String path, Map<String, ?> form) {
        return browser.post(path, form);
    }

    HttpResponse<String> follow(HttpResponse<String> response) {
        return browser.follow(response);
    }

    /** On the authorization server's approval page: allow every scope offered; returns the redirect to the app. */
    HttpResponse<String> approveAll(HttpResponse<String> approvalPage, String clientId) {
        assertThat(approvalPage.uri().getPath())
                .as("approval page: %s", approvalPage.body())
                .isEqualTo("/auth/consent");
        Matcher state = STATE_FIELD.matcher(approvalPage.body());
        assertThat(state.find()).isTrue();
        Matcher scopes = SCOPE_BOX.matcher(approvalPage.body());
        LinkedHashSet<String> offered = new LinkedHashSet<>();
        while (scopes.find()) {
            offered.add(scopes.group(1));
        }
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("client_id", clientId);
        approval.put("state", state.group(1));
        approval.put("scope", List.copyOf(offered));
        return browser.post(baseUrl + "/auth/authorize", approval);
    }
}
