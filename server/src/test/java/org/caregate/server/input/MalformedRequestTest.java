package org.caregate.server.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The malformed requests of issue 14 (each answered 500, or was stored, before): every one is a 400 with an
 * OperationOutcome that says what is wrong, without SQL, PostgreSQL's messages or Java class names, stores nothing,
 * and the server keeps serving. Sent over a plain socket, as an attacker would, by a practitioner who may write.
 */
class MalformedRequestTest extends FullStackTest {

    private static final String OBSERVATION = "{\"resourceType\":\"Observation\",\"status\":\"final\","
            + "\"code\":{\"text\":\"glucose\"},\"subject\":{\"reference\":\"Patient/pat-adult-alice\"}";

    /** A community practitioner allowed to write (user/*.cruds) to alice's record: refusals are the input's. */
    private static String token;

    private final RawHttp http = new RawHttp(PORT);

    @Autowired
    private JdbcTemplate jdbc;

    private FhirStore before;

    @BeforeEach
    void practitionerToken() {
        if (token == null) {
            token = tokens().userToken("dr.okafor", "openid fhirUser user/*.cruds", null);
        }
        before = FhirStore.of(jdbc);
    }

    @AfterEach
    void nothingWasStoredAndTheServerStillServes() {
        assertThat(FhirStore.of(jdbc)).isEqualTo(before);
        assertThat(get("/fhir/Patient/pat-adult-alice", "").status()).isEqualTo(200);
    }

    private RawHttp.Response get(String path, String headers) {
        return http.send("GET " + path + " HTTP/1.1\r\nAuthorization: Bearer " + token
                + "\r\nAccept: application/fhir+json" + headers);
    }

    private RawHttp.Response send(String method, String path, String headers, byte[] body) {
        return http.send(
                method + " " + path + " HTTP/1.1\r\nAuthorization: Bearer " + token
                        + "\r\nAccept: application/fhir+json" + headers,
                body);
    }

    private RawHttp.Response postObservation(String json) {
        return send("POST", "/fhir/Observation", "\r\nContent-Type: application/fhir+json", utf8(json));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The response is {@code status} with an OperationOutcome saying {@code reason}, and nothing internal. */
    private OperationOutcome assertRefused(RawHttp.Response response, int status, String reason) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/fhir+json");
        OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(reason);
        assertNoInternals(response.body());
        return outcome;
    }

    static void assertNoInternals(String body) {
        assertThat(body)
                .doesNotContainIgnoringCase("HFJ_")
                .doesNotContain("ERROR: ")
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("org.springframework")
                .doesNotContain("insert into")
                .doesNotContain("HAPI-0389");
    }

    @Test
    void garbageIfModifiedSinceIsRefused() {
        assertRefused(
                get("/fhir/Patient/pat-adult-alice", "\r\nIf-Modified-Since: garbage"),
                400,
                "If-Modified-Since must be an HTTP date");
    }

    @Test
    void garbageIfMatchIsRefused() {
        RawHttp.Response response = send(
                "PUT",
                "/fhir/Patient/pat-adult-alice",
                "\r\nContent-Type: application/fhir+json\r\nIf-Match: garbage",
                utf8("{\"resourceType\":\"Patient\",\"id\":\"pat-adult-alice\"}"));

        assertRefused(response, 400, "If-Match must name a version");
    }

    @Test
    void malformedPercentEncodingIsRefused() {
        assertRefused(get("/fhir/Patient?name=%zz", ""), 400, "malformed percent-encoding");
    }

    @Test
    void garbageSinceInTypeHistoryIsRefused() {
        // found by MalformedRequestFuzzTest with seed 99
        assertRefused(get("/fhir/Patient/_history?_since=99999999999999999999", ""), 400, "Invalid date/time format");
    }

    @Test
    void negativeOffsetIsRefused() {
        assertRefused(get("/fhir/Patient?_offset=-5", ""), 400, "_offset must be a whole number");
    }

