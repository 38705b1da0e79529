package org.caregate.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.caregate.smart.scope.GranularFilter;
import org.caregate.smart.scope.Interaction;
import org.caregate.smart.scope.ScopeContext;
import org.caregate.smart.scope.SmartScopes;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;

/**
 * SMART v2 granular scopes ({@code patient/Observation.rs?category=...|laboratory}): a search is narrowed to the
 * granted categories in the query (so {@code total} only counts them), and a read or an included resource outside
 * them is refused or left out (SMART App Launch 2.2, "Finer-grained resource constraints using search parameters").
 */
@Interceptor
public final class GranularScopeInterceptor {

    private static final String CATEGORY = "category";

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = ScopeCheckInterceptor.ORDER + 5)
    public boolean narrowSearch(RequestDetails request) {
        AccessContext context = AccessContext.find(request).orElse(null);
        if (context == null || request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE) {
            return true;
        }
        Map<String, String[]> parameters = request.getParameters();
        Map<String, String[]> narrowed = narrowed(context.token().scopes(), request.getResourceName(), parameters);
        if (narrowed != parameters) {
            request.setParameters(narrowed);
        }
        return true;
    }

    /**
     * A search of {@code type} with these parameters narrowed to the granted categories: the same map if nothing is
     * to narrow, else a new one. Also used for the search entries of a batch, which must pass the same checks.
     */
    static Map<String, String[]> narrowed(SmartScopes scopes, String type, Map<String, String[]> query) {
        if (!granular(type)) {
            return query;
        }
        List<GranularFilter> filters = filters(scopes, type, Interaction.SEARCH);
        if (filters.isEmpty()) {
            return query;
        }
        Set<String> categories = new LinkedHashSet<>();
        filters.forEach(filter -> categories.addAll(filter.parameters().getOrDefault(CATEGORY, List.of())));
        Map<String, String[]> parameters = new HashMap<>(query);
        String[] existing = parameters.getOrDefault(CATEGORY, new String[0]);
        String[] narrowed = Arrays.copyOf(existing, existing.length + 1);
        narrowed[existing.length] = String.join(",", categories);
        parameters.put(CATEGORY, narrowed);
        return parameters;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean checkResponse(RequestDetails request, ResponseDetails response) {
        AccessContext context = AccessContext.find(request).orElse(null);
        IBaseResource resource = response.getResponseResource();
        if (context == null || resource == null) {
            return true;
        }
        SmartScopes scopes = context.token().scopes();
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().removeIf(entry -> entry.hasResource() && !allowed(scopes, entry.getResource()));
        } else if (!allowed(scopes, resource)) {
            throw new ForbiddenOperationException(Messages.deniedByDefault(
                    RequestLocale.of(request),
                    "granular scope: the granted " + resource.fhirType() + " categories do not include this one"));
        }
        return true;
    }

    private static boolean allowed(SmartScopes scopes, IBaseResource resource) {
        String type = resource.fhirType();
        if (!granular(type)) {
            return true;
        }
        List<GranularFilter> filters = filters(scopes, type, Interaction.READ);
        if (filters.isEmpty()) {
            return true;
        }
        Map<String, List<String>> values = Map.of(CATEGORY, categoryTokens(resource));
        return filters.stream().anyMatch(filter -> filter.matches(values));
    }

    /** The filters over every scope context that permits the interaction; empty when one of them is unlimited. */
    private static List<GranularFilter> filters(SmartScopes scopes, String type, Interaction interaction) {
        List<GranularFilter> all = new ArrayList<>();
        boolean permitted = false;
        for (ScopeContext context : ScopeContext.values()) {
            if (!scopes.permits(context, type, interaction)) {
                continue;
            }
            permitted = true;
            List<GranularFilter> filters = scopes.granularFilters(context, type, interaction);
            if (filters.isEmpty()) {
                return List.of();
            }
            all.addAll(filters);
        }
        return permitted ? all : List.of();
    }

    private static boolean granular(String type) {
        return "Observation".equals(type) || "Condition".equals(type);
    }

    private static List<String> categoryTokens(IBaseResource resource) {
        List<CodeableConcept> categories = resource instanceof Observation observation
                ? observation.getCategory()
                : resource instanceof Condition condition ? condition.getCategory() : List.of();
        return categories.stream()
                .flatMap(category -> category.getCoding().stream())
                .map(coding -> coding.getSystem() + "|" + coding.getCode())
                .toList();
    }
}
