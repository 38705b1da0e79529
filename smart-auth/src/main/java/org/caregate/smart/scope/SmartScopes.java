package org.caregate.smart.scope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A parsed, immutable set of SMART scopes in the order they were written (duplicates dropped), as granted to a
 * token or requested by a client. Made by {@link SmartScopeParser#parse(String)} or {@link #of(Collection)}.
 *
 * <p>What the scopes allow is the union of what each allows (SMART App Launch 2.2, "Scopes for requesting
 * clinical data"). Scopes are only half of access: CareGate intersects them with consent rules.
 */
public final class SmartScopes implements Iterable<SmartScope> {

    private static final SmartScopes EMPTY = new SmartScopes(List.of());

    private final Map<String, SmartScope> byValue;
    private final List<ResourceScope> resourceScopes;

    private SmartScopes(Collection<? extends SmartScope> scopes) {
        Map<String, SmartScope> map = new LinkedHashMap<>();
        for (SmartScope scope : scopes) {
            map.putIfAbsent(Objects.requireNonNull(scope, "scope").value(), scope);
        }
        this.byValue = Collections.unmodifiableMap(map);
        this.resourceScopes = map.values().stream()
                .filter(ResourceScope.class::isInstance)
                .map(ResourceScope.class::cast)
                .toList();
    }

    /** No scopes at all: grants nothing. */
    public static SmartScopes empty() {
        return EMPTY;
    }

    /** These scopes, in this order, duplicates (same {@link SmartScope#value()}) dropped. */
    public static SmartScopes of(Collection<? extends SmartScope> scopes) {
        return scopes.isEmpty() ? EMPTY : new SmartScopes(scopes);
    }

    @Override
    public Iterator<SmartScope> iterator() {
        return byValue.values().iterator();
    }

    public Stream<SmartScope> stream() {
        return byValue.values().stream();
    }

    public int size() {
        return byValue.size();
    }

    public boolean isEmpty() {
        return byValue.isEmpty();
    }

    /** The clinical-data scopes, in order. */
    public List<ResourceScope> resourceScopes() {
        return resourceScopes;
    }

    /** The scope strings as written, in order. */
    public List<String> values() {
        return List.copyOf(byValue.keySet());
    }

    /** Is a scope written exactly {@code value} among these? (No v1/v2 equivalence: see {@link #covers}.) */
    public boolean has(String value) {
        return byValue.containsKey(value);
    }

    /** {@code launch/patient}: a standalone launch asks for a patient to be chosen. */
    public boolean hasLaunchPatient() {
        return has(LaunchScope.LAUNCH_PATIENT);
    }

    /** {@code launch/encounter}: a standalone launch asks for an encounter to be chosen. */
    public boolean hasLaunchEncounter() {
        return has(LaunchScope.LAUNCH_ENCOUNTER);
    }

    /** {@code launch}: an EHR launch, the app passes the {@code launch} parameter it received. */
    public boolean hasLaunch() {
        return has(LaunchScope.LAUNCH);
    }

    public boolean hasOpenId() {
        return has(IdentityScope.OPENID);
    }

    public boolean hasFhirUser() {
        return has(IdentityScope.FHIR_USER);
    }

    public boolean hasOfflineAccess() {
        return has(AccessDurationScope.OFFLINE_ACCESS);
    }

    public boolean hasOnlineAccess() {
        return has(AccessDurationScope.ONLINE_ACCESS);
    }

    /**
     * Is every scope of {@code requested} covered by these? Used when a client asks for a subset of its grant, for
     * example on a refresh-token grant (RFC 6749, section 6: the requested scope "MUST NOT include any scope not
     * originally granted"). Non-resource scopes must be present verbatim. For a resource scope, each requested
     * interaction must be granted by some scope of the same context, of the same type or {@code *}, whose
     * parameters are absent or at least as broad as the requested ones. So {@code patient/Observation.read}
     * covers {@code patient/Observation.rs} and {@code patient/Observation.r?category=laboratory}, and
     * {@code patient/Observation.r} together with {@code patient/Observation.s} cover
     * {@code patient/Observation.rs}.
     */
    public boolean covers(SmartScopes requested) {
        for (SmartScope scope : requested.byValue.values()) {
            boolean covered = scope instanceof ResourceScope resource ? covers(resource) : has(scope.value());
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    private boolean covers(ResourceScope requested) {
        for (Interaction interaction : requested.interactions()) {
            boolean granted = resourceScopes.stream()
                    .anyMatch(scope -> scope.permits(requested.context(), requested.resourceType(), interaction)
                            && scope.parametersCover(requested));
            if (!granted) {
                return false;
            }
        }
        return true;
    }

    /**
     * May {@code interaction} be done on {@code resourceType} in {@code context}? True when any resource scope
     * permits it (see {@link ResourceScope#permits}). When true, apply {@link #granularFilters} as well.
     */
    public boolean permits(ScopeContext context, String resourceType, Interaction interaction) {
        return resourceScopes.stream().anyMatch(scope -> scope.permits(context, resourceType, interaction));
    }

    /**
     * The granular filters that limit {@code interaction} on {@code resourceType} in {@code context}. An empty list
     * means no limit: some scope that permits it has no parameters. Otherwise a resource is allowed when it matches
     * at least one of the filters (each from one granular scope).
     *
     * @throws IllegalStateException if no scope {@link #permits} the interaction at all; check that first, so
     *                               that "not permitted" can never be mistaken for "unlimited"
     */
    public List<GranularFilter> granularFilters(ScopeContext context, String resourceType, Interaction interaction) {
        List<ResourceScope> permitting = resourceScopes.stream()
                .filter(scope -> scope.permits(context, resourceType, interaction))
                .toList();
        if (permitting.isEmpty()) {
            throw new IllegalStateException("no scope permits " + interaction + " on " + resourceType + " in " + context
                    + " context; call permits() first");
        }
        if (permitting.stream().anyMatch(scope -> !scope.isGranular())) {
            return List.of();
        }
        List<GranularFilter> filters = new ArrayList<>();
        for (ResourceScope scope : permitting) {
            filters.add(new GranularFilter(resourceType, scope.parameters(), scope));
        }
        return List.copyOf(filters);
    }

    /** The scopes as an OAuth {@code scope} value: as written, in order, one space apart, duplicates dropped. */
    public String toScopeString() {
        return String.join(" ", byValue.keySet());
    }

    /** Equal when both hold the same scopes as written, in whatever order. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SmartScopes that && byValue.equals(that.byValue);
    }

    @Override
    public int hashCode() {
        return byValue.hashCode();
    }

    @Override
    public String toString() {
        return byValue.values().stream().map(SmartScope::value).collect(Collectors.joining(" ", "SmartScopes[", "]"));
    }
}
