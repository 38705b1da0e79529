package org.caregate.smart.scope;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses SMART scopes, v1 and v2 alike.
 *
 * <p>Grammar (SMART App Launch 2.2, "Scopes for requesting clinical data", "Scopes for requesting context data",
 * "Scopes for requesting identity data"):
 * <pre>
 * scope          = resource-scope / "launch" / "launch/patient" / "launch/encounter"
 *                / "openid" / "fhirUser" / "profile" / "offline_access" / "online_access"
 * resource-scope = context "/" type "." permissions
 * context        = "patient" / "user" / "system"
 * type           = an R4 resource type name / "*"
 * permissions    = v1 / v2 [ "?" parameters ]
 * v1             = "read" / "write" / "*"                    ; = rs / cud / cruds
 * v2             = [ "c" ] [ "r" ] [ "u" ] [ "d" ] [ "s" ]    ; at least one, in this order
 * parameters     = name "=" value *( "&amp;" name "=" value )  ; see GranularScopeParameters
 * </pre>
 * Scopes are case-sensitive. Anything else is refused with an {@link InvalidScopeException} that says why:
 * CareGate does not silently drop scopes it does not understand.
 */
public final class SmartScopeParser {

    private static final Set<Interaction> V1_READ = EnumSet.of(Interaction.READ, Interaction.SEARCH);
    private static final Set<Interaction> V1_WRITE =
            EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE);
    private static final Set<Interaction> V1_ALL = EnumSet.allOf(Interaction.class);

    private SmartScopeParser() {}

    /**
     * Parses a space-separated scope string, as in the OAuth {@code scope} parameter (RFC 6749, section 3.3).
     * Runs of spaces (and other whitespace) are one separator; {@code null} or blank gives no scopes.
     *
     * @throws InvalidScopeException for the first scope that is not valid, naming it and why
     */
    public static SmartScopes parse(String scopeString) {
        if (scopeString == null || scopeString.isBlank()) {
            return SmartScopes.empty();
        }
        List<SmartScope> scopes = new ArrayList<>();
        for (String token : scopeString.strip().split("\\s+")) {
            scopes.add(parseScope(token));
        }
        return SmartScopes.of(scopes);
    }

    /** Parses a list of scopes, one per element (as in a JWT {@code scp} array); blank elements are skipped. */
    public static SmartScopes parse(List<String> scopes) {
        List<SmartScope> parsed = new ArrayList<>();
        for (String scope : scopes) {
            if (scope != null && !scope.isBlank()) {
                parsed.add(parseScope(scope.strip()));
            }
        }
        return SmartScopes.of(parsed);
    }

    /**
     * Parses one scope.
     *
     * @throws InvalidScopeException if it is not a SMART scope CareGate supports, naming it and why
     */
    public static SmartScope parseScope(String scope) {
        if (scope == null || scope.isEmpty()) {
            throw new InvalidScopeException(String.valueOf(scope), "a scope cannot be empty");
        }
        if (scope.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidScopeException(
                    scope, "a scope cannot contain spaces; separate scopes with a space in the scope string");
        }
        if (LaunchScope.VALUES.contains(scope)) {
            return new LaunchScope(scope);
        }
        if (IdentityScope.VALUES.contains(scope)) {
            return new IdentityScope(scope);
        }
        if (AccessDurationScope.VALUES.contains(scope)) {
            return new AccessDurationScope(scope);
        }
        int slash = scope.indexOf('/');
        if (slash < 0) {
            throw new InvalidScopeException(
                    scope,
                    "unknown scope; expected a resource scope such as patient/Observation.rs,"
                            + " or one of launch, launch/patient, launch/encounter, openid, fhirUser, profile, offline_access, online_access");
        }
        String prefix = scope.substring(0, slash);
        if (prefix.equals("launch")) {
            throw new InvalidScopeException(
                    scope, "unknown launch context; CareGate supports launch/patient and launch/encounter");
        }
        ScopeContext context = ScopeContext.fromPrefix(prefix)
                .orElseThrow(() -> new InvalidScopeException(
                        scope, "unknown context '" + prefix + "/'; expected patient/, user/ or system/"));
        return parseResourceScope(scope, context, scope.substring(slash + 1));
    }

    private static ResourceScope parseResourceScope(String scope, ScopeContext context, String rest) {
        int question = rest.indexOf('?');
        String typeAndPermissions = question < 0 ? rest : rest.substring(0, question);
        int dot = typeAndPermissions.indexOf('.');
        if (typeAndPermissions.isEmpty() || dot == 0) {
            resourceType(scope, "");
        }
        if (dot < 0) {
            throw new InvalidScopeException(
                    scope,
                    "no permissions after the resource type; write e.g. " + context.prefix() + "/" + typeAndPermissions
                            + ".rs");
        }
        String type = resourceType(scope, typeAndPermissions.substring(0, dot));
        String permissions = typeAndPermissions.substring(dot + 1);
        Optional<Set<Interaction>> v1 = v1Permissions(permissions);
        if (v1.isPresent()) {
            if (question >= 0) {
                throw new InvalidScopeException(
                        scope,
                        "search parameters ('?') are a SMART v2 feature; write ." + v2Letters(v1.get())
                                + " instead of ." + permissions);
            }
            return new ResourceScope(context, type, v1.get(), Map.of(), true, scope);
        }
        Set<Interaction> interactions = v2Permissions(scope, permissions);
        Map<String, List<String>> parameters =
                question < 0 ? Map.of() : GranularScopeParameters.parse(scope, type, rest.substring(question + 1));
        return new ResourceScope(context, type, interactions, parameters, false, scope);
    }

    private static String resourceType(String scope, String type) {
        if (type.isEmpty()) {
            throw new InvalidScopeException(
                    scope, "no resource type; write a FHIR R4 resource type such as Observation, or *");
        }
        if (type.equals(ResourceScope.ANY_TYPE) || R4ResourceTypes.contains(type)) {
            return type;
        }
        String hint = R4ResourceTypes.withCaseCorrected(type)
                .map(t -> " (did you mean " + t + "?)")
                .orElse("");
        throw new InvalidScopeException(scope, "'" + type + "' is not a FHIR R4 resource type" + hint);
    }

    private static Optional<Set<Interaction>> v1Permissions(String permissions) {
        return switch (permissions) {
            case "read" -> Optional.of(V1_READ);
            case "write" -> Optional.of(V1_WRITE);
            case "*" -> Optional.of(V1_ALL);
            default -> Optional.empty();
        };
    }

    private static Set<Interaction> v2Permissions(String scope, String letters) {
        if (letters.isEmpty()) {
            throw new InvalidScopeException(
                    scope, "no permissions after '.'; write one or more of c, r, u, d, s (e.g. .rs)");
        }
        Set<Interaction> interactions = EnumSet.noneOf(Interaction.class);
        Interaction previous = null;
        for (char letter : letters.toCharArray()) {
            Interaction interaction = Interaction.fromLetter(letter)
                    .orElseThrow(() -> new InvalidScopeException(
                            scope,
                            "'" + letter + "' is not a permission; use c, r, u, d, s (v2) or read, write, * (v1)"));
            if (previous != null && interaction.compareTo(previous) <= 0) {
                throw new InvalidScopeException(
                        scope, "permission letters must appear at most once each, in the order c, r, u, d, s");
            }
            interactions.add(interaction);
            previous = interaction;
        }
        return interactions;
    }

    private static String v2Letters(Set<Interaction> interactions) {
        StringBuilder letters = new StringBuilder();
        interactions.forEach(interaction -> letters.append(interaction.letter()));
        return letters.toString();
    }
}
