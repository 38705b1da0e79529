package org.caregate.smart.scope;

/**
 * One parsed SMART scope.
 *
 * <p>The four kinds are those of SMART App Launch 2.2, "Scopes and Launch Context": clinical data
 * ({@link ResourceScope}), launch context ({@link LaunchScope}), identity ({@link IdentityScope}) and how long
 * access lasts ({@link AccessDurationScope}).
 */
public sealed interface SmartScope permits ResourceScope, LaunchScope, IdentityScope, AccessDurationScope {

    /** The scope exactly as it was written. */
    String value();
}
