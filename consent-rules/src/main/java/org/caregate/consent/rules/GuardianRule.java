package org.caregate.consent.rules;

import java.util.List;
import java.util.Optional;
import org.caregate.consent.AccessRequest;
import org.caregate.consent.AccessRule;
import org.caregate.consent.AgeBand;
import org.caregate.consent.Decision;
import org.caregate.consent.GuardianRequester;
import org.caregate.consent.Guardianship;
import org.caregate.consent.LocalizedText;

/**
 * A parent or guardian and their ward. Applies when the requester has a guardianship (active or not) of the patient.
 * <ul>
 * <li>No guardianship active at the instant (period start inclusive, end exclusive): deny.</li>
 * <li>No birth date recorded: deny (treated as aged 12 to 17 until one is recorded).</li>
 * <li>Aged 0 to 11: permit. Access ends at the start of the 12th birthday in the facility zone
 * ({@link org.caregate.consent.Age#guardianAccessEndsAt}).</li>
 * <li>Aged 12 to 17: deny, pointing to Health Information Management for a copy of the records.</li>
 * <li>18 or older: permit only to an active court-appointed guardian of a patient recorded as incapacitated.</li>
 * </ul>
 * A deceased ward is decided in the same way (ages are counted from the birth date as for anyone).
 */
public final class GuardianRule implements AccessRule {

    /** The rule's machine name. */
    public static final String NAME = "guardian";

    static final LocalizedText CHILD = LocalizedText.of(
            "You are a parent or guardian of this patient, who is under 12, so you may see their records.",
            "Usted es el padre, la madre o el tutor de este paciente, que es menor de 12 años, por lo que puede ver "
                    + "sus registros.");
    static final LocalizedText ADOLESCENT = LocalizedText.of(
            "Online access is not available for patients aged 12 to 17, including for parents and guardians. "
                    + "You can request a copy of the records from Health Information Management.",
            "El acceso en línea no está disponible para pacientes de 12 a 17 años, tampoco para sus padres o tutores. "
                    + "Puede solicitar una copia de los registros al Departamento de Gestión de Información de Salud "
                    + "(Health Information Management).");
    static final LocalizedText NO_BIRTH_DATE = LocalizedText.of(
            "This patient's birth date is not recorded, so online access for parents and guardians is not available "
                    + "until it is. You can request a copy of the records from Health Information Management.",
            "La fecha de nacimiento de este paciente no está registrada, por lo que el acceso en línea para padres y "
                    + "tutores no estará disponible hasta que se registre. Puede solicitar una copia de los registros "
                    + "al Departamento de Gestión de Información de Salud (Health Information Management).");
    static final LocalizedText COURT_APPOINTED = LocalizedText.of(
            "You are the court-appointed guardian of this adult patient and the guardianship is active, so you may "
                    + "see their records.",
            "Usted es el tutor designado por un tribunal para este paciente adulto y la tutela está vigente, por lo "
                    + "que puede ver sus registros.");
    static final LocalizedText ADULT = LocalizedText.of(
            "This patient is an adult. A parent or guardian may see an adult's records only as the court-appointed "
                    + "guardian of a patient who cannot make their own decisions, while the guardianship is active.",
            "Este paciente es adulto. Un padre, una madre o un tutor solo puede ver los registros de un adulto como "
                    + "tutor designado por un tribunal de un paciente que no puede tomar sus propias decisiones, "
                    + "mientras la tutela esté vigente.");
    static final LocalizedText NOT_ACTIVE = LocalizedText.of(
            "Your guardianship of this patient is not active at this time, so you may not see their records.",
            "Su tutela de este paciente no está vigente en este momento, por lo que no puede ver sus registros.");

    @Override
    public Decision evaluate(AccessRequest request) {
        if (!(request.requester() instanceof GuardianRequester guardian)) {
            return Decision.notApplicable(NAME);
        }
        List<Guardianship> ofPatient =
                guardian.guardianshipsOf(request.patient().id());
        if (ofPatient.isEmpty()) {
            return Decision.notApplicable(NAME);
        }
        List<Guardianship> active = ofPatient.stream()
                .filter(g -> g.period().contains(request.at()))
                .toList();
        if (active.isEmpty()) {
            return Decision.deny(NAME, NOT_ACTIVE);
        }
        Optional<AgeBand> band = request.patientAgeBand();
        if (band.isEmpty()) {
            return Decision.deny(NAME, NO_BIRTH_DATE);
        }
        return switch (band.get()) {
            case CHILD -> Decision.permit(NAME, CHILD);
            case ADOLESCENT -> Decision.deny(NAME, ADOLESCENT);
            case ADULT ->
                request.patient().incapacitated()
                                && active.stream().anyMatch(g -> g.role() == Guardianship.Role.COURT_APPOINTED_GUARDIAN)
                        ? Decision.permit(NAME, COURT_APPOINTED)
                        : Decision.deny(NAME, ADULT);
        };
    }

    @Override
    public String toString() {
        return NAME;
    }
}
