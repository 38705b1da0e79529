package org.caregate.server.security.release;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * For patients and guardians, adds {@code _tag:not=<held>} to every search of Observation and DiagnosticReport, so
 * results held back by the release hold are left out by the database query: never counted in {@code total}, never
 * on a later page.
 */
@Interceptor
public final class ReleaseHoldSearchNarrowing {

    private static final Set<String> HELD_TYPES = Set.of("Observation", "DiagnosticReport");
    private static final String NOT_HELD = ReleaseState.HELD.getSystem() + "|" + ReleaseState.HELD.getCode();

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = 100)
    public boolean narrow(RequestDetails request) {
        if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE) {
            return true;
        }
        Map<String, String[]> parameters = request.getParameters();
        Map<String, String[]> narrowed = narrowed(request, request.getResourceName(), parameters);
        if (narrowed != parameters) {
            request.setParameters(narrowed);
        }
        return true;
    }

    /**
     * A search of {@code type} with these parameters, without held results if the caller is held back: the same
     * map if nothing is to narrow, else a new one. Also used for the search entries of a batch.
     */
    public static Map<String, String[]> narrowed(RequestDetails request, String type, Map<String, String[]> query) {
        if (!HELD_TYPES.contains(type) || !ReleaseHoldInterceptor.appliesTo(request)) {
            return query;
        }
        Map<String, String[]> parameters = new HashMap<>(query);
        String[] existing = parameters.getOrDefault("_tag:not", new String[0]);
        String[] narrowed = Arrays.copyOf(existing, existing.length + 1);
        narrowed[existing.length] = NOT_HELD;
        parameters.put("_tag:not", narrowed);
        return parameters;
    }
}
