package org.caregate.smart.scope;

import java.util.Objects;
import java.util.Set;

/**
 * An identity scope: {@code openid}, {@code fhirUser} or {@code profile} (the last is the SMART v1 spelling
 * kept for compatibility). SMART App Launch 2.2, "Scopes for requesting identity data".
 */
public record IdentityScope(String value) implements SmartScope {

    public static final String OPENID = "openid";
    public static final String FHIR_USER = "fhirUser";
    public static final String PROFILE = "profile";

    static final Set<String> VALUES = Set.of(OPENID, FHIR_USER, PROFILE);

    public IdentityScope {
        Objects.requireNonNull(value, "value");
        if (!VALUES.contains(value)) {
            throw new InvalidScopeException(value, "not an identity scope; expected openid, fhirUser or profile");
        }
    }
}
