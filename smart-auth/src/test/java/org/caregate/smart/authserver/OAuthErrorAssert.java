package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Map;

/** The one place that checks OAuth error responses (RFC 6749, sections 4.1.2.1 and 5.2). */
public final class OAuthErrorAssert {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OAuthErrorAssert() {}

    /** A token-endpoint style error: this HTTP status and a JSON body whose {@code error} is {@code error}. */
    public static Map<String, Object> assertOAuthError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode())
                .as("status of %s, body %s", response.uri(), response.body())
                .isEqualTo(status);
        Map<String, Object> body = json(response);
        assertThat(body.get("error")).as("OAuth error of %s", response.body()).isEqualTo(error);
        assertThat(body).doesNotContainKeys("access_token", "refresh_token");
        return body;
    }

    /**
     * An authorization-endpoint error sent back to the client: a redirect to {@code redirectUri} with {@code error}
     * and the client's {@code state}, and never a {@code code}.
     */
    public static Map<String, String> assertRedirectError(
            HttpResponse<String> response, String redirectUri, String error, String state) {
        assertThat(Browser.isRedirect(response))
                .as("redirect expected, got %s: %s", response.statusCode(), response.body())
                .isTrue();
        String location = Browser.location(response);
        assertThat(location).startsWith(redirectUri);
        Map<String, String> query = Browser.query(location);
        assertThat(query).doesNotContainKey("code");
        assertThat(query.get("error")).as("error in %s", location).isEqualTo(error);
        assertThat(query.get("state")).isEqualTo(state);
        return query;
    }

    /** An authorization-endpoint error that must not be sent to the (untrusted) redirect URI: plain 400, no code. */
    public static void assertNoRedirectError(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("body %s", response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    public static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return JSON.readValue(response.body(), new TypeReference<>() {});
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }
}
