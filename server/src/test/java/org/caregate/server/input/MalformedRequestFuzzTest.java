package org.caregate.server.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Thousands of generated malformed requests (fixed seed, so a failure can be replayed) at the FHIR API and the
 * authorization server: broken methods, paths, percent-encodings, parameters, conditional headers, content types and
 * encodings, and bodies (truncated, duplicate keys, wrong types, control characters, huge numbers, deep nesting,
 * XML without namespace or with a DOCTYPE, bad batch entries), with no token, a forged one, a read-only one, and one
 * that may write (only with bodies that are certainly invalid). No answer may be a 5xx, nor a batch entry; every 4xx
 * under {@code /fhir} is an OperationOutcome without internals; and nothing is stored.
 * {@code -Dfuzz.requests=N} changes the number of requests (default 2,000), {@code -Dfuzz.seed=S} the seed.
 */
class MalformedRequestFuzzTest extends FullStackTest {

    private static final String[] TYPES = {
        "Patient",
        "Observation",
        "Encounter",
        "Condition",
        "Coverage",
        "AuditEvent",
        "Binary",
        "Group",
        "Spaceship",
        "patient",
        ""
    };
    private static final String[] IDS = {
        "pat-adult-alice",
        "pat-adult-bob",
        "obs-bob-ldl",
        "pat-family-4",
        "1",
        "%zz",
        "a%00b",
        "..",
        "%2F..%2F",
        "x;y",
        "a".repeat(70),
        "%E2%82%AC",
        "_history",
        "$everything",
        "-"
    };
    private static final String[] PARAMETERS = {
        "name",
        "code",
        "_id",
        "_count",
        "_offset",
        "_sort",
        "_include",
        "_revinclude",
        "date",
        "birthdate",
        "value-quantity",
        "patient",
        "subject",
        "_has:Observation:patient:code",
        "_summary",
        "_elements",
        "_total",
        "_getpages",
        "_getpagesoffset",
        "identifier",
        "_lastUpdated",
        "subject.name",
        "code:text",
        "_id:not",
        "_content",
        "_filter",
        "_format",
        "_pretty",
        "_since",
        "_type",
        "status:missing",
        "component-code-value-quantity",
        "general-practitioner._has:x",
        "%zz",
        "a%00",
        ""
    };
    private static final String[] VALUES = {
        "",
        "%zz",
        "%",
        "%0",
        "a%00b",
        "9e999",
        "-9e999",
        "1e-400",
        "-5",
        "99999999999999999999",
        "ge2020-13-45",
        "2020-02-30",
        "gt",
        "eq",
        "|",
        "|||",
        "http://x|",
        "a,b,c,d",
        ",,,,,",
        "<script>",
        "\"quoted\"",
        "%ED%A0%80",
        "%F0%9F%98%80",
        "%C3%28",
        "Patient/../x",
        "Patient/",
        "true",
        "maybe",
        "*",
        "Observation:subject:Patient",
        "Foo:bar",
        "::",
        "a\\,b",
        "%0D%0ASet-Cookie:x",
        "1.0e+308",
        "0.000000000000000000000000000000001",
        "ap1e300",
        "sa-0",
        "%25zz",
        "x".repeat(2500)
    };
    private static final String[] CONTENT_TYPES = {
        "application/fhir+json",
        "application/fhir+xml",
        "application/json",
        "application/xml",
        "text/plain",
        "application/json-patch+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/fhir+json; charset=nope",
        "garbage",
        ""
    };
    private static final String OBSERVATION = "{\"resourceType\":\"Observation\",\"status\":\"final\","
            + "\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/pat-adult-alice\"}";

    @Autowired
    private JdbcTemplate jdbc;

    /**
     * From a loopback address of its own: the failed token requests among the fuzz get that address throttled (429
     * is an answer like any other here), and the rest of the suite, on 127.0.0.1, must not be.
     */
    private final RawHttp http = fromOwnAddress();

