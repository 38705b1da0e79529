package org.caregate.consent.rules;

import java.util.Optional;
import org.caregate.consent.AccessRequest;
import org.caregate.consent.AccessRule;
import org.caregate.consent.AgeBand;
import org.caregate.consent.Decision;
import org.caregate.consent.LocalizedText;
import org.caregate.consent.PatientRequester;

/**
 * A patient and their own records. Applies only when the requester is the patient asked about.
 * <ul>
 * <li>18 or older: permit.</li>
 * <li>12 to 17: deny, unless the facility allows adolescents their own online access (constructor option).</li>
 * <li>Under 12, or no birth date recorded: deny.</li>
 * <li>Deceased: deny (the account of a deceased patient no longer gives access; Health Information Management
 * serves the personal representative).</li>
 * </ul>
 */
public final class SelfRule implements AccessRule {

    /** The rule's machine name. */
    public static final String NAME = "self";

    static final LocalizedText ADULT = LocalizedText.of(
            "You are 18 or older, so you may see your own records.",
            "Tiene 18 años o más, por lo que puede ver sus propios registros.");
    static final LocalizedText ADOLESCENT_ALLOWED = LocalizedText.of(
            "This facility gives patients aged 12 to 17 online access to their own records.",
            "Este centro da a los pacientes de 12 a 17 años acceso en línea a sus propios registros.");
    static final LocalizedText ADOLESCENT_DENIED = LocalizedText.of(
            "Online access to your own records is not available for patients aged 12 to 17. "
                    + "You can request a copy of your records from Health Information Management.",
            "El acceso en línea a sus propios registros no está disponible para pacientes de 12 a 17 años. "
                    + "Puede solicitar una copia de sus registros al Departamento de Gestión de Información de Salud "
                    + "(Health Information Management).");
    static final LocalizedText CHILD = LocalizedText.of(
            "Patients under 12 do not have their own online access; a parent or guardian can see their records.",
            "Los pacientes menores de 12 años no tienen acceso propio en línea; su padre, su madre o su tutor "
                    + "puede ver sus registros.");
    static final LocalizedText NO_BIRTH_DATE = LocalizedText.of(
            "Your birth date is not recorded, so online access to your records is not available yet. "
                    + "Please contact Health Information Management to have it recorded.",
            "Su fecha de nacimiento no está registrada, por lo que el acceso en línea a sus registros aún no está "
                    + "disponible. Comuníquese con el Departamento de Gestión de Información de Salud "
                    + "(Health Information Management) para que la registren.");
    static final LocalizedText DECEASED = LocalizedText.of(
            "This patient is recorded as deceased, so this account no longer gives online access to the records. "
                    + "Health Information Management can help the patient's personal representative.",
            "Este paciente figura como fallecido, por lo que esta cuenta ya no da acceso en línea a los registros. "
                    + "El Departamento de Gestión de Información de Salud (Health Information Management) puede "
                    + "ayudar al representante personal del paciente.");

    private final boolean adolescentOwnAccess;

    /**
     * @param adolescentOwnAccess whether patients aged 12 to 17 may see their own records online (product default:
     *                            {@code false})
     */
    public SelfRule(boolean adolescentOwnAccess) {
        this.adolescentOwnAccess = adolescentOwnAccess;
    }

    @Override
    public Decision evaluate(AccessRequest request) {
        if (!(request.requester() instanceof PatientRequester self)
                || !self.patientId().equals(request.patient().id())) {
            return Decision.notApplicable(NAME);
        }
        if (request.patient().deceased()) {
            return Decision.deny(NAME, DECEASED);
        }
        Optional<AgeBand> band = request.patientAgeBand();
        if (band.isEmpty()) {
            return Decision.deny(NAME, NO_BIRTH_DATE);
        }
        return switch (band.get()) {
            case ADULT -> Decision.permit(NAME, ADULT);
            case ADOLESCENT ->
                adolescentOwnAccess
                        ? Decision.permit(NAME, ADOLESCENT_ALLOWED)
                        : Decision.deny(NAME, ADOLESCENT_DENIED);
            case CHILD -> Decision.deny(NAME, CHILD);
        };
    }

    @Override
    public String toString() {
        return NAME;
    }
}
