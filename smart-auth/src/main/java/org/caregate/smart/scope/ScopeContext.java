package org.caregate.smart.scope;

import java.util.Optional;

/**
 * The context prefix of a resource scope: whose data the scope reaches.
 *
 * <p>SMART App Launch 2.2, "Scopes for requesting clinical data": {@code patient/} (data about the patient in
 * context), {@code user/} (data the user may see), {@code system/} (backend services, no user).
 */
public enum ScopeContext {
    PATIENT("patient"),
    USER("user"),
    SYSTEM("system");

    private final String prefix;

    ScopeContext(String prefix) {
        this.prefix = prefix;
    }

    /** The prefix as written in a scope, without the slash: {@code patient}, {@code user} or {@code system}. */
    public String prefix() {
        return prefix;
    }

    /** The context whose prefix is {@code prefix} (case-sensitive), if any. */
    public static Optional<ScopeContext> fromPrefix(String prefix) {
        for (ScopeContext context : values()) {
            if (context.prefix.equals(prefix)) {
                return Optional.of(context);
            }
        }
        return Optional.empty();
    }
}
