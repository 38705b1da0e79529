package org.caregate.smart.scope;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A scope for clinical data: {@code <context>/<resource type>.<permissions>[?<parameters>]}.
 *
 * <p>SMART App Launch 2.2, "Scopes for requesting clinical data". v1 permissions are mapped onto v2 on parsing:
 * {@code read} = {@code rs}, {@code write} = {@code cud}, {@code *} = {@code cruds}; {@link #v1()} remembers which
 * form was written. Two scopes that grant the same thing in different spellings are {@link #sameAccessAs} each
 * other but not {@code equals}, since {@link #value()} keeps the original text.
 *
 * @param context      {@code patient/}, {@code user/} or {@code system/}
 * @param resourceType an R4 resource type name, or {@code *} for every type
 * @param interactions the permissions granted; never empty
 * @param parameters   granular constraints (v2 only): parameter name -> values as {@code system|code}, any of which
 *                     a resource must carry; empty when the scope is not granular. See {@link GranularScopeParameters}.
 * @param v1           whether the scope was written in the v1 form ({@code .read}, {@code .write}, {@code .*})
 * @param value        the scope as written
 */
public record ResourceScope(
        ScopeContext context,
        String resourceType,
        Set<Interaction> interactions,
        Map<String, List<String>> parameters,
        boolean v1,
        String value)
        implements SmartScope {

    /** The wildcard resource type. */
    public static final String ANY_TYPE = "*";

    public ResourceScope {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(interactions, "interactions");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(value, "value");
        if (interactions.isEmpty()) {
            throw new IllegalArgumentException("a resource scope grants at least one interaction: " + value);
        }
        if (v1 && !parameters.isEmpty()) {
            throw new IllegalArgumentException("v1 scopes have no parameters: " + value);
        }
        interactions = Collections.unmodifiableSet(EnumSet.copyOf(interactions));
        Map<String, List<String>> copy = new LinkedHashMap<>();
        parameters.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        parameters = Collections.unmodifiableMap(copy);
    }

    /** Is {@link #resourceType()} the wildcard {@code *}? */
    public boolean isWildcard() {
        return ANY_TYPE.equals(resourceType);
    }

    /** Does this scope carry granular constraints ({@code ?category=...})? */
    public boolean isGranular() {
        return !parameters.isEmpty();
    }

    /**
     * Does this scope allow {@code interaction} on {@code resourceType} in {@code context}? A shallow check on the
     * type only: a granular scope permits the type, and its {@link #parameters()} must then be applied to the
     * query and to each resource (see {@link SmartScopes#granularFilters}).
     */
    public boolean permits(ScopeContext context, String resourceType, Interaction interaction) {
        return this.context == context
                && (isWildcard() || this.resourceType.equals(resourceType))
                && interactions.contains(interaction);
    }

    /**
     * Does this scope, alone, grant everything {@code requested} asks for? Same context; same type, or this one is
     * {@code *}; requested interactions a subset of these; and for every parameter of this scope, the requested
     * scope has the same parameter with a subset of its values (it may add parameters: that only narrows it).
     */
    public boolean covers(ResourceScope requested) {
        return context == requested.context
                && (isWildcard() || resourceType.equals(requested.resourceType))
                && interactions.containsAll(requested.interactions)
                && parametersCover(requested);
    }

    /** Do this scope's parameters admit no more than {@code requested}'s? (Interactions and types are not compared.) */
    boolean parametersCover(ResourceScope requested) {
        for (Map.Entry<String, List<String>> granted : parameters.entrySet()) {
            List<String> asked = requested.parameters.get(granted.getKey());
            if (asked == null || !granted.getValue().containsAll(asked)) {
                return false;
            }
        }
        return true;
    }

    /** Do this scope and {@code other} grant exactly the same access, whatever their spelling (v1 or v2)? */
    public boolean sameAccessAs(ResourceScope other) {
        return context == other.context
                && resourceType.equals(other.resourceType)
                && interactions.equals(other.interactions)
                && parameters.equals(other.parameters);
    }

    /** This scope in the v2 form, e.g. {@code patient/Observation.rs} for {@code patient/Observation.read}. */
    public String toV2() {
        StringBuilder v2 = new StringBuilder(context.prefix())
                .append('/')
                .append(resourceType)
                .append('.');
        interactions.forEach(interaction -> v2.append(interaction.letter()));
        if (!parameters.isEmpty()) {
            v2.append('?')
                    .append(parameters.entrySet().stream()
                            .map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
                            .collect(Collectors.joining("&")));
        }
        return v2.toString();
    }
}
