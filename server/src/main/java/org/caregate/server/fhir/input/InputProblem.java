package org.caregate.server.fhir.input;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * A refusal of bad input: 400 with an OperationOutcome whose one issue has the FHIR issue type that fits (invalid
 * content, a too costly request, a structure the server does not accept) and a message for a person.
 */
final class InputProblem {

    private InputProblem() {}

    static InvalidRequestException invalid(String message) {
        return refusal(IssueType.INVALID, message);
    }

    static InvalidRequestException structure(String message) {
        return refusal(IssueType.STRUCTURE, message);
    }

    static InvalidRequestException tooCostly(String message) {
        return refusal(IssueType.TOOCOSTLY, message);
    }

    static InvalidRequestException refusal(IssueType type, String message) {
        return new InvalidRequestException(message, outcome(type, message));
    }

    /** An exception of the given status with one issue of the given type. */
    static BaseServerResponseException withStatus(int status, IssueType type, String message) {
        BaseServerResponseException exception = BaseServerResponseException.newInstance(status, message);
        exception.setOperationOutcome(outcome(type, message));
        return exception;
    }

    static OperationOutcome outcome(IssueType type, String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(type)
                .setDiagnostics(message);
        return outcome;
    }
}