    @Test
    void negativeCountIsRefused() {
        assertRefused(get("/fhir/Patient?_count=-5", ""), 400, "_count must be a whole number");
    }

    @Test
    void nulByteInASearchValueIsRefused() {
        assertRefused(get("/fhir/Patient?name=a%00b", ""), 400, "control character U+0000");
    }

    @Test
    void quantityBeyondTheNumberRangeIsRefused() {
        assertRefused(get("/fhir/Observation?value-quantity=9e999", ""), 400, "outside the range");
    }

    @Test
    void decimalBeyondTheNumberRangeIsRefused() {
        assertRefused(
                postObservation(OBSERVATION + ",\"valueQuantity\":{\"value\":1e400}}"),
                400,
                "outside the range this server can store and search");
    }

    @Test
    void decimalBeyondTheNumberRangeInXmlIsRefused() {
        RawHttp.Response response = send(
                "POST",
                "/fhir/Observation",
                "\r\nContent-Type: application/fhir+xml",
                utf8("<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/><code><text value=\"x\"/>"
                        + "</code><subject><reference value=\"Patient/pat-adult-alice\"/></subject><valueQuantity>"
                        + "<value value=\"1e400\"/></valueQuantity></Observation>"));

        assertRefused(response, 400, "outside the range");
    }

    @Test
    void loneSurrogateInJsonIsRefused() {
        assertRefused(
                postObservation(OBSERVATION + ",\"valueString\":\"a\\ud800b\"}"),
                400,
                "half of a UTF-16 surrogate pair");
    }

    @Test
    void nulCharacterInJsonIsRefused() {
        assertRefused(
                postObservation(OBSERVATION + ",\"valueString\":\"a\\u0000b\"}"), 400, "control character U+0000");
    }

    @Test
    void duplicateJsonKeysAreRefused() {
        assertRefused(postObservation(OBSERVATION + ",\"status\":\"preliminary\"}"), 400, "Duplicate field 'status'");
    }

    @Test
    void wrongJsonTypeIsRefused() {
        assertRefused(
                postObservation(OBSERVATION + ",\"valueInteger\":\"5\"}"),
                400,
                "Observation.valueInteger must be a JSON number, not a string");
    }

    @Test
    void unknownElementIsRefused() {
        assertRefused(postObservation(OBSERVATION + ",\"colour\":\"blue\"}"), 400, "colour");
    }

    @Test
    void xmlWithoutTheFhirNamespaceIsRefused() {
        RawHttp.Response response = send(
                "POST",
                "/fhir/Observation",
                "\r\nContent-Type: application/fhir+xml",
                utf8("<Observation><status value=\"final\"/><code><text value=\"x\"/></code></Observation>"));

        assertRefused(response, 400, "not in the FHIR namespace");
    }

    @Test
    void xmlNestedFiveHundredDeepIsRefused() {
        String deep = "<extension url=\"http://example.org/x\">".repeat(500) + "</extension>".repeat(500);
        RawHttp.Response response = send(
                "POST",
                "/fhir/Observation",
                "\r\nContent-Type: application/fhir+xml",
                utf8("<Observation xmlns=\"http://hl7.org/fhir\">" + deep + "<status value=\"final\"/></Observation>"));

        assertRefused(response, 400, "nests elements more than 100 deep");
    }

    @Test
    void jsonNestedSixHundredDeepIsRefused() {
        String deep = "[{\"url\":\"http://example.org/x\",\"extension\":".repeat(600) + "[]" + "}]".repeat(600);

        assertRefused(
                postObservation(OBSERVATION + ",\"extension\":" + deep + "}"),
                400,
                "nests objects and arrays more than 100 deep");
    }

    @Test
    void xmlWithADoctypeIsRefused() {
        RawHttp.Response response = send(
                "POST",
                "/fhir/Observation",
                "\r\nContent-Type: application/fhir+xml",
                utf8("<?xml version=\"1.0\"?><!DOCTYPE o [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"&x;\"/></Observation>"));

        assertRefused(response, 400, "DOCTYPE");
    }

