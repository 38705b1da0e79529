package org.caregate.smart.scope;

import java.util.Objects;
import java.util.Set;

/**
 * A launch-context scope: {@code launch} (EHR launch: the app received a {@code launch} parameter),
 * {@code launch/patient} or {@code launch/encounter} (standalone launch: ask for a patient or encounter to be
 * chosen). SMART App Launch 2.2, "Scopes for requesting context data".
 */
public record LaunchScope(String value) implements SmartScope {

    public static final String LAUNCH = "launch";
    public static final String LAUNCH_PATIENT = "launch/patient";
    public static final String LAUNCH_ENCOUNTER = "launch/encounter";

    static final Set<String> VALUES = Set.of(LAUNCH, LAUNCH_PATIENT, LAUNCH_ENCOUNTER);

    public LaunchScope {
        Objects.requireNonNull(value, "value");
        if (!VALUES.contains(value)) {
            throw new InvalidScopeException(
                    value, "not a launch scope; expected launch, launch/patient or launch/encounter");
        }
    }
}
