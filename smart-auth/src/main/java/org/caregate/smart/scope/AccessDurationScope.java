package org.caregate.smart.scope;

import java.util.Objects;
import java.util.Set;

/**
 * {@code offline_access} (a refresh token that outlives the user's session) or {@code online_access} (a refresh
 * token only while the user is online). SMART App Launch 2.2, "Scopes for requesting a refresh token".
 */
public record AccessDurationScope(String value) implements SmartScope {

    public static final String OFFLINE_ACCESS = "offline_access";
    public static final String ONLINE_ACCESS = "online_access";

    static final Set<String> VALUES = Set.of(OFFLINE_ACCESS, ONLINE_ACCESS);

    public AccessDurationScope {
        Objects.requireNonNull(value, "value");
        if (!VALUES.contains(value)) {
            throw new InvalidScopeException(
                    value, "not an access duration scope; expected offline_access or online_access");
        }
    }
}
