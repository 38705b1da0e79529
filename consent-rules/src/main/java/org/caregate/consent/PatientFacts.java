package org.caregate.consent;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What the rules need to know about the patient whose data is asked for.
 *
 * @param id                the patient's bare logical id ({@code "pat-family-4"})
 * @param birthDate         {@code Patient.birthDate}, or {@code null} when none is recorded
 * @param deceased          whether the patient is recorded as deceased
 * @param incapacitated     whether the patient is recorded as unable to make their own decisions (needed for a
 *                          court-appointed guardian of an adult)
 * @param consentDirectives the patient's active-status consent directives refusing sharing (each with its period)
 */
public record PatientFacts(
        String id,
        LocalDate birthDate,
        boolean deceased,
        boolean incapacitated,
        List<ConsentDirective> consentDirectives) {

    public PatientFacts {
        LogicalIds.require(id, "id");
        consentDirectives = List.copyOf(consentDirectives);
    }

    /** A living, capable patient with no consent directives; {@code birthDate} may be {@code null}. */
    public static PatientFacts of(String id, LocalDate birthDate) {
        return new PatientFacts(id, birthDate, false, false, List.of());
    }

    /** The birth date, if one is recorded. */
    public Optional<LocalDate> knownBirthDate() {
        return Optional.ofNullable(birthDate);
    }

    /** A copy with the deceased flag set as given. */
    public PatientFacts withDeceased(boolean newDeceased) {
        return new PatientFacts(id, birthDate, newDeceased, incapacitated, consentDirectives);
    }

    /** A copy with the incapacity flag set as given. */
    public PatientFacts withIncapacitated(boolean newIncapacitated) {
        return new PatientFacts(id, birthDate, deceased, newIncapacitated, consentDirectives);
    }

    /** A copy with these consent directives. */
    public PatientFacts withConsentDirectives(ConsentDirective... directives) {
        return new PatientFacts(id, birthDate, deceased, incapacitated, List.of(directives));
    }
}
