package org.caregate.smart.scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The category sub-scopes the approval page offers beside a resource-level read scope on Condition or Observation
 * (SMART App Launch 2.2, "Finer-grained resource constraints using search parameters"; the US Core 6.1 categories
 * that ONC's certification test guide for §170.315(g)(10) requires a server to offer): a person may allow, say, only
 * an app's laboratory results instead of every Observation.
 */
public final class GranularScopeOptions {

    private static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    private static final String CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
    private static final String US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category";

    private static final Map<String, List<String>> CATEGORIES = Map.of(
            "Observation",
            List.of(
                    OBSERVATION_CATEGORY + "|laboratory",
                    OBSERVATION_CATEGORY + "|vital-signs",
                    OBSERVATION_CATEGORY + "|social-history",
                    OBSERVATION_CATEGORY + "|survey",
                    US_CORE_CATEGORY + "|sdoh"),
            "Condition",
            List.of(
                    CONDITION_CATEGORY + "|encounter-diagnosis",
                    CONDITION_CATEGORY + "|problem-list-item",
                    US_CORE_CATEGORY + "|health-concern"));

    private GranularScopeOptions() {}

    /**
     * The sub-scopes offered for a requested scope, e.g. {@code patient/Observation.rs?category=...|laboratory} for
     * {@code patient/Observation.rs}; empty for any other scope (wildcards, other types, already granular, no read).
     */
    public static List<String> of(String requested) {
        SmartScope parsed;
        try {
            parsed = SmartScopeParser.parseScope(requested);
        } catch (InvalidScopeException e) {
            return List.of();
        }
        if (!(parsed instanceof ResourceScope scope)
                || scope.isWildcard()
                || scope.isGranular()
                || scope.context() == ScopeContext.SYSTEM
                || !CATEGORIES.containsKey(scope.resourceType())) {
            return List.of();
        }
        Set<Interaction> interactions = scope.interactions();
        String letters = (interactions.contains(Interaction.READ) ? "r" : "")
                + (interactions.contains(Interaction.SEARCH) ? "s" : "");
        if (letters.isEmpty()) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        for (String category : CATEGORIES.get(scope.resourceType())) {
            options.add(
                    scope.context().prefix() + "/" + scope.resourceType() + "." + letters + "?category=" + category);
        }
        return List.copyOf(options);
    }

    /** Whether {@code granted} is one of the sub-scopes offered for one of the {@code requested} scopes. */
    public static boolean offered(String granted, Set<String> requested) {
        return requested.stream().anyMatch(scope -> of(scope).contains(granted));
    }

    /** The scopes without the sub-scopes offered for another of them (what the page lists as its own lines). */
    public static Set<String> withoutOptions(Set<String> scopes) {
        Set<String> lines = new java.util.LinkedHashSet<>(scopes);
        scopes.forEach(scope -> of(scope).forEach(lines::remove));
        return lines;
    }
}
