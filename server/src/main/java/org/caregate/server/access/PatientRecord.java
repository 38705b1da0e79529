package org.caregate.server.access;

import java.time.LocalDate;
import java.util.Objects;
import org.caregate.consent.PatientFacts;

/**
 * A patient as the access decisions and the patient picker need it: the consent-rules facts and the name to show.
 *
 * @param facts       birth date, deceased, incapacity and consent directives, evaluated at one instant
 * @param displayName the patient's name ("Maria Elena Garcia"), or the id when the record has no name
 * @param exists      whether a Patient with this id exists (a candidate id may refer to a deleted record)
 */
public record PatientRecord(PatientFacts facts, String displayName, boolean exists) {

    public PatientRecord {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(displayName, "displayName");
    }

    public String id() {
        return facts.id();
    }

    /** {@code Patient.birthDate}, or {@code null} if none (or only a partial one) is recorded. */
    public LocalDate birthDate() {
        return facts.birthDate();
    }

    /** The record of a patient id that does not exist: no birth date, named by its id. */
    static PatientRecord missing(String patientId) {
        return new PatientRecord(PatientFacts.of(patientId, null), patientId, false);
    }
}
