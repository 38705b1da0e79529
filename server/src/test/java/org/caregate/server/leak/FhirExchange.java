package org.caregate.server.leak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP request to the FHIR API and its response, as raw as possible: the leak test wants to see every byte a
 * caller would see, including refusals, not what a FHIR client makes of them.
 *
 * @param method HTTP method
 * @param url absolute URL
 * @param requestBody what was sent (empty for none)
 * @param status HTTP status
 * @param contentType the response's {@code Content-Type}, or empty
 * @param body the response body, or empty
 * @param contentLocation the response's {@code Content-Location} (a Bulk Data status URL), or empty
 */
record FhirExchange(
        String method,
        String url,
        String requestBody,
        int status,
        String contentType,
        String body,
        String contentLocation) {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Sends one request with {@code Authorization: Bearer token} and any extra headers. */
    static FhirExchange send(
            String method, String url, String token, String body, String bodyType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Accept", "application/fhir+json");
        all.putAll(headers);
        all.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", bodyType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new FhirExchange(
                    method,
                    url,
                    body == null ? "" : body,
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body(),
                    response.headers().firstValue("Content-Location").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** {@code GET Patient/x → 403}: what a finding names. */
    String describe() {
        return method + " " + url.replaceFirst("^https?://[^/]+/fhir/?", "") + " → " + status;
    }
}
