package org.caregate.server.fhir.input;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.web.firewall.RequestRejectedException;

/**
 * The last line behind {@link RequestInputInterceptor}: an error that is the client's input (a value PostgreSQL
 * cannot store or compare, a number out of range, a search stopped by the statement timeout) becomes a 400 that
 * says so, whatever layer it surfaced in; and no response, 4xx or 5xx, carries SQL, PostgreSQL's messages or Java
 * class names. A real server failure stays a 500, with a message that names the request id of the log entry.
 * Batch and transaction responses get the same treatment entry by entry.
 */
@Interceptor
final class ErrorTranslationInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ErrorTranslationInterceptor.class);

    /** Text that belongs in the log, not in a response: SQL, PostgreSQL's messages, Java class names. */
    private static final Pattern INTERNALS = Pattern.compile(
            "(?i:\\b(insert into|select .{0,200} from|update \\S+ set|delete from|hfj_\\w+|sql ?state|psql|jdbc"
                    + "|hibernate)\\b)|ERROR: |\\b(java|javax|jakarta|org|com|ca)\\.[a-z0-9_]+\\.[\\w.$]+"
                    + "|\\b[A-Z]\\w*(Exception|Error)\\b");

    /** How a bad-input failure is recognised, by SQLState or by the text of an exception down the cause chain. */
    private enum BadInput {
        UNSTORABLE_TEXT("A text value in the request contains a character that cannot be stored or searched"
                + " (such as U+0000 or half of a surrogate pair)."),
        NUMBER_OUT_OF_RANGE("A number in the request is outside the range this server can store and search."),
        DATE_OUT_OF_RANGE("A date in the request is outside the range this server can store and search."),
        MALFORMED_VALUE("A value in the request is not in the format its parameter or element needs."),
        MALFORMED_ENCODING("The request URL has a malformed percent-encoding: '%' must be followed by two"
                + " hexadecimal digits (write a literal '%' as %25)."),
        TOO_COSTLY("The request took longer than this server allows (the database's statement timeout) and was"
                + " stopped; narrow the search or ask for fewer results per page.");

        final String message;

        BadInput(String message) {
            this.message = message;
        }

        IssueType issueType() {
            return this == TOO_COSTLY ? IssueType.TOOCOSTLY : IssueType.INVALID;
        }
    }

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException translate(RequestDetails request, Throwable exception) {
        if (exception instanceof BaseServerResponseException response
                && response.getStatusCode() < 500
                && !hasInternals(response)) {
            return null; // a refusal meant for the client, as it is
        }
        Optional<RequestRejectedException> rejected = causes(exception)
                .filter(RequestRejectedException.class::isInstance)
                .map(RequestRejectedException.class::cast)
                .findFirst();
        if (rejected.isPresent()) {
            // Spring Security's firewall checks parameters when HAPI first reads them (requests other than GET)
            return InputProblem.invalid(rejected.get().getMessage());
        }
        Optional<DataFormatException> unparsable = causes(exception)
                .filter(DataFormatException.class::isInstance)
                .map(DataFormatException.class::cast)
                .findFirst();
        if (unparsable.isPresent()) {
            // a parameter value HAPI parses late, e.g. _since of a type's history
            return InputProblem.invalid("A value in the request is not valid: "
                    + String.valueOf(unparsable.get().getMessage()).replaceAll("HAPI-\\d{4}: ", ""));
        }
        Optional<BadInput> badInput = classify(exception);
        if (badInput.isPresent()) {
            log.info("Bad input refused with 400 ({}): {}", badInput.get(), exception.toString());
            return InputProblem.refusal(badInput.get().issueType(), badInput.get().message);
        }
        if (exception instanceof BaseServerResponseException response && response.getStatusCode() < 500) {
            return withCleanMessage(response);
        }
        if (exception instanceof BaseServerResponseException response
                && !hasInternals(response)
                && !(response instanceof InternalErrorException)) {
            return null; // a deliberate 5xx (e.g. 501 Not Implemented) with a message meant for the client
        }
        String requestId = request == null ? null : request.getRequestId();
        log.error("FHIR request {} failed", requestId, exception);
        return InputProblem.withStatus(
                500,
                IssueType.EXCEPTION,
                "The server could not process this request."
                        + (requestId == null ? "" : " The failure is logged under request id " + requestId + "."));
    }

    /** Entries of a batch or transaction response that failed like a request would have, fixed the same way. */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void translateEntries(IBaseResource response) {
        if (!(response instanceof Bundle bundle)
                || (bundle.getType() != Bundle.BundleType.BATCHRESPONSE
                        && bundle.getType() != Bundle.BundleType.TRANSACTIONRESPONSE)) {
            return;
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryResponseComponent result = entry.getResponse();
            if (!(result.getOutcome() instanceof OperationOutcome outcome) || result.getStatus() == null) {
                continue;
            }
            String text = diagnostics(outcome);
            Optional<BadInput> badInput = classifyText(text);
            if (badInput.isPresent() && result.getStatus().startsWith("5")) {
                result.setStatus("400 Bad Request");
                result.setOutcome(InputProblem.outcome(badInput.get().issueType(), badInput.get().message));
            } else if (INTERNALS.matcher(text).find()) {
                result.setOutcome(InputProblem.outcome(
                        IssueType.PROCESSING,
                        result.getStatus().startsWith("5")
                                ? "The server could not process this entry."
                                : cleanMessage(result.getStatus())));
            }
        }
    }

    private static Stream<Throwable> causes(Throwable exception) {
        return Stream.iterate(exception, cause -> cause != null, Throwable::getCause)
                .limit(20);
    }

    static Optional<BadInput> classify(Throwable exception) {
        int depth = 0;
        for (Throwable cause = exception; cause != null && depth < 20; cause = cause.getCause(), depth++) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                Optional<BadInput> bySqlState = bySqlState(sql.getSQLState());
                if (bySqlState.isPresent()) {
                    return bySqlState;
                }
            }
            Optional<BadInput> byText = classifyText(cause.getMessage());
            if (byText.isPresent()) {
                return byText;
            }
            if (cause instanceof NumberFormatException) {
                return Optional.of(BadInput.MALFORMED_VALUE);
            }
        }
        return Optional.empty();
    }

    /** PostgreSQL's SQLState classes: 22 data exception, 54 program limit exceeded, 57014 query canceled. */
    private static Optional<BadInput> bySqlState(String state) {
        return switch (state) {
            case "22021", "22P05" -> Optional.of(BadInput.UNSTORABLE_TEXT);
            case "22003" -> Optional.of(BadInput.NUMBER_OUT_OF_RANGE);
            case "22008" -> Optional.of(BadInput.DATE_OUT_OF_RANGE);
            case "57014", "54001" -> Optional.of(BadInput.TOO_COSTLY);
            default -> state.startsWith("22") ? Optional.of(BadInput.MALFORMED_VALUE) : Optional.empty();
        };
    }

    /** The texts by which the same failures surface when a layer has dropped the exception they came from. */
    private static Optional<BadInput> classifyText(String message) {
        if (message == null) {
            return Optional.empty();
        }
        if (message.contains("invalid byte sequence for encoding")
                || message.contains("surrogate")
                || message.contains("character with byte sequence")) {
            return Optional.of(BadInput.UNSTORABLE_TEXT);
        }
        if (message.contains("out of range for type")
                || message.contains("Infinite or NaN")
                || message.contains("numeric field overflow")) {
            return Optional.of(BadInput.NUMBER_OUT_OF_RANGE);
        }
        if (message.contains("date/time field value out of range") || message.contains("timestamp out of range")) {
            return Optional.of(BadInput.DATE_OUT_OF_RANGE);
        }
        if (message.contains("URLDecoder")) {
            return Optional.of(BadInput.MALFORMED_ENCODING);
        }
        if (message.contains("canceling statement due to statement timeout")) {
            return Optional.of(BadInput.TOO_COSTLY);
        }
        if (message.contains("Offset must be a positive integer")) {
            return Optional.of(BadInput.MALFORMED_VALUE);
        }
        return Optional.empty();
    }

    private static boolean hasInternals(BaseServerResponseException response) {
        if (INTERNALS.matcher(String.valueOf(response.getMessage())).find()) {
            return true;
        }
        return response.getOperationOutcome() instanceof OperationOutcome outcome
                && INTERNALS.matcher(diagnostics(outcome)).find();
    }

    private static BaseServerResponseException withCleanMessage(BaseServerResponseException response) {
        log.info(
                "A {} response's message held internals and was replaced: {}",
                response.getStatusCode(),
                response.getMessage());
        return InputProblem.withStatus(
                response.getStatusCode(), IssueType.PROCESSING, cleanMessage(response.getStatusCode() + ""));
    }

    private static String cleanMessage(String status) {
        return switch (status.substring(0, Math.min(3, status.length()))) {
            case "404" -> "The resource was not found.";
            case "409" -> "The request conflicts with the current state of the resource; read it again and retry.";
            case "412" -> "A condition of the request (If-Match, a conditional URL) was not met.";
            case "422" -> "The resource does not meet this server's rules for its type.";
            default -> "The request could not be processed as sent; check its parameters and body.";
        };
    }

    private static String diagnostics(OperationOutcome outcome) {
        StringBuilder text = new StringBuilder();
        for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
            text.append(issue.getDiagnostics()).append('\n');
        }
        return text.toString();
    }
}
