package org.caregate.server.smart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.caregate.server.testing.FullStackTest;
import org.caregate.server.testing.SmartTokens;
import org.caregate.smart.authserver.Browser;
import org.junit.jupiter.api.Test;

/**
 * RFC 6749 section 4.1.2: when an authorization code is used twice, the server "SHOULD revoke (when possible) all
 * tokens previously issued based on that authorization code". Whoever replays a code may have stolen it; the token
 * of its first use must stop working at the FHIR endpoint, not only at the authorization server.
 */
class AuthorizationCodeReplayTest extends FullStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void codeWhenReplayedThenTheTokenOfItsFirstUseGets401AtFhir() throws Exception {
        SmartTokens.IssuedCode issued = tokens().authorizationCode(
                        "alice",
                        "launch/patient patient/*.rs offline_access",
                        "pat-adult-alice",
                        tokens().redirectUri());
        Map<String, String> exchange = Map.of(
                "grant_type",
                "authorization_code",
                "code",
                issued.code(),
                "redirect_uri",
                issued.redirectUri(),
                "client_id",
                SmartTokens.PUBLIC_APP,
                "code_verifier",
                issued.pkce().verifier());
        HttpResponse<String> first = token(exchange);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode firstTokens = JSON.readTree(first.body());
        String accessToken = firstTokens.path("access_token").asText();
        assertThat(readAlice(accessToken).statusCode()).isEqualTo(200);

        HttpResponse<String> replay = token(exchange);

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(400);
        assertThat(JSON.readTree(replay.body()).path("error").asText()).isEqualTo("invalid_grant");
        HttpResponse<String> afterReplay = readAlice(accessToken);
        assertThat(afterReplay.statusCode()).as(afterReplay.body()).isEqualTo(401);
        assertThat(afterReplay.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(challenge -> assertThat(challenge).contains("invalid_token"));
        // the refresh token of the first use is dead too
        HttpResponse<String> refreshed = token(Map.of(
                "grant_type",
                "refresh_token",
                "client_id",
                SmartTokens.PUBLIC_APP,
                "refresh_token",
                firstTokens.path("refresh_token").asText()));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(400);
        assertThat(JSON.readTree(refreshed.body()).path("error").asText()).isEqualTo("invalid_grant");
    }

    private HttpResponse<String> readAlice(String accessToken) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(FHIR_BASE + "/Patient/pat-adult-alice"))
                        .header("Authorization", "Bearer " + accessToken)
                        .header("Accept", "application/fhir+json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> token(Map<String, String> form) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(BASE_URL + "/auth/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Browser.formBody(form)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