    private static RawHttp fromOwnAddress() {
        try {
            return new RawHttp(PORT, InetAddress.getByName("127.0.0.4"));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void malformedRequestsGetNoServerErrorAndStoreNothing() {
        int requests = Integer.getInteger("fuzz.requests", 2_000);
        long seed = Long.getLong("fuzz.seed", 14L);
        String reader = tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null);
        String writer = tokens().userToken("dr.okafor", "openid fhirUser user/*.cruds", null);
        FhirStore before = FhirStore.of(jdbc);
        Random random = new Random(seed);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> problems = new ArrayList<>();

        for (int i = 0; i < requests && problems.size() < 10; i++) {
            Request request = generate(random, reader, writer);
            RawHttp.Response response;
            try {
                response = http.send(request.head(), request.body());
            } catch (UncheckedIOException e) {
                problems.add("#" + i + " no response (" + e.getCause() + "): " + request.summary());
                continue;
            }
            statuses.merge(response.status(), 1, Integer::sum);
            String problem = problem(request, response);
            if (problem != null) {
                problems.add("#" + i + " " + problem + ": " + request.summary() + "\n   -> " + response.status() + " "
                        + abbreviate(response.body()));
            }
        }

        System.out.printf("Fuzz: %d requests, seed %d, statuses %s%n", requests, seed, statuses);
        assertThat(problems).isEmpty();
        assertThat(FhirStore.of(jdbc)).isEqualTo(before);
        assertThat(http.send("GET /fhir/metadata HTTP/1.1").status()).isEqualTo(200);
    }

    private record Request(String method, String target, String headers, byte[] body, boolean fhir) {
        String head() {
            return method + " " + target + " HTTP/1.1" + headers;
        }

        String summary() {
            return abbreviate(method + " " + target + headers.replace("\r\n", " | ")
                    + (body == null ? "" : " body " + abbreviate(new String(body, StandardCharsets.UTF_8))));
        }
    }

    private String problem(Request request, RawHttp.Response response) {
        if (response.status() >= 500) {
            return "server error";
        }
        String body = response.body();
        if (body.contains("Exception")
                || body.contains("HFJ_")
                || body.contains("ERROR: ")
                || body.contains("org.springframework")
                || body.contains("java.lang")) {
            return "internals in the response";
        }
        if (request.fhir() && response.status() >= 400 && !"HEAD".equals(request.method())) {
            String type = String.valueOf(response.header("Content-Type"));
            if (type.contains("json")) {
                try {
                    fhirContext.newJsonParser().parseResource(OperationOutcome.class, body);
                } catch (RuntimeException e) {
                    return "4xx without an OperationOutcome";
                }
            } else if (!type.contains("xml") || !body.contains("OperationOutcome")) {
                return "4xx without an OperationOutcome (" + type + ")";
            }
        }
        if (request.fhir() && response.status() == 200 && body.contains("\"batch-response\"")) {
            Bundle bundle = fhirContext.newJsonParser().parseResource(Bundle.class, body);
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResponse().getStatus() != null
                        && entry.getResponse().getStatus().startsWith("5")) {
                    return "batch entry " + entry.getResponse().getStatus();
                }
            }
        }
        return null;
    }

    private Request generate(Random random, String reader, String writer) {
        int kind = random.nextInt(100);
        if (kind < 12) {
            return authRequest(random);
        }
        boolean write = kind >= 75;
        String token = write
                ? writer
                : pick(random, new String[] {reader, reader, reader, null, "forged.token.x", "a".repeat(17_000)});
        StringBuilder headers = new StringBuilder();
        if (token != null) {
            headers.append("\r\nAuthorization: Bearer ").append(token);
        }
        headers.append("\r\nAccept: ").append(pick(random, new String[] {
            "application/fhir+json",
            "application/fhir+json",
            "application/fhir+xml",
            "*/*",
            "text/html",
            "garbage/garbage"
        }));
        addConditionalHeaders(random, headers);
        if (write) {
            return writeRequest(random, headers);
        }
        String method = pick(random, new String[] {
            "GET", "GET", "GET", "GET", "HEAD", "OPTIONS", "DELETE", "PUT", "FOO", "TRACE", "PROPFIND", "GET"
        });
        return new Request(
                method,
                fhirTarget(random),
                headers.toString(),
                method.equals("PUT") ? utf8(OBSERVATION + "}") : null,
                true);
    }

    private static void addConditionalHeaders(Random random, StringBuilder headers) {
        if (random.nextInt(5) == 0) {
            headers.append("\r\nIf-Match: ").append(pick(random, new String[] {
                "garbage", "W/\"x\"", "\"\"", "W/", "W/\"99999999999999999999\"", "*"
            }));
        }
        if (random.nextInt(5) == 0) {
            headers.append("\r\nIf-Modified-Since: ").append(pick(random, new String[] {
                "garbage", "", "Mon, 99 Foo" + " 2020 25:61:61 GMT", "0", "Thu, 01 Jan 1970 00:00:00 GMT"
            }));
        }
        if (random.nextInt(6) == 0) {
            headers.append("\r\nIf-None-Exist: ")
                    .append(pick(random, PARAMETERS))
                    .append('=')
                    .append(pick(random, VALUES));
        }
        if (random.nextInt(6) == 0) {
            headers.append("\r\nIf-None-Match: ").append(pick(random, new String[] {"garbage", "W/\"1\"", "*"}));
        }
        if (random.nextInt(8) == 0) {
            headers.append("\r\nPrefer: ").append(pick(random, new String[] {
                "return=garbage", "handling=strict", "respond-async", "return=OperationOutcome"
            }));
        }
    }

    private static String fhirTarget(Random random) {
        StringBuilder target = new StringBuilder("/fhir");
        int shape = random.nextInt(8);
        if (shape > 0) {
            target.append('/').append(pick(random, TYPES));
        }
        if (shape > 2) {
            target.append('/').append(pick(random, IDS));
        }
        if (shape == 5) {
            target.append(pick(random, new String[] {
                "/_history", "/_history/x", "/$everything", "/$meta", "/_history/1;x", "/$validate"
            }));
        }
        if (shape == 6) {
            target.append("/_search");
        }
        int parameters = random.nextInt(4) == 0 ? 40 + random.nextInt(30) : random.nextInt(5);
        for (int i = 0; i < parameters; i++) {
            target.append(i == 0 ? '?' : '&')
                    .append(pick(random, PARAMETERS))
                    .append('=')
                    .append(pick(random, VALUES));
        }
        return target.toString();
    }

    /** A write that is certainly invalid: the writer's token may store what is valid, and nothing may be stored. */
    private Request writeRequest(Random random, StringBuilder headers) {
        String contentType = pick(random, new String[] {
            "application/fhir+json",
            "application/fhir+json",
            "application/fhir+xml",
            "application/json",
            "application/json-patch+json"
        });
        byte[] body = invalidBody(random, contentType);
        if (random.nextInt(6) == 0) {
            headers.append("\r\nContent-Encoding: gzip");
            body = random.nextBoolean() ? gzip(body) : body;
        }
        headers.append("\r\nContent-Type: ").append(contentType);
        String method = contentType.contains("patch") ? "PATCH" : pick(random, new String[] {"POST", "POST", "PUT"});
        String target = switch (method) {
            case "PUT" -> "/fhir/Observation/" + pick(random, new String[] {"obs-bob-ldl", "new-one", "%zz"});
            case "PATCH" -> "/fhir/Observation/obs-bob-ldl";
            default -> random.nextInt(4) == 0 ? "/fhir" : "/fhir/Observation";
        };
        return new Request(method, target, headers.toString(), body, true);
    }

    private static byte[] invalidBody(Random random, String contentType) {
        if (contentType.contains("xml")) {
            return utf8(pick(random, new String[] {
                "<Observation><status value=\"final\"/></Observation>",
                "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/>",
                "<?xml version=\"1.0\"?><!DOCTYPE o [<!ENTITY x \"y\">]><Observation xmlns=\"http://hl7.org/fhir\">"
                        + "<status value=\"&x;\"/></Observation>",
                "<Observation xmlns=\"http://hl7.org/fhir\">" + "<extension url=\"http://x\">".repeat(300)
                        + "</extension>".repeat(300) + "</Observation>",
                "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/><valueQuantity><value value=\""
                        + "1e400\"/></valueQuantity><code><text value=\"x\"/></code></Observation>",
                "<Observation xmlns=\"http://hl7.org/fhir\"><colour value=\"blue\"/></Observation>",
                "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"&#0;\"/></Observation>",
                "\u0000\u0001\u0002"
            }));
        }
        if (contentType.contains("patch")) {
            return utf8(pick(random, new String[] {
                "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"a\\u0000\"}",
                "[{\"op\":\"replace\",\"op\":\"remove\"}]",
                "{}",
                "[" + "[".repeat(200) + "]".repeat(200) + "]"
            }));
        }
        String valid = OBSERVATION;
        return utf8(
                switch (random.nextInt(12)) {
                    case 0 -> valid.substring(0, random.nextInt(valid.length()));
                    case 1 -> valid + ",\"status\":\"preliminary\"}";
                    case 2 -> valid + ",\"valueInteger\":\"5\"}";
                    case 3 -> valid + ",\"valueString\":\"a\\u0000b\"}";
                    case 4 -> valid + ",\"valueString\":\"a\\ud800b\"}";
                    case 5 -> valid + ",\"valueQuantity\":{\"value\":1e400}}";
                    case 6 -> valid + ",\"colour\":\"blue\"}";
                    case 7 ->
                        valid + ",\"extension\":" + "[{\"url\":\"http://x\",\"extension\":".repeat(150) + "[]"
                                + "}]".repeat(150) + "}";
                    case 8 ->
                        "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":" + valid
                                + "},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},{\"request\":{\"method\":\"GET\","
                                + "\"url\":\"Patient?"
                                + pick(
                                        random,
                                        new String[] {"name=a%00b", "_offset=-1", "name=%zz", "value-quantity=9e999"})
                                + "\"}}]}";
                    case 9 -> valid + ",\"status\":true}";
                    case 10 -> "{\"resourceType\":\"Observation\"" + ",\"id\":\"" + "x".repeat(80) + "\"}";
                    default -> randomBytes(random);
                });
    }

    private static String randomBytes(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(200)];
        random.nextBytes(bytes);
        return "{" + new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static Request authRequest(Random random) {
        String path = pick(random, new String[] {
            "/auth/token",
            "/auth/token",
            "/auth/introspect",
            "/auth/revoke",
            "/auth/authorize",
            "/auth/register",
            "/auth/token;x=1",
            "/auth/token%2F",
            "/.well-known/openid-configuration"
        });
        String form = pick(random, new String[] {
            "grant_type=authorization_code&code=%zz",
            "grant_type=client_credentials&client_assertion_type=x&client_assertion=a.b.c",
            "grant_type=refresh_token&refresh_token=" + "a".repeat(5000),
            "grant_type=%00",
            "token=x",
            "grant_type=password&username=alice&password=x",
            "",
            "a=%zz&a=1&a=2",
            "response_type=code&client_id=caregate-public-app&code_challenge=short&code_challenge_method=plain"
        });
        String method = path.equals("/auth/authorize") ? pick(random, new String[] {"GET", "POST"}) : "POST";
        String target = method.equals("GET") ? path + "?" + form : path;
        String headers = "\r\nContent-Type: "
                + pick(random, new String[] {"application/x-www-form-urlencoded", "application/json", "text/plain"})
                + (random.nextBoolean() ? "\r\nAuthorization: Basic %%%%" : "");
        return new Request(method, target, headers, method.equals("GET") ? null : utf8(form), false);
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
