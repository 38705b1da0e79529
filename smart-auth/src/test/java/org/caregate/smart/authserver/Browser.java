package org.caregate.smart.authserver;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person's browser, over real HTTP: keeps cookies (the session), does not follow redirects by itself so tests
 * can see each step, and reads the CSRF token of the pages it is shown.
 */
public final class Browser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private static final Pattern TOTP_SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7 ]+)<");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<li>([0-9A-Z]{5}-[0-9A-Z]{5})</li>");
    private static final Pattern CONTINUE = Pattern.compile("href=\"([^\"]*)\" id=\"continue\"");
    /** The authenticator apps of the people these browsers signed in as: username → secret and recovery codes. */
    private static final Map<String, Authenticator> AUTHENTICATORS = new java.util.concurrent.ConcurrentHashMap<>();
    /** The server's clock, for TOTP codes (tests that move the server's clock set this to it). */
    public static volatile java.util.function.Supplier<java.time.Instant> totpClock = java.time.Instant::now;

    private final String baseUrl;
    private String signingIn;

    private static final class Authenticator {
        final String secret;
        final java.util.Deque<String> recoveryCodes;
        long lastStep;

        Authenticator(String secret, List<String> recoveryCodes, long lastStep) {
            this.secret = secret;
            this.recoveryCodes = new java.util.ArrayDeque<>(recoveryCodes);
            this.lastStep = lastStep;
        }
    }

    public Browser(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(uri(url))
                .header("Accept", "text/html")
                .GET()
                .build());
    }

    public HttpResponse<String> post(String url, Map<String, ?> form) {
        return send(HttpRequest.newBuilder(uri(url))
                .header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form)))
                .build());
    }

    /**
     * Follows redirects inside this server; stops at a page (200/4xx) or a redirect that leaves the server. The
     * second step of a sign-in ({@code /auth/mfa}) is passed as its person would, with their authenticator app:
     * enrolling on the first sign-in (keeping the secret and the recovery codes), the app's code later.
     */
    public HttpResponse<String> follow(HttpResponse<String> response) {
        HttpResponse<String> current = response;
        for (int hops = 0; hops < 10 && isRedirect(current); hops++) {
            String location = location(current);
            if (location.equals(baseUrl + "/auth/mfa") && signingIn != null) {
                current = passSecondStep(signingIn);
                continue;
            }
            if (!location.startsWith(baseUrl) || location.startsWith(baseUrl + "/portal/demo-app/callback")) {
                return current;
            }
            current = get(location);
        }
        return current;
    }

    /** Submits the login form of the login page {@code loginPage}. */
    public HttpResponse<String> login(HttpResponse<String> loginPage, String username, String password) {
        signingIn = username;
        return post(
                baseUrl + "/auth/login", Map.of("username", username, "password", password, "_csrf", csrf(loginPage)));
    }

    private HttpResponse<String> passSecondStep(String username) {
        HttpResponse<String> page = get(baseUrl + "/auth/mfa");
        long now = org.caregate.smart.authserver.account.Totp.step(totpClock.get());
        Matcher secret = TOTP_SECRET.matcher(page.body());
        if (secret.find()) {
            String key = secret.group(1).replace(" ", "");
            HttpResponse<String> codes =
                    post(baseUrl + "/auth/mfa", Map.of("code", totp(key, now), "_csrf", csrf(page)));
            List<String> recovery = RECOVERY_CODE
                    .matcher(codes.body())
                    .results()
                    .map(m -> m.group(1))
                    .toList();
            Matcher next = CONTINUE.matcher(codes.body());
            if (recovery.isEmpty() || !next.find()) {
                throw new AssertionError("TOTP enrolment of " + username + " failed: " + codes.body());
            }
            AUTHENTICATORS.put(username, new Authenticator(key, recovery, now));
            return get(next.group(1).replace("&amp;", "&"));
        }
        Authenticator app = AUTHENTICATORS.get(username);
        if (app == null) {
            throw new AssertionError(username + " is enrolled in TOTP elsewhere: no secret known to the test");
        }
        String code;
        synchronized (app) {
            long step = Math.max(now, app.lastStep + 1);
            if (step <= now + 1) {
                app.lastStep = step;
                code = totp(app.secret, step);
            } else {
                code = app.recoveryCodes.pop();
            }
        }
        return post(baseUrl + "/auth/mfa", Map.of("code", code, "_csrf", csrf(page)));
    }

    private static String totp(String secret, long step) {
        return org.caregate.smart.authserver.account.Totp.code(
                secret, step, org.caregate.smart.authserver.account.Totp.DIGITS);
    }

    public static String csrf(HttpResponse<String> page) {
        Matcher matcher = CSRF.matcher(page.body());
        if (!matcher.find()) {
            throw new AssertionError("no CSRF token on page " + page.uri() + ":\n" + page.body());
        }
        return matcher.group(1);
    }

    public static boolean isRedirect(HttpResponse<?> response) {
        return response.statusCode() / 100 == 3;
    }

    public static String location(HttpResponse<?> response) {
        String location = response.headers()
                .firstValue("Location")
                .orElseThrow(() -> new AssertionError("no Location header, status " + response.statusCode()));
        return location;
    }

    private URI uri(String url) {
        return URI.create(url.startsWith("http") ? url : baseUrl + url);
    }

    public static String formBody(Map<String, ?> form) {
        StringJoiner body = new StringJoiner("&");
        for (Map.Entry<String, ?> entry : form.entrySet()) {
            Object value = entry.getValue();
            List<?> values = value instanceof List<?> list ? list : List.of(value);
            for (Object one : values) {
                body.add(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(String.valueOf(one), StandardCharsets.UTF_8));
            }
        }
        return body.toString();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The query parameters of a URL, decoded (first value of each). */
    public static Map<String, String> query(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.putIfAbsent(name, value);
        }
        return parameters;
    }
}
