package org.caregate.server.security;

import java.util.Optional;
import java.util.Set;
import org.caregate.consent.Decision;

/**
 * The consent half of "effective access = scopes ∩ consent": which patients the caller may see now. Evaluated on
 * every request at the current instant, so nothing depends on when the token was issued.
 */
public interface PermittedPatients {

    /** Bare ids of the patients whose compartments the caller may reach now (for a {@code patient/} token: at most the launch patient). */
    Set<String> of(AccessContext context);

    /** The consent decision about one patient, to explain a refusal; empty when no rule applies to this caller. */
    Optional<Decision> decide(AccessContext context, String patientId);
}
