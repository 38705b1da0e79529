package org.caregate.server.web;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The body of an error the servlet container or Spring answers itself, outside HAPI and outside the authorization
 * server (a URL Tomcat cannot parse, headers over the limit, a path the firewall refuses, an unknown HTTP method), in
 * the language of the path it was meant for: an OperationOutcome under {@code /fhir}, an OAuth 2.0 error response
 * (RFC 6749 section 5.2) at the authorization server's JSON endpoints, plain text elsewhere.
 */
final class ContainerErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FhirContext fhirContext;

    ContainerErrors(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /** A body to send: its media type and bytes. */
    record Body(String contentType, byte[] bytes) {}

    Body body(String path, int status, String detail) {
        String reason = reason(status) + (detail == null || detail.isBlank() ? "" : " " + detail);
        if (isFhir(path)) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(issueType(status))
                    .setDiagnostics(reason);
            return new Body(
                    "application/fhir+json;charset=UTF-8",
                    fhirContext.newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8));
        }
        if (isOAuthEndpoint(path)) {
            Map<String, String> error = new LinkedHashMap<>();
            error.put("error", status == 401 ? "invalid_client" : "invalid_request");
            error.put("error_description", reason);
            try {
                return new Body("application/json;charset=UTF-8", JSON.writeValueAsBytes(error));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Body("text/plain;charset=UTF-8", (status + " " + reason + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static boolean isFhir(String path) {
        return path != null
                && (path.equals("/fhir")
                        || path.startsWith("/fhir/")
                        || path.startsWith("/fhir;")
                        || path.startsWith("/fhir%"));
    }

    private static boolean isOAuthEndpoint(String path) {
        return path != null
                && (path.startsWith("/auth/token")
                        || path.startsWith("/auth/introspect")
                        || path.startsWith("/auth/revoke")
                        || path.startsWith("/auth/register"));
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 ->
                "The request is malformed and was refused before it was processed: the URL, the HTTP method"
                        + " or a header is not acceptable to this server (for example an encoded '/' (%2F), ';' or '..' in"
                        + " the path, characters that must be percent-encoded, a URL or headers over the size limit, or an"
                        + " unknown HTTP method).";
            case 404 -> "Nothing is served at this address.";
            case 405 -> "This HTTP method is not allowed here.";
            case 408 -> "The request was not received in time.";
            case 413 -> "The request body is larger than this server accepts.";
            case 414 -> "The URL is longer than this server accepts.";
            case 415 -> "This Content-Type is not supported here.";
            case 431 -> "The request headers are larger than this server accepts.";
            case 501 -> "This HTTP method is not implemented.";
            case 505 -> "This HTTP version is not supported; use HTTP/1.1.";
            default -> "The request could not be processed (HTTP " + status + ").";
        };
    }

    private static OperationOutcome.IssueType issueType(int status) {
        return switch (status) {
            case 404 -> OperationOutcome.IssueType.NOTFOUND;
            case 405, 501, 505, 415 -> OperationOutcome.IssueType.NOTSUPPORTED;
            case 413, 414, 431 -> OperationOutcome.IssueType.TOOLONG;
            case 408 -> OperationOutcome.IssueType.TIMEOUT;
            default -> status < 500 ? OperationOutcome.IssueType.INVALID : OperationOutcome.IssueType.EXCEPTION;
        };
    }
}
