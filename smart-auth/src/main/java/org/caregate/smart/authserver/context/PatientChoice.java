package org.caregate.smart.authserver.context;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A patient the user may choose in the patient picker.
 *
 * @param patientId   the bare FHIR id, e.g. {@code pat-child-4}
 * @param displayName the name to show
 * @param birthDate   shown next to the name so that two people of the same name can be told apart; may be null
 */
public record PatientChoice(String patientId, String displayName, LocalDate birthDate) {

    public PatientChoice {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(displayName, "displayName");
    }
}