    @Test
    void threeHundredRepeatedParametersAreRefusedBeforeTheDatabase() {
        StringBuilder query = new StringBuilder("/fhir/Observation?_count=1");
        for (int i = 0; i < 300; i++) {
            query.append("&code=c").append(i);
        }

        assertRefused(get(query.toString(), ""), 400, "at most 40 (caregate.fhir.limits.max-parameters)");
    }

    @Test
    void tooManyValuesOfOneParameterAreRefused() {
        StringBuilder codes = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            codes.append(i == 0 ? "" : ",").append("c").append(i);
        }

        assertRefused(get("/fhir/Observation?code=" + codes, ""), 400, "lists 150 values");
    }

    @Test
    void gzipBombIsRefusedAfterDecoding() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(utf8(OBSERVATION + ",\"valueString\":\""));
            byte[] mebibyte = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 60; i++) {
                gzip.write(mebibyte);
            }
            gzip.write(utf8("\"}"));
        }
        assertThat(compressed.size()).isLessThan(100_000);

        RawHttp.Response response = send(
                "POST",
                "/fhir/Observation",
                "\r\nContent-Type: application/fhir+json\r\nContent-Encoding: gzip",
                compressed.toByteArray());

        assertRefused(response, 413, "after decoding its Content-Encoding");
    }

    @Test
    void smallGzipBodyIsAccepted() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(utf8(OBSERVATION + ",\"valueString\":\"a\\u0000\"}"));
        }

        RawHttp.Response response = send(
                "POST",
                "/fhir/Observation",
                "\r\nContent-Type: application/fhir+json\r\nContent-Encoding: gzip",
                compressed.toByteArray());

        // decoded and then checked like any body: the NUL is refused, which shows the body reached the checks
        assertRefused(response, 400, "control character U+0000");
    }

    @Test
    void unsupportedContentEncodingIsRefused() {
        RawHttp.Response response = send(
                "POST",
                "/fhir/Observation",
                "\r\nContent-Type: application/fhir+json\r\nContent-Encoding: br",
                utf8("not brotli"));

        assertRefused(response, 415, "Content-Encoding 'br' is not supported");
    }

    @Test
    void batchEntriesWithBadQueriesFailAloneWithA400() {
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_offset=-5\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation?value-quantity=9e999\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient?name=a%00b\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/pat-adult-alice\"}}]}";

        RawHttp.Response response = send("POST", "/fhir", "\r\nContent-Type: application/fhir+json", utf8(batch));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertNoInternals(response.body());
        Bundle result = fhirContext.newJsonParser().parseResource(Bundle.class, response.body());
        assertThat(result.getEntry())
                .extracting(entry -> entry.getResponse().getStatus().substring(0, 3))
                .containsExactly("400", "400", "400", "200");
    }

    @Test
    void batchWithAnUndecodableEntryUrlIsRefusedNamingTheEntry() {
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/pat-adult-alice\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient?name=%zz\"}}]}";

        RawHttp.Response response = send("POST", "/fhir", "\r\nContent-Type: application/fhir+json", utf8(batch));

        assertRefused(response, 400, "Entry 2: the request URL has a malformed percent-encoding");
    }

    @Test
    void transactionWithABadEntryIsRefusedAsAWhole() {
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":" + OBSERVATION + "},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient?name=a%00b\"}}]}";

        RawHttp.Response response = send("POST", "/fhir", "\r\nContent-Type: application/fhir+json", utf8(transaction));

        assertRefused(response, 400, "Entry 2");
    }

    @Test
    void conditionalCreateWithAMalformedIfNoneExistIsRefused() {
        RawHttp.Response response = send(
                "POST",
                "/fhir/Observation",
                "\r\nContent-Type: application/fhir+json\r\nIf-None-Exist: identifier=%zz",
                utf8(OBSERVATION + "}"));

        assertRefused(response, 400, "If-None-Exist has a malformed percent-encoding");
    }
}
