package org.caregate.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.caregate.server.CareGateApplication;
import org.caregate.server.bulk.BulkExportClient;
import org.caregate.server.testing.FullStackTest;
import org.caregate.server.testing.SmartTokens;
import org.caregate.smart.authserver.Browser;
import org.caregate.smart.authserver.Pkce;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two CareGate nodes on one PostgreSQL behind a load balancer without sticky sessions: node A is the shared test
 * application, node B a second one started on A's database (as an external database, the way a second replica
 * is deployed), both with the same public address. Each step of a user's flow goes to whichever node, and the
 * browser's session cookie works on both (sessions are in the database).
 */
class TwoNodesTest extends FullStackTest {

    private static final Pattern STATE_FIELD = Pattern.compile("name=\"state\"\\s+value=\"([^\"]+)\"");
    private static final Pattern SCOPE_BOX = Pattern.compile("name=\"scope\"[^>]*value=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ConfigurableApplicationContext nodeB;
    private static String baseB;

    @Autowired
    private EmbeddedPostgres postgres;

    @Autowired
    private DaoRegistry daoRegistry;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startNodeB() throws IOException {
        if (nodeB == null) {
            int port = freePort();
            baseB = "http://localhost:" + port;
            nodeB = new SpringApplicationBuilder(CareGateApplication.class)
                    .run(
                            "--server.port=" + port,
                            "--caregate.public-base-url=" + BASE_URL,
                            "--caregate.data-dir=target/two-nodes-b",
                            "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "caregate"),
                            "--spring.datasource.username=postgres");
        }
    }

    @AfterAll
    static void stopNodeB() {
        if (nodeB != null) {
            nodeB.close();
            nodeB = null;
        }
    }

    @Test
    void launchWhenEachStepOnAnotherNodeThenTokenWorksOnBothAndRevocationReachesBoth() throws Exception {
        Browser browser = new Browser(BASE_URL);
        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();
        String redirectUri = BASE_URL + "/portal/demo-app/callback";
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", SmartTokens.PUBLIC_APP);
        parameters.put("redirect_uri", redirectUri);
        parameters.put("scope", "openid fhirUser launch/patient patient/*.rs");
        parameters.put("state", state);
        parameters.put("aud", FHIR_BASE);
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");

        // authorize on A, login form from B, credentials posted to A
        HttpResponse<String> toLogin = browser.get(BASE_URL + "/auth/authorize?" + Browser.formBody(parameters));
        HttpResponse<String> loginPage = browser.get(onB(Browser.location(toLogin)));
        assertThat(loginPage.statusCode()).isEqualTo(200);
        HttpResponse<String> afterLogin = browser.post(
                BASE_URL + "/auth/login",
                Map.of("username", "alice", "password", "alice-dev-password", "_csrf", Browser.csrf(loginPage)));
        assertThat(Browser.location(afterLogin))
                .as("back to the authorization request")
                .contains("/auth/authorize");

        // the authorization request resumed on B: B knows the login made on A
        HttpResponse<String> page = browser.get(onB(Browser.location(afterLogin)));
        for (int hops = 0; hops < 5 && Browser.isRedirect(page); hops++) {
            page = browser.get(onB(Browser.location(page)));
        }
        if (URI.create(page.uri().toString()).getPath().equals("/auth/picker")) {
            page = browser.post(
                    BASE_URL + "/auth/picker",
                    Map.of(
                            "state",
                            field(STATE_FIELD, page),
                            "patient",
                            "pat-adult-alice",
                            "_csrf",
                            Browser.csrf(page)));
            page = browser.get(onB(Browser.location(page)));
        }
        assertThat(page.uri().getPath())
                .as("approval page on B: %s", page.body())
                .isEqualTo("/auth/consent");

        // approved on A
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("client_id", SmartTokens.PUBLIC_APP);
        approval.put("state", field(STATE_FIELD, page));
        approval.put(
                "scope",
                SCOPE_BOX.matcher(page.body()).results().map(m -> m.group(1)).toList());
        String callback = Browser.location(browser.post(BASE_URL + "/auth/authorize", approval));
        Map<String, String> query = Browser.query(callback);
        assertThat(query).as("redirect to the app: %s", callback).containsKey("code");

        // code exchanged on B
        HttpResponse<String> tokenResponse = http.send(
                HttpRequest.newBuilder(URI.create(baseB + "/auth/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(Browser.formBody(Map.of(
                                "grant_type",
                                "authorization_code",
                                "code",
                                query.get("code"),
                                "redirect_uri",
                                redirectUri,
                                "client_id",
                                SmartTokens.PUBLIC_APP,
                                "code_verifier",
                                pkce.verifier()))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        String token = (String) JSON.readValue(tokenResponse.body(), Map.class).get("access_token");

        // the token of B is good on A and B
        assertThat(readAlice(BASE_URL, token)).isEqualTo(200);
        assertThat(readAlice(baseB, token)).isEqualTo(200);

        // revoked on A: refused on B within caregate.smart.revocation-cache-refresh (5 s)
        HttpResponse<String> revoked = http.send(
                HttpRequest.newBuilder(URI.create(BASE_URL + "/auth/revoke"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                Browser.formBody(Map.of("token", token, "client_id", SmartTokens.PUBLIC_APP))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(readAlice(BASE_URL, token)).isEqualTo(401);
        int onB = 200;
        long deadline = System.nanoTime() + 15_000_000_000L; // the documented 5 s, with room for a loaded machine
        while (onB != 401 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            onB = readAlice(baseB, token);
        }
        assertThat(onB).as("B refuses the token revoked on A").isEqualTo(401);
    }

    @Test
    void backendTokenWhenIssuedByANodeThenAcceptedByTheOther() throws Exception {
        String token = tokens().backendToken("system/Patient.rs");

        HttpResponse<String> search = http.send(
                HttpRequest.newBuilder(URI.create(baseB + "/fhir/Patient?_count=1"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(search.body())
                .contains("\"resourceType\":\"Bundle\"")
                .contains(FHIR_BASE + "/Patient/")
                .doesNotContain(baseB);
    }

    @Test
    void probesWhenTwoNodesThenBothReady() throws Exception {
        for (String base : new String[] {BASE_URL, baseB}) {
            HttpResponse<String> readiness = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).as(base).isEqualTo(200);
        }
    }

    private int readAlice(String base, String token) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/fhir/Patient/pat-adult-alice"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void careRelationshipWrittenOnOneNodeThenTheOthersNextRequestFollowsIt() throws Exception {
        String clinic = tokens().backendToken("system/*.rs");
        String frank = "/fhir/Patient/pat-adult-frank";
        assertThat(read(baseB + frank, clinic))
                .as("Frank has no relationship with the clinic")
                .isEqualTo(403);
        CareTeam team = new CareTeam();
        team.setId("careteam-two-nodes-frank-north");
        team.setStatus(CareTeam.CareTeamStatus.ACTIVE);
        team.setSubject(new Reference("Patient/pat-adult-frank"));
        team.addParticipant().setMember(new Reference("Organization/org-clinic-north"));
        var teams = daoRegistry.getResourceDao(CareTeam.class);

        teams.update(team, new SystemRequestDetails()); // written through node A
        int whileRelated = read(baseB + frank, clinic);
        teams.delete(new IdType("CareTeam", team.getIdPart()), new SystemRequestDetails());
        int afterwards = read(baseB + frank, clinic);

        assertThat(whileRelated)
                .as("node B's next request after the relationship was created on A")
                .isEqualTo(200);
        assertThat(afterwards)
                .as("node B's next request after it was ended on A")
                .isEqualTo(403);
    }

    private int read(String url, String token) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void exportWhenKickedOffOnOneNodeThenPolledAndDownloadedOnTheOtherAndSameOnBoth() {
        BulkExportClient clinic = new BulkExportClient(tokens().backendToken("system/*.rs"));
        String statusOnA = clinic.kickOff(FHIR_BASE + "/Group/org-clinic-north-patients/$export?_type=Patient");
        String statusOnB = clinic.kickOff(onB(FHIR_BASE) + "/Group/org-clinic-north-patients/$export?_type=Patient");

        // whichever node runs each export, the other serves its status and files
        JsonNode fromA = clinic.awaitManifest(onB(statusOnA));
        JsonNode fromB = clinic.awaitManifest(statusOnB);

        List<String> patientsViaB = new ArrayList<>();
        for (JsonNode output : fromA.get("output")) {
            HttpResponse<String> file = clinic.get(onB(output.get("url").asText()), Map.of());
            assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
            file.body()
                    .lines()
                    .map(line -> JsonNodes.read(line))
                    .forEach(resource ->
                            patientsViaB.add("Patient/" + resource.get("id").asText()));
        }
        assertThat(patientsViaB)
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(BulkExportClient.ids(clinic.download(fromB, "Patient")));
    }

    /** JSON lines of an NDJSON file. */
    private static final class JsonNodes {
        static JsonNode read(String json) {
            try {
                return JSON.readTree(json);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The same URL on node B (the public address is A's, as behind a load balancer it would be the balancer's). */
    private static String onB(String url) {
        return url.startsWith(BASE_URL) ? baseB + url.substring(BASE_URL.length()) : url;
    }

    private static String field(Pattern pattern, HttpResponse<String> page) {
        Matcher matcher = pattern.matcher(page.body());
        assertThat(matcher.find()).as("field on %s", page.uri()).isTrue();
        return matcher.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
