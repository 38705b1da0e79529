package org.caregate.consent;

import java.util.Objects;

/**
 * That the requester is a parent or guardian of a patient, as recorded by a FHIR {@code RelatedPerson} linked to the
 * requester's account.
 *
 * @param patientId the ward's bare logical id
 * @param role      parent, legal guardian, or court-appointed guardian of an adult
 * @param period    when the guardianship holds ({@code RelatedPerson.period}); {@code null} means
 *                  {@link TimeRange#always()}
 */
public record Guardianship(String patientId, Role role, TimeRange period) {

    /** The kind of guardianship. */
    public enum Role {
        /** A parent of a minor. */
        PARENT,
        /** A legal guardian of a minor. */
        LEGAL_GUARDIAN,
        /** A guardian appointed by a court for an adult who cannot make their own decisions. */
        COURT_APPOINTED_GUARDIAN
    }

    public Guardianship {
        LogicalIds.require(patientId, "patientId");
        Objects.requireNonNull(role, "role");
        period = period == null ? TimeRange.always() : period;
    }

    /** A parent of the patient, with no time limit. */
    public static Guardianship parentOf(String patientId) {
        return new Guardianship(patientId, Role.PARENT, TimeRange.always());
    }

    /** A court-appointed guardian of the (adult) patient, during {@code period}. */
    public static Guardianship courtAppointedGuardianOf(String patientId, TimeRange period) {
        return new Guardianship(patientId, Role.COURT_APPOINTED_GUARDIAN, period);
    }
}
