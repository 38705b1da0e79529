package org.caregate.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.caregate.server.testing.FullStackTest;
import org.junit.jupiter.api.Test;

/** JSON Patch is an update: allowed inside a permitted compartment with a 'u' scope, refused elsewhere. */
class PatchTest extends FullStackTest {

    private static String token;

    private HttpResponse<String> patch(String path, String body) throws Exception {
        if (token == null) {
            token = tokens().userToken("dr.okafor", "openid fhirUser user/*.cruds", null);
        }
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(FHIR_BASE + path))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json-patch+json")
                                .header("Accept", "application/fhir+json")
                                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void patchWhenPatientHasCareRelationshipThenApplied() throws Exception {
        HttpResponse<String> response = patch(
                "/Observation/obs-alice-weight", "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"amended\"");
    }

    @Test
    void patchWhenPatientOptedOutThenForbiddenAndUnchanged() throws Exception {
        HttpResponse<String> response =
                patch("/Patient/pat-adult-carol", "[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"other\"}]");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("\"gender\":\"other\"");
    }
}
