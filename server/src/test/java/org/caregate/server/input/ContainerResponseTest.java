package org.caregate.server.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the servlet container and Spring answer themselves, outside HAPI: under {@code /fhir} an OperationOutcome
 * with a reason (it was Tomcat's HTML page, Spring Boot's JSON or an empty body), OAuth errors at the token
 * endpoint; security headers and cookie flags on the pages; and addresses that never come from the {@code Host}
 * header.
 */
class ContainerResponseTest extends FullStackTest {

    private static String token;

    private final RawHttp http = new RawHttp(PORT);

    @BeforeEach
    void practitionerToken() {
        if (token == null) {
            token = tokens().userToken("dr.okafor", "openid fhirUser user/*.cruds", null);
        }
    }

    private OperationOutcome assertOperationOutcome(RawHttp.Response response, int status, String reason) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/fhir+json");
        OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(reason);
        return outcome;
    }

    @Test
    void unknownHttpMethodGetsAnOperationOutcome() {
        assertOperationOutcome(
                http.send("FOO /fhir/Patient HTTP/1.1\r\nAccept: application/fhir+json"), 400, "HTTP method \"FOO\"");
    }

    @Test
    void encodedSlashInThePathGetsAnOperationOutcome() {
        assertOperationOutcome(http.send("GET /fhir/Patient%2Fpat-adult-alice HTTP/1.1"), 400, "encoded '/' (%2F)");
    }

    @Test
    void semicolonInThePathGetsAnOperationOutcome() {
        assertOperationOutcome(http.send("GET /fhir/Patient;x=1/pat-adult-alice HTTP/1.1"), 400, "\";\"");
    }

    @Test
    void dotDotInThePathGetsAnOperationOutcome() {
        assertOperationOutcome(http.send("GET /fhir/../fhir/Patient/pat-adult-alice HTTP/1.1"), 400, "malformed");
    }

    @Test
    void unencodedCharactersInTheQueryReachTheFhirServer() {
        RawHttp.Response response = http.send("GET /fhir/Patient?name=<script>{\"x\"} HTTP/1.1\r\n"
                + "Authorization: Bearer " + token + "\r\nAccept: application/fhir+json");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(fhirContext
                        .newJsonParser()
                        .parseResource(Bundle.class, response.body())
                        .getEntry())
                .isEmpty();
    }

    @Test
    void nineKilobyteUrlGetsAnOperationOutcomeNamingTheLimit() {
        assertOperationOutcome(
                http.send("GET /fhir/Patient?name=" + "a".repeat(9_000) + " HTTP/1.1\r\n" + "Authorization: Bearer "
                        + token),
                400,
                "caregate.fhir.limits.max-parameter-length");
    }

    @Test
    void headersOverTheLimitGetAnOperationOutcome() {
        assertOperationOutcome(
                http.send("GET /fhir/Patient HTTP/1.1\r\nX-Padding: " + "a".repeat(40_000)),
                400,
                "over the size limit");
    }

    @Test
    void requestLineOverTheLimitGetsAPlainReason() {
        RawHttp.Response response = http.send("GET /fhir/Patient?name=" + "a".repeat(40_000) + " HTTP/1.1");

        // Tomcat cannot read a path out of it, so nothing tells which API it was meant for
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("text/plain");
        assertThat(response.body()).contains("over the size limit").doesNotContain("<html");
    }

    @Test
    void seventeenKilobyteTokenGetsA401WithWwwAuthenticate() {
        RawHttp.Response response =
                http.send("GET /fhir/Patient HTTP/1.1\r\nAuthorization: Bearer " + "a".repeat(17_000));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(response.header("Content-Type")).startsWith("application/fhir+json");
    }

    @Test
    void tokenEndpointAnswersAContainerRefusalAsAnOAuthError() {
        RawHttp.Response response = http.send(
                "POST /auth/token;x=1 HTTP/1.1\r\n" + "Content-Type: application/x-www-form-urlencoded",
                "grant_type=client_credentials".getBytes(StandardCharsets.US_ASCII));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.body()).contains("\"error\":\"invalid_request\"").contains("error_description");
    }

    @Test
    void bundleLinksAndLocationNameThisServerWhateverTheHostHeader() {
        RawHttp.Response search = http.send("GET /fhir/Observation?patient=pat-adult-alice&_count=1 HTTP/1.1\r\n"
                + "Host: evil.example\r\nAuthorization: Bearer " + token + "\r\nAccept: application/fhir+json");

        assertThat(search.status()).as(search.body()).isEqualTo(200);
        Bundle bundle = fhirContext.newJsonParser().parseResource(Bundle.class, search.body());
        assertThat(bundle.getLink())
                .isNotEmpty()
                .allSatisfy(link -> assertThat(link.getUrl()).startsWith(FHIR_BASE));
        assertThat(bundle.getEntry())
                .allSatisfy(entry -> assertThat(entry.getFullUrl()).startsWith(FHIR_BASE));
        assertThat(search.body()).doesNotContain("evil.example");
    }

    @Test
    void portalRedirectNamesThisServerWhateverTheHostHeader() {
        RawHttp.Response response = http.send("GET /portal/ HTTP/1.1\r\nHost: evil.example");

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).isEqualTo(BASE_URL + "/auth/login");
    }

    @Test
    void loginPageCarriesSecurityHeadersAndASameSiteSessionCookie() {
        RawHttp.Response page = http.send("GET /auth/login HTTP/1.1\r\nAccept: text/html");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy"))
                .contains("default-src 'none'")
                .contains("frame-ancestors 'none'");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Lax");
    }

    @Test
    void fhirResponsesCarrySecurityHeaders() {
        RawHttp.Response metadata = http.send("GET /fhir/metadata HTTP/1.1\r\nAccept: application/fhir+json");

        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(metadata.header("Content-Security-Policy")).contains("default-src 'none'");
    }
}
