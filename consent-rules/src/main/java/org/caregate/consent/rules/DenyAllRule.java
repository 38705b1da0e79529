package org.caregate.consent.rules;

import org.caregate.consent.AccessRequest;
import org.caregate.consent.AccessRule;
import org.caregate.consent.Decision;
import org.caregate.consent.LocalizedText;

/** Denies every request: the last rule of a first-applicable list, so that access is denied by default. */
public final class DenyAllRule implements AccessRule {

    /** The rule's machine name. */
    public static final String NAME = "deny-all";

    static final LocalizedText NO_ACCESS = LocalizedText.of(
            "You do not have access to this patient's records.", "No tiene acceso a los registros de este paciente.");

    @Override
    public Decision evaluate(AccessRequest request) {
        return Decision.deny(NAME, NO_ACCESS);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
