package org.caregate.smart.scope;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which granular (v2 {@code ?param=value}) scopes CareGate accepts.
 *
 * <p>SMART App Launch 2.2, "Finer-grained resource constraints using search parameters", lets a server choose
 * the parameters it supports. CareGate supports exactly one: {@code category}, on {@code Observation} and
 * {@code Condition}, with these codes (the US Core categories that US Core 6+ asks servers to support):
 *
 * <table>
 * <caption>Accepted categories</caption>
 * <tr><th>resource type</th><th>system</th><th>codes</th></tr>
 * <tr><td>Observation</td><td>{@value #OBSERVATION_CATEGORY}</td>
 *     <td>laboratory, vital-signs, social-history, survey, imaging, procedure, exam, therapy, activity</td></tr>
 * <tr><td>Observation</td><td>{@value #US_CORE_CATEGORY}</td><td>sdoh</td></tr>
 * <tr><td>Condition</td><td>{@value #CONDITION_CATEGORY}</td><td>encounter-diagnosis, problem-list-item</td></tr>
 * <tr><td>Condition</td><td>{@value #US_CORE_CONDITION_CATEGORY}</td><td>health-concern</td></tr>
 * </table>
 *
 * <p>A value is written {@code system|code} or as the bare {@code code}; either way it is kept in the parsed
 * scope as {@code system|code}, so a granted {@code category=laboratory} and a requested
 * {@code category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory} compare equal. Several
 * values separated by commas mean "any of these" (FHIR search's OR). Every other parameter, a category on another
 * resource type or on the wildcard type {@code *}, an unknown code, and a parameter given twice are refused with
 * {@code invalid_scope}: CareGate would rather refuse a scope than grant something broader or narrower than the
 * app asked for.
 */
public final class GranularScopeParameters {

    /** The only granular parameter CareGate supports. */
    public static final String CATEGORY = "category";

    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    public static final String US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category";
    public static final String CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
    public static final String US_CORE_CONDITION_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/condition-category";

    /** resource type -> accepted category tokens ({@code system|code}), in a stable order. */
    private static final Map<String, List<String>> CATEGORIES = Map.of(
            "Observation",
                    tokens(
                            OBSERVATION_CATEGORY,
                                    List.of(
                                            "laboratory",
                                            "vital-signs",
                                            "social-history",
                                            "survey",
                                            "imaging",
                                            "procedure",
                                            "exam",
                                            "therapy",
                                            "activity"),
                            US_CORE_CATEGORY, List.of("sdoh")),
            "Condition",
                    tokens(
                            CONDITION_CATEGORY, List.of("encounter-diagnosis", "problem-list-item"),
                            US_CORE_CONDITION_CATEGORY, List.of("health-concern")));

    private GranularScopeParameters() {}

    /** The resource types that accept a {@code category} parameter: Observation and Condition. */
    public static Set<String> resourceTypesWithCategory() {
        return CATEGORIES.keySet();
    }

    /** The accepted category tokens ({@code system|code}) of {@code resourceType}; empty if none. */
    public static List<String> categories(String resourceType) {
        return CATEGORIES.getOrDefault(resourceType, List.of());
    }

    /**
     * Parses the query part of a v2 scope (what follows {@code ?}) for {@code resourceType}.
     *
     * @return parameter name -> accepted values as {@code system|code}, in the order written
     * @throws InvalidScopeException naming {@code scope} and the reason
     */
    static Map<String, List<String>> parse(String scope, String resourceType, String query) {
        if (query.isEmpty()) {
            throw new InvalidScopeException(
                    scope, "nothing follows '?'; write e.g. ?category=laboratory or drop the '?'");
        }
        if ("*".equals(resourceType)) {
            throw new InvalidScopeException(
                    scope, "search parameters need a concrete resource type; the wildcard '*' cannot be narrowed");
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InvalidScopeException(scope, "'" + pair + "' is not of the form name=value");
            }
            String name = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            if (!CATEGORY.equals(name)) {
                throw new InvalidScopeException(
                        scope,
                        "search parameter '" + name
                                + "' is not supported in scopes; CareGate supports only category on Observation and Condition");
            }
            List<String> accepted = categories(resourceType);
            if (accepted.isEmpty()) {
                throw new InvalidScopeException(
                        scope,
                        "category is not supported on " + resourceType
                                + " in scopes; CareGate supports it on Observation and Condition");
            }
            if (parameters.containsKey(name)) {
                throw new InvalidScopeException(
                        scope,
                        "parameter '" + name + "' is given twice; list alternatives in one value separated by commas");
            }
            parameters.put(name, categoryValues(scope, resourceType, value, accepted));
        }
        return Collections.unmodifiableMap(parameters);
    }

    private static List<String> categoryValues(String scope, String resourceType, String value, List<String> accepted) {
        if (value.isEmpty()) {
            throw new InvalidScopeException(scope, "category has no value");
        }
        List<String> values = new ArrayList<>();
        for (String token : value.split(",", -1)) {
            String normalized = normalize(token, accepted)
                    .orElseThrow(() -> new InvalidScopeException(
                            scope,
                            "'" + token + "' is not a supported " + resourceType + " category; supported: "
                                    + String.join(", ", accepted)));
            if (!values.contains(normalized)) {
                values.add(normalized);
            }
        }
        return List.copyOf(values);
    }

    private static Optional<String> normalize(String token, List<String> accepted) {
        if (token.contains("|")) {
            return accepted.contains(token) ? Optional.of(token) : Optional.empty();
        }
        return accepted.stream().filter(t -> t.endsWith("|" + token)).findFirst();
    }

    private static List<String> tokens(String system1, List<String> codes1, String system2, List<String> codes2) {
        List<String> tokens = new ArrayList<>();
        codes1.forEach(code -> tokens.add(system1 + "|" + code));
        codes2.forEach(code -> tokens.add(system2 + "|" + code));
        return List.copyOf(tokens);
    }
}
