package org.caregate.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Bulk Data client over real HTTP, as a community EHR would write it from the IG. */
public final class BulkExportClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token;

    public BulkExportClient(String token) {
        this.token = token;
    }

    public HttpResponse<String> get(String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        return send(request, headers);
    }

    public HttpResponse<String> post(String url, String parametersJson, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(parametersJson));
        return send(request, headers);
    }

    public HttpResponse<String> delete(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).DELETE(), Map.of());
    }

    /** A kick-off with the headers the IG requires. */
    public String kickOff(String url) {
        HttpResponse<String> response = get(url, Map.of("Prefer", "respond-async", "Accept", "application/fhir+json"));
        assertThat(response.statusCode())
                .as("kick-off %s: %s", url, response.body())
                .isEqualTo(202);
        return response.headers().firstValue("Content-Location").orElseThrow();
    }

    /** Polls the status URL, as slowly as the server asks, until the manifest comes. */
    public JsonNode awaitManifest(String statusUrl) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = get(statusUrl, Map.of());
            if (status.statusCode() == 200) {
                return read(status.body());
            }
            assertThat(status.statusCode()).as("status: %s", status.body()).isIn(202, 429);
            sleep(1100);
        }
        throw new AssertionError("the export did not complete in 3 minutes: " + statusUrl);
    }

    /** The resources of every output file of {@code type}, parsed line by line. */
    public List<JsonNode> download(JsonNode manifest, String type) {
        List<JsonNode> resources = new ArrayList<>();
        for (JsonNode output : manifest.get("output")) {
            if (type.equals(output.get("type").asText())) {
                HttpResponse<String> file = get(output.get("url").asText(), Map.of());
                assertThat(file.statusCode()).as("file %s", file.body()).isEqualTo(200);
                assertThat(file.headers().firstValue("Content-Type").orElse("")).startsWith("application/fhir+ndjson");
                for (String line : file.body().split("\n")) {
                    if (!line.isBlank()) {
                        resources.add(read(line));
                    }
                }
                assertThat(resources.size())
                        .isGreaterThanOrEqualTo(output.get("count").asInt());
            }
        }
        return resources;
    }

    public static List<String> ids(List<JsonNode> resources) {
        return resources.stream()
                .map(resource -> resource.get("resourceType").asText() + "/"
                        + resource.get("id").asText())
                .toList();
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Map<String, String> headers) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
