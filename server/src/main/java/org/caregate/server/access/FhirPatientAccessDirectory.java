package org.caregate.server.access;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.caregate.consent.Decision;
import org.caregate.smart.authserver.context.AccessCheck;
import org.caregate.smart.authserver.context.PatientAccessDirectory;
import org.caregate.smart.authserver.context.PatientChoice;
import org.caregate.smart.authserver.user.UserAccount;
import org.springframework.stereotype.Component;

/**
 * The authorization server's view of patient access (patient picker, token issue, refresh), answered from FHIR data
 * and the consent rules: the same {@link AccessDecisions} the FHIR endpoint enforces.
 */
@Component
public class FhirPatientAccessDirectory implements PatientAccessDirectory {

    static final String INVALID_ID_RULE = "invalid-patient-id";

    private final AccessDecisions decisions;

    public FhirPatientAccessDirectory(AccessDecisions decisions) {
        this.decisions = decisions;
    }

    /** The permitted patients, sorted by name then id, with their name and birth date. */
    @Override
    public List<PatientChoice> permittedPatients(UserAccount user, Instant now) {
        return decisions.forUser(user, now).permittedPatients().stream()
                .map(p -> new PatientChoice(p.id(), p.displayName(), p.birthDate()))
                .sorted(Comparator.comparing(PatientChoice::displayName).thenComparing(PatientChoice::patientId))
                .toList();
    }

    @Override
    public AccessCheck checkAccess(UserAccount user, String patientId, Instant now) {
        if (patientId == null || !patientId.matches("[A-Za-z0-9\\-.]{1,64}")) {
            return AccessCheck.deny(INVALID_ID_RULE, "The patient id is not a valid FHIR logical id.");
        }
        Decision decision = decisions.forUser(user, now).decide(patientId);
        String reason = decision.reason(Locale.ENGLISH);
        return decision.isPermit()
                ? AccessCheck.permit(decision.rule(), reason)
                : AccessCheck.deny(decision.rule(), reason);
    }
}
