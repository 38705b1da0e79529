package org.caregate.server.personas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.caregate.server.testing.SmartTokens;
import org.caregate.smart.authserver.Browser;
import org.caregate.smart.authserver.Pkce;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.caregate.smart.authserver.user.UserStatus;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Dr. Thomas Becker ({@code dr.becker}), whose access was terminated 60 days before loading, cannot sign in at all;
 * and a practitioner terminated while holding a token is refused on the very next request (a throwaway account of
 * Dr. Okafor's practitioner record, so that no seed persona is disturbed).
 */
class TerminatedPractitionerTest extends PersonaTest {

    @Autowired
    private UserAccountService accounts;

    @Test
    void loginWhenAccountTerminatedThenRefusedAndNoApprovalPage() {
        Browser browser = new Browser(BASE_URL);
        Map<String, Object> authorize = new LinkedHashMap<>();
        authorize.put("response_type", "code");
        authorize.put("client_id", SmartTokens.PUBLIC_APP);
        authorize.put("redirect_uri", tokens().redirectUri());
        authorize.put("scope", USER_SCOPES);
        authorize.put("state", UUID.randomUUID().toString());
        authorize.put("aud", FHIR_BASE);
        authorize.put("code_challenge", Pkce.create().challenge());
        authorize.put("code_challenge_method", "S256");
        HttpResponse<String> toLogin = browser.get(BASE_URL + "/auth/authorize?" + Browser.formBody(authorize));
        HttpResponse<String> loginPage = browser.get(Browser.location(toLogin));

        HttpResponse<String> afterLogin =
                browser.follow(browser.login(loginPage, "dr.becker", "dr.becker-dev-password"));

        assertThat(afterLogin.uri().getPath()).isEqualTo("/auth/login");
        assertThat(afterLogin.body()).doesNotContain("name=\"scope\"");
        assertThat(accounts.find("dr.becker").orElseThrow().status()).isEqualTo(UserStatus.TERMINATED);
    }

    @Test
    void readWhenAccountTerminatedAfterTheTokenWasIssuedThen401OnTheNextRequest() throws Exception {
        String username = "persona.terminated." + UUID.randomUUID().toString().substring(0, 8);
        accounts.createOrUpdate(
                username,
                username + "-dev-password",
                "Terminated Persona",
                "Practitioner/prac-north-gp",
                UserKind.PRACTITIONER,
                "org-clinic-north",
                Set.of("clinician"),
                UserStatus.ACTIVE);
        String token = tokens().userToken(username, USER_SCOPES, null);
        IGenericClient client = fhirClient(token);
        assertThat(client.read()
                        .resource(Patient.class)
                        .withId("pat-adult-alice")
                        .execute()
                        .getIdElement()
                        .getIdPart())
                .isEqualTo("pat-adult-alice");

        accounts.terminate(username);

        assertThatThrownBy(() -> client.read()
                        .resource(Patient.class)
                        .withId("pat-adult-alice")
                        .execute())
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> client.search()
                        .byUrl("Observation?patient=pat-adult-alice")
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(AuthenticationException.class);
        HttpResponse<String> raw = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(FHIR_BASE + "/Patient/pat-adult-alice"))
                                .header("Authorization", "Bearer " + token)
                                .header("Accept", "application/fhir+json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(401);
        assertThat(raw.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(challenge -> assertThat(challenge).contains("invalid_token"));
        assertThat(raw.body()).contains("terminated").doesNotContain("Nguyen");
    }
}
