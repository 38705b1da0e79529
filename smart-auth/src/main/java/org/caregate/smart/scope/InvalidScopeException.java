package org.caregate.smart.scope;

import java.util.Objects;

/**
 * A scope that does not follow the SMART grammar or that CareGate does not support. The authorization server
 * answers it with the OAuth error {@code invalid_scope} (RFC 6749, section 4.1.2.1 and 5.2); the message names
 * the scope and says why, in words a client developer can act on.
 */
public final class InvalidScopeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String scope;
    private final String reason;

    public InvalidScopeException(String scope, String reason) {
        super("invalid scope \"" + scope + "\": " + reason);
        this.scope = Objects.requireNonNull(scope, "scope");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The offending scope, as written. */
    public String scope() {
        return scope;
    }

    /** Why it was refused, without the scope itself (e.g. "permission letters must appear in the order c, r, u, d, s"). */
    public String reason() {
        return reason;
    }
}
