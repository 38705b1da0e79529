package org.caregate.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * A search sent as an entry of a batch passes exactly the checks of the same search sent alone: the release hold,
 * granular scopes and the patients the token reaches; and an entry that cannot be served gets a clear 400, not a
 * 500.
 */
class BatchSearchEntriesTest extends FullStackTest {

    private static final String LABS_ONLY = "openid fhirUser launch/patient patient/Patient.rs "
            + "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory";

    @Test
    void batchSearchWhenPatientThenHeldResultsAreLeftOutAsInTheSameSearchAlone() {
        Bundle response = batch(
                tokens().userToken("alice", "openid fhirUser launch/patient patient/*.rs", null),
                "Observation?_id=obs-alice-hgb-followup,obs-alice-hgb&_total=accurate");

        Bundle entry = (Bundle) response.getEntryFirstRep().getResource();
        assertThat(ids(entry)).containsExactly("obs-alice-hgb");
        assertThat(entry.getTotal()).isEqualTo(1);
    }

    @Test
    void batchSearchWhenGranularScopeThenOnlyTheGrantedCategories() {
        Bundle response = batch(
                tokens().userToken("alice", LABS_ONLY, null), "Observation?patient=pat-adult-alice&_total=accurate");

        Bundle entry = (Bundle) response.getEntryFirstRep().getResource();
        assertThat(ids(entry)).containsExactlyInAnyOrder("obs-alice-hgb", "obs-alice-ferritin");
    }

    @Test
    void batchWhenAnEntryFetchesAnotherSearchsPageThenBadRequestWithAReason() throws Exception {
        String token = tokens().userToken("alice", "openid fhirUser launch/patient patient/*.rs", null);
        HttpResponse<String> response = post(token, bundleOf("?_getpages=0b7e5c5e-0000-0000-0000-000000000000"));

        assertThat(response.statusCode()).isEqualTo(400);
        OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("next");
    }

    private Bundle batch(String token, String url) {
        try {
            HttpResponse<String> response = post(token, bundleOf(url));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return fhirContext.newJsonParser().parseResource(Bundle.class, response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bundleOf(String url) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\""
                + url + "\"}}]}";
    }

    private static HttpResponse<String> post(String token, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(FHIR_BASE))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .map(Resource::getIdElement)
                .map(id -> id.getIdPart())
                .toList();
    }
}
