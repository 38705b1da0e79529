package org.caregate.smart.scope;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The constraint a granular scope puts on the resources it lets through, e.g. "Observation with category
 * laboratory". A resource passes when, for every parameter, it carries at least one of the values.
 *
 * <p>SMART App Launch 2.2, "Finer-grained resource constraints using search parameters". Values are
 * {@code system|code} tokens (see {@link GranularScopeParameters}).
 *
 * @param resourceType the type the filter applies to
 * @param parameters   parameter name -> accepted values
 * @param scope        the scope the filter comes from, to name it in denials and audit
 */
public record GranularFilter(String resourceType, Map<String, List<String>> parameters, ResourceScope scope) {

    public GranularFilter {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(scope, "scope");
        parameters = Map.copyOf(parameters);
    }

    /**
     * Does a resource with these search-parameter values pass?
     *
     * @param resourceValues parameter name -> the resource's values as {@code system|code} (for {@code category}:
     *                       each coding of each {@code category} element)
     */
    public boolean matches(Map<String, ? extends Collection<String>> resourceValues) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            Collection<String> values = resourceValues.get(parameter.getKey());
            if (values == null || parameter.getValue().stream().noneMatch(values::contains)) {
                return false;
            }
        }
        return true;
    }
}
