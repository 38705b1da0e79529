package org.caregate.consent.rules;

import java.time.Period;
import java.util.Objects;
import org.caregate.consent.AccessRequest;
import org.caregate.consent.AccessRule;
import org.caregate.consent.CareRelationship;
import org.caregate.consent.Decision;
import org.caregate.consent.LocalizedText;
import org.caregate.consent.PractitionerRequester;
import org.caregate.consent.PractitionerRequester.AccessStatus;

/**
 * A practitioner or office staff member and the patients of their care relationships. Applies to every
 * {@link PractitionerRequester}.
 * <ul>
 * <li>Access suspended or terminated: deny.</li>
 * <li>The patient is the requester themself: deny, even with a care relationship.</li>
 * <li>An active care relationship of the patient with the practitioner or their organization
 * ({@link CareRelationship#isActiveAt}; encounters count within {@code encounterWindow}, default 12 months):
 * permit.</li>
 * <li>Otherwise: deny.</li>
 * </ul>
 */
public final class CareRelationshipRule implements AccessRule {

    /** The rule's machine name. */
    public static final String NAME = "care-relationship";

    /** Encounters in the last 12 months create a care relationship unless configured otherwise. */
    public static final Period DEFAULT_ENCOUNTER_WINDOW = Period.ofMonths(12);

    static final LocalizedText SUSPENDED = LocalizedText.of(
            "Your access has been suspended, so you may not see patient records.",
            "Su acceso ha sido suspendido, por lo que no puede ver registros de pacientes.");
    static final LocalizedText TERMINATED = LocalizedText.of(
            "Your access has ended, so you may not see patient records.",
            "Su acceso ha finalizado, por lo que no puede ver registros de pacientes.");
    static final LocalizedText OWN_RECORD = LocalizedText.of(
            "You may not use your professional access to see your own records; please use your patient account.",
            "No puede usar su acceso profesional para ver sus propios registros; utilice su cuenta de paciente.");
    static final LocalizedText NO_RELATIONSHIP = LocalizedText.of(
            "Neither you nor your organization has an active care relationship with this patient, so you may not "
                    + "see their records.",
            "Ni usted ni su organización tienen una relación de atención activa con este paciente, por lo que no "
                    + "puede ver sus registros.");

    private final Period encounterWindow;

    /** @param encounterWindow how long after an encounter it still creates a care relationship */
    public CareRelationshipRule(Period encounterWindow) {
        this.encounterWindow = Objects.requireNonNull(encounterWindow, "encounterWindow");
    }

    @Override
    public Decision evaluate(AccessRequest request) {
        if (!(request.requester() instanceof PractitionerRequester practitioner)) {
            return Decision.notApplicable(NAME);
        }
        if (practitioner.status() == AccessStatus.SUSPENDED) {
            return Decision.deny(NAME, SUSPENDED);
        }
        if (practitioner.status() == AccessStatus.TERMINATED) {
            return Decision.deny(NAME, TERMINATED);
        }
        String patientId = request.patient().id();
        if (practitioner.ownPatientIds().contains(patientId)) {
            return Decision.deny(NAME, OWN_RECORD);
        }
        return CareRelationship.firstActive(
                        practitioner.careRelationships(), request, practitioner::isOrWorksFor, encounterWindow)
                .map(r -> Decision.permit(NAME, permitReason(r)))
                .orElseGet(() -> Decision.deny(NAME, NO_RELATIONSHIP));
    }

    private static LocalizedText permitReason(CareRelationship relationship) {
        LocalizedText kind = relationship.kind().label();
        return LocalizedText.of(
                "You or your organization have an active care relationship with this patient (" + kind.english()
                        + "), so you may see their records.",
                "Usted o su organización tienen una relación de atención activa con este paciente (" + kind.spanish()
                        + "), por lo que puede ver sus registros.");
    }

    @Override
    public String toString() {
        return NAME;
    }
}
