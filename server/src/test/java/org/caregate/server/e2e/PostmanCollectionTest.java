package org.caregate.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.caregate.server.testing.FullStackTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Runs {@code postman/CareGate.postman_collection.json} as it is, with newman, against the server the tests start:
 * the tokens come from the real flows (standalone launches through the login and approval pages, a backend services
 * client assertion signed with the generated key by {@code backend-assertion.js}), passed as the environment
 * variables a tester fills in the Postman app. Every assertion of the collection must pass.
 */
class PostmanCollectionTest extends FullStackTest {

    /** Postman's OAuth 2.0 callback, registered for the example public app. */
    private static final String POSTMAN_CALLBACK = "https://oauth.pstmn.io/v1/callback";

    private static final String PATIENT_APP_SCOPE = "openid fhirUser launch/patient patient/*.rs";
    private static final String PRACTITIONER_SCOPE = "openid fhirUser user/*.cruds";

    @Value("${caregate.data-dir}")
    private Path dataDir;

    @Test
    void collectionWhenRunWithNewmanThenEveryAssertionPasses() throws Exception {
        NodeScripts.requireNodePackages();
        List<String> assertions = backendClientAssertions();
        Path report = NodeScripts.OUTPUT.resolve("newman/newman.xml");
        Files.deleteIfExists(report);

        List<String> command = new ArrayList<>(List.of(
                "node_modules/.bin/newman",
                "run",
                NodeScripts.REPOSITORY
                        .resolve("postman/CareGate.postman_collection.json")
                        .toString(),
                "-e",
                NodeScripts.REPOSITORY
                        .resolve("postman/CareGate-local.postman_environment.json")
                        .toString(),
                "--env-var",
                "baseUrl=" + BASE_URL,
                "--env-var",
                "aliceToken=" + tokens().userToken("alice", PATIENT_APP_SCOPE, null),
                "--env-var",
                "mariaToken=" + tokens().userToken("maria", PATIENT_APP_SCOPE, "pat-family-4"),
                "--env-var",
                "okaforToken=" + tokens().userToken("dr.okafor", PRACTITIONER_SCOPE, null),
                "--env-var",
                "backendClientAssertion=" + assertions.get(0),
                "--env-var",
                "backendClientAssertionForInvalidScope=" + assertions.get(1),
                "--env-var",
                "authorizationCode="
                        + tokens().authorizationCode("alice", PATIENT_APP_SCOPE, null, POSTMAN_CALLBACK)
                                .code(),
                "--reporters",
                "cli,junit",
                "--reporter-junit-export",
                report.toString(),
                "--color",
                "off",
                "--timeout-request",
                "30000"));
        NodeScripts.Result newman = NodeScripts.run("newman", Duration.ofMinutes(5), command);

        NodeScripts.assertExitedNormally("newman run postman/CareGate.postman_collection.json", newman);
        Map<String, int[]> suites = suites(report);
        int tests = suites.values().stream().mapToInt(counts -> counts[0]).sum();
        int failures = suites.values().stream().mapToInt(counts -> counts[1]).sum();
        assertThat(failures).as("failed assertions, see %s", report).isZero();
        assertThat(tests).as("assertions run").isGreaterThan(150);
        assertThat(suites.keySet())
                .as("requests run")
                .anyMatch(name -> name.startsWith("Discovery / "))
                .anyMatch(name -> name.startsWith("Patient app (alice) / "))
                .anyMatch(name -> name.startsWith("Guardian (maria) / "))
                .anyMatch(name -> name.startsWith("Community practitioner (dr.okafor) / "))
                .anyMatch(name -> name.startsWith("Backend services (community EHR) / "))
                .contains(
                        "Negative cases / Bad PKCE verifier: invalid_grant",
                        "Negative cases / invalid_scope at /auth/token",
                        "Community practitioner (dr.okafor) / Create a referral (ServiceRequest)");
        assertThat(suites.get("Negative cases / Bad PKCE verifier: invalid_grant")[0])
                .as("the bad-PKCE request ran its assertions (it is skipped only without a code)")
                .isEqualTo(3);
    }

    /**
     * What a tester runs by hand (postman/README.md): {@code run-collection.js} gets the tokens itself, over HTTP, and
     * runs newman. A second run of the collection against the same server also shows it can run any number of times.
     */
    @Test
    void runCollectionScriptWhenATesterRunsItAgainstTheServerThenEveryAssertionPasses() throws Exception {
        NodeScripts.requireNodePackages();
        Path report = NodeScripts.OUTPUT.resolve("newman/run-collection.xml");
        Files.deleteIfExists(report);

        NodeScripts.Result run = NodeScripts.node(
                "run-collection",
                Duration.ofMinutes(5),
                "run-collection.js",
                "--base-url",
                BASE_URL,
                "--data-dir",
                dataDir.toAbsolutePath().toString(),
                "--junit",
                report.toString());

        NodeScripts.assertExitedNormally("node run-collection.js", run);
        Map<String, int[]> suites = suites(report);
        assertThat(suites.values().stream().mapToInt(counts -> counts[1]).sum())
                .as("failed assertions")
                .isZero();
        assertThat(suites.values().stream().mapToInt(counts -> counts[0]).sum())
                .as("assertions run")
                .isGreaterThan(150);
    }

    /** Two single-use client assertions of the north clinic's backend client, from the collection's own script. */
    private List<String> backendClientAssertions() {
        NodeScripts.Result result = NodeScripts.node(
                "backend-assertion",
                Duration.ofSeconds(30),
                "backend-assertion.js",
                "--base-url",
                BASE_URL,
                "--count",
                "2",
                "--key",
                dataDir.toAbsolutePath()
                        .resolve("dev-credentials/caregate-backend-north.jwk.json")
                        .toString());
        NodeScripts.assertExitedNormally("backend-assertion.js", result);
        List<String> jwts =
                result.stdout().lines().filter(line -> !line.isBlank()).toList();
        assertThat(jwts).as("signed JWTs").hasSize(2).allMatch(jwt -> jwt.split("\\.").length == 3);
        return jwts;
    }

    /** Newman's JUnit report: per request (testsuite "Folder / Request"), {assertions, failures + errors}. */
    private static Map<String, int[]> suites(Path report) throws Exception {
        assertThat(report).as("newman's JUnit report").exists();
        Document document =
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        NodeList suites = document.getElementsByTagName("testsuite");
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (int i = 0; i < suites.getLength(); i++) {
            Element suite = (Element) suites.item(i);
            int tests = suite.getElementsByTagName("testcase").getLength();
            int failed = suite.getElementsByTagName("failure").getLength()
                    + suite.getElementsByTagName("error").getLength();
            counts.merge(suite.getAttribute("name"), new int[] {tests, failed}, (a, b) ->
                    new int[] {a[0] + b[0], a[1] + b[1]});
        }
        return counts;
    }
}
