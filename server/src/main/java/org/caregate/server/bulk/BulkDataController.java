package org.caregate.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.token.InvalidTokenException;
import org.caregate.smart.token.SmartAccessToken;
import org.caregate.smart.token.SmartAccessTokenValidator;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The status, manifest and files of an export (Bulk Data Access IG 2.0, "Bulk Data Status Request", "File
 * Request"), served to the client that asked for it, with its access token ({@code requiresAccessToken: true}):
 * <ul>
 *   <li>{@code GET /bulk/status/{id}}: 202 with {@code X-Progress} and {@code Retry-After} while it runs; 200 with
 *       the manifest when complete; 500 with an OperationOutcome when it failed; 429 to a client polling faster
 *       than {@code caregate.bulk.min-poll-interval}; 404 once cancelled or expired;</li>
 *   <li>{@code DELETE /bulk/status/{id}}: cancels it and removes its files (202);</li>
 *   <li>{@code GET /bulk/files/{id}/{file}}: one NDJSON file, streamed from the database part by part.</li>
 * </ul>
 * Another client's token is refused by rule {@value #OWNER_RULE}.
 */
@RestController
public class BulkDataController {

    static final String STATUS = "/bulk/status/";
    static final String FILES = "/bulk/files/";
    static final String OWNER_RULE = "bulk-export-owner";

    private final ExportJobs jobs;
    private final SmartAccessTokenValidator validator;
    private final FhirContext fhirContext;
    private final SmartAuthUrls urls;
    private final BulkExportProperties properties;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    BulkDataController(
            ExportJobs jobs,
            SmartAccessTokenValidator validator,
            FhirContext fhirContext,
            SmartAuthUrls urls,
            BulkExportProperties properties,
            Clock clock) {
        this.jobs = jobs;
        this.validator = validator;
        this.fhirContext = fhirContext;
        this.urls = urls;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping(STATUS + "{id}")
    public void status(
            @PathVariable("id") String id,
            @RequestHeader(value = "Authorization", required = false) String authorization,
            HttpServletResponse response)
            throws IOException {
        Optional<ExportJob> found = ownJob(id, authorization, response);
        if (found.isEmpty()) {
            return;
        }
        ExportJob job = found.get();
        Instant now = clock.instant();
        Optional<Instant> previous = jobs.polled(job.id(), now);
        if (!job.finished()
                && previous.isPresent()
                && Duration.between(previous.get(), now).compareTo(properties.minPollInterval()) < 0) {
            response.setHeader("Retry-After", String.valueOf(properties.retryAfter()));
            outcome(
                    response,
                    429,
                    OperationOutcome.IssueType.THROTTLED,
                    "Polled too often: wait the Retry-After seconds (" + properties.retryAfter()
                            + ") between status requests.");
            return;
        }
        switch (job.status()) {
            case ACCEPTED, RUNNING -> {
                response.setStatus(HttpServletResponse.SC_ACCEPTED);
                response.setHeader("Retry-After", String.valueOf(properties.retryAfter()));
                response.setHeader(
                        "X-Progress",
                        job.status() == ExportJob.Status.ACCEPTED
                                ? "waiting to start"
                                : job.progress().orElse("running"));
            }
            case FAILED ->
                outcome(
                        response,
                        500,
                        OperationOutcome.IssueType.EXCEPTION,
                        "The export failed: " + job.error().orElse("an internal error") + ". Start a new one; if "
                                + "it fails again, tell the hospital's IT team this export's id: " + job.id());
            case COMPLETED -> manifest(response, job);
        }
    }

    @DeleteMapping(STATUS + "{id}")
    public void cancel(
            @PathVariable("id") String id,
            @RequestHeader(value = "Authorization", required = false) String authorization,
            HttpServletResponse response)
            throws IOException {
        Optional<ExportJob> job = ownJob(id, authorization, response);
        if (job.isPresent()) {
            jobs.delete(job.get().id());
            outcome(
                    response,
                    202,
                    OperationOutcome.IssueType.INFORMATIONAL,
                    "The export was cancelled and its files removed.");
        }
    }

    @GetMapping(FILES + "{id}/{file}")
    public void file(
            @PathVariable("id") String id,
            @PathVariable("file") String file,
            @RequestHeader(value = "Authorization", required = false) String authorization,
            HttpServletResponse response)
            throws IOException {
        Optional<ExportJob> job = ownJob(id, authorization, response);
        if (job.isEmpty()) {
            return;
        }
        Optional<ExportJob.File> found = jobs.files(job.get().id()).stream()
                .filter(candidate -> candidate.id().toString().equals(file))
                .findFirst();
        if (found.isEmpty() || job.get().status() != ExportJob.Status.COMPLETED) {
            outcome(response, 404, OperationOutcome.IssueType.NOTFOUND, "This export has no such file.");
            return;
        }
        response.setStatus(200);
        response.setContentType(ExportRequest.NDJSON);
        response.setContentLengthLong(found.get().bytes());
        jobs.copyFile(found.get().id(), response.getOutputStream());
    }

    private Optional<ExportJob> ownJob(String id, String authorization, HttpServletResponse response)
            throws IOException {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"CareGate\"");
            outcome(
                    response,
                    401,
                    OperationOutcome.IssueType.LOGIN,
                    "Export status and files need the access "
                            + "token of the client that asked for the export: send 'Authorization: Bearer <token>'.");
            return Optional.empty();
        }
        SmartAccessToken token;
        try {
            token = validator.validate(authorization.substring(7).trim());
        } catch (InvalidTokenException e) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"CareGate\", error=\"invalid_token\"");
            outcome(
                    response,
                    401,
                    OperationOutcome.IssueType.LOGIN,
                    "The access token is not valid: " + e.getMessage() + ".");
            return Optional.empty();
        }
        Optional<ExportJob> job = parse(id).flatMap(jobs::find);
        Instant now = clock.instant();
        if (job.isPresent()
                && job.get().expires().filter(expires -> expires.isBefore(now)).isPresent()) {
            jobs.delete(job.get().id());
            job = Optional.empty();
        }
        if (job.isEmpty()) {
            outcome(
                    response,
                    404,
                    OperationOutcome.IssueType.NOTFOUND,
                    "No export " + id + ": it was never started, " + "was cancelled, or its files expired (after "
                            + properties.fileRetention() + ").");
            return Optional.empty();
        }
        if (!job.get().clientId().equals(token.clientId())) {
            outcome(
                    response,
                    403,
                    OperationOutcome.IssueType.FORBIDDEN,
                    "Access denied by rule '" + OWNER_RULE
                            + "': this export was asked for by another client; only that client may see it.");
            return Optional.empty();
        }
        return job;
    }

    private void manifest(HttpServletResponse response, ExportJob job) throws IOException {
        ObjectNode manifest = json.createObjectNode();
        manifest.put("transactionTime", new InstantType(java.util.Date.from(job.transactionTime())).getValueAsString());
        manifest.put("request", job.request().requestUrl());
        manifest.put("requiresAccessToken", true);
        ArrayNode output = manifest.putArray("output");
        ArrayNode error = manifest.putArray("error");
        for (ExportJob.File file : jobs.files(job.id())) {
            ObjectNode entry = (file.kind() == ExportJob.File.Kind.OUTPUT ? output : error).addObject();
            entry.put("type", file.resourceType());
            entry.put("url", urls.url(FILES + job.id() + "/" + file.id()));
            entry.put("count", file.resources());
        }
        job.expires()
                .ifPresent(expires -> manifest.putObject("extension")
                        .put(
                                "https://caregate.example.org/fhir/StructureDefinition/export-expires",
                                new InstantType(java.util.Date.from(expires)).getValueAsString()));
        response.setStatus(200);
        response.setContentType("application/json;charset=UTF-8");
        json.writeValue(response.getOutputStream(), manifest);
    }

    private void outcome(HttpServletResponse response, int status, OperationOutcome.IssueType type, String text)
            throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(
                        status < 400
                                ? OperationOutcome.IssueSeverity.INFORMATION
                                : OperationOutcome.IssueSeverity.ERROR)
                .setCode(type)
                .setDiagnostics(text);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getOutputStream()
                .write(fhirContext
                        .newJsonParser()
                        .encodeResourceToString(outcome)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
