package org.caregate.server.feed;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Bundle;

/**
 * A one-line summary of a batch's outcome in the response header {@value #HEADER}, e.g. {@code 120 entries: 118
 * succeeded, 2 failed (400: 1, 404: 1)}, so that a loader sees at once whether to look at the entries (each failed
 * entry's {@code response.status} and {@code response.outcome} say why). A transaction is all or nothing: it fails
 * with one OperationOutcome.
 */
@Interceptor
public final class BatchSummaryInterceptor {

    public static final String HEADER = "X-CareGate-Batch-Summary";

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean summarise(RequestDetails request, ResponseDetails response) {
        if (response.getResponseResource() instanceof Bundle bundle
                && bundle.getType() == Bundle.BundleType.BATCHRESPONSE
                && request instanceof ServletRequestDetails servlet
                && servlet.getServletResponse() != null) {
            servlet.getServletResponse().setHeader(HEADER, summary(bundle));
        }
        return true;
    }

    static String summary(Bundle batchResponse) {
        int succeeded = 0;
        Map<String, Integer> failures = new TreeMap<>();
        for (Bundle.BundleEntryComponent entry : batchResponse.getEntry()) {
            String status = entry.getResponse().getStatus();
            String code =
                    status == null || status.isBlank() ? "?" : status.trim().split(" ")[0];
            if (code.startsWith("2")) {
                succeeded++;
            } else {
                failures.merge(code, 1, Integer::sum);
            }
        }
        int failed = batchResponse.getEntry().size() - succeeded;
        StringBuilder text = new StringBuilder()
                .append(batchResponse.getEntry().size())
                .append(" entries: ")
                .append(succeeded)
                .append(" succeeded, ")
                .append(failed)
                .append(" failed");
        if (!failures.isEmpty()) {
            text.append(" (");
            failures.forEach((code, count) ->
                    text.append(code).append(": ").append(count).append(", "));
            text.setLength(text.length() - 2);
            text.append(')');
        }
        return text.toString();
    }
}
