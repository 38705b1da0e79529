package org.caregate.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;

/** Persona builders for consent-rules tests; everything is relative to the fixed instant {@link #NOW}. */
public final class People {

    /** The facility zone used unless a test says otherwise. */
    public static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    /** 15 June 2025, 10:00 in Los Angeles. */
    public static final Instant NOW = Instant.parse("2025-06-15T17:00:00Z");
    /** {@link #NOW} as a date in Los Angeles. */
    public static final LocalDate TODAY = LocalDate.of(2025, 6, 15);

    public static final String PRACTITIONER_ID = "prac-lee";
    public static final String ORGANIZATION_ID = "org-valley-clinic";
    public static final String OTHER_ORGANIZATION_ID = "org-elsewhere";

    private People() {}

    /** A patient aged {@code years} today, well away from a birthday (born 1 April). */
    public static PatientFacts patientAged(int years) {
        return PatientFacts.of("pat-aged-" + years, LocalDate.of(TODAY.getYear() - years, 4, 1));
    }

    /** Same as {@link #patientAged(int)}, named for readability when the patient is a minor. */
    public static PatientFacts child(int years) {
        return patientAged(years);
    }

    public static PatientFacts adult(int years) {
        return patientAged(years);
    }

    public static PatientFacts bornOn(String id, LocalDate birthDate) {
        return PatientFacts.of(id, birthDate);
    }

    public static PatientFacts withoutBirthDate() {
        return PatientFacts.of("pat-no-birth-date", null);
    }

    public static PatientRequester self(PatientFacts patient) {
        return new PatientRequester(patient.id());
    }

    /** A parent of each of the wards, with no time limit. */
    public static GuardianRequester guardianOf(PatientFacts... wards) {
        return new GuardianRequester(
                Arrays.stream(wards).map(w -> Guardianship.parentOf(w.id())).toList());
    }

    public static GuardianRequester courtAppointedGuardianOf(PatientFacts ward, TimeRange period) {
        return GuardianRequester.of(Guardianship.courtAppointedGuardianOf(ward.id(), period));
    }

    /** An active practitioner of {@link #ORGANIZATION_ID} with the given care relationships. */
    public static PractitionerRequester practitionerWith(CareRelationship... relationships) {
        return PractitionerRequester.active(PRACTITIONER_ID, ORGANIZATION_ID, List.of(relationships));
    }

    /** An active practitioner who is the patient's general practitioner. */
    public static PractitionerRequester generalPractitionerOf(PatientFacts patient) {
        return practitionerWith(CareRelationship.of(
                patient.id(), CareRelationship.Kind.GENERAL_PRACTITIONER, CareProvider.practitioner(PRACTITIONER_ID)));
    }

    public static BackendClientRequester backendClientWith(CareRelationship... relationships) {
        return new BackendClientRequester("bulk-export-app", ORGANIZATION_ID, List.of(relationships));
    }

    /** An ordinary-data request at {@link #NOW} in {@link #LA}. */
    public static AccessRequest request(Requester requester, PatientFacts patient) {
        return request(requester, patient, NOW);
    }

    public static AccessRequest request(Requester requester, PatientFacts patient, Instant at) {
        return new AccessRequest(requester, patient, DataCategory.ordinary(), at, LA);
    }

    /** An instant given as a local date-time in Los Angeles, e.g. {@code "2025-03-08T23:59"}. */
    public static Instant inLosAngeles(String localDateTime) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), LA)
                .toInstant();
    }

    /** {@code months} calendar months before {@link #NOW} in Los Angeles. */
    public static Instant monthsAgo(int months) {
        return NOW.atZone(LA).minusMonths(months).toInstant();
    }
}
