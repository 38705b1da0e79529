package org.caregate.server.access;

import java.time.Instant;
import java.util.Objects;
import org.caregate.consent.TimeRange;

/**
 * One fact the access rules need, as CareGate keeps it in its own index ({@link AccessIndex}): extracted from a FHIR
 * resource when it is written ({@link AccessFactExtractor}), so that a request reads facts with an indexed query
 * instead of reading and parsing FHIR resources.
 *
 * <p>Facts record what the data says, never a decision: periods are kept as they are written and judged at the
 * request's instant, so that a guardian's access still ends at 00:00 on the 12th birthday whatever was indexed when.
 *
 * @param source    the resource the fact comes from, {@code Type/id}; a write replaces all facts of its source
 * @param kind      what the fact says
 * @param patientId the patient it is about (bare id), or {@code null} (a PractitionerRole, a user's Practitioner)
 * @param party     the other side: a provider reference ({@code Practitioner/x}, {@code Organization/y},
 *                  {@code PractitionerRole/z}), a CareGate user ({@code user:<username>}), or {@code null}
 * @param context   a second reference where the kind needs one (the organisation of a PractitionerRole), or
 *                  {@code null}
 * @param start     start of the period in which the fact holds (inclusive), {@code null} for open
 * @param end       end of that period (exclusive), {@code null} for open
 * @param detail    kind-specific detail (see {@link Kind}), or {@code null}
 */
public record AccessFact(
        String source,
        Kind kind,
        String patientId,
        String party,
        String context,
        Instant start,
        Instant end,
        String detail) {

    /** What a fact says, and what its fields hold. */
    public enum Kind {
        /** A Patient: detail is {@link PatientDetail} (birth date, deceased, name). */
        PATIENT,
        /** A declared legal incapacity of the patient, over its period. */
        INCAPACITY,
        /** The source resource is the CareGate user {@code party} ({@code user:<name>} identifier). */
        USER,
        /** The patient's general practitioner is {@code party}. */
        GENERAL_PRACTITIONER,
        /** {@code party} is a participant of an active CareTeam of the patient, over the period. */
        CARE_TEAM,
        /** {@code party} sent an active or on-hold referral of the patient, from its authoredOn. */
        REFERRAL_SENT,
        /** {@code party} received (performs) an active or on-hold referral of the patient, from its authoredOn. */
        REFERRAL_RECEIVED,
        /** {@code party} took part in (or provided) an encounter of the patient, over its period. */
        ENCOUNTER,
        /**
         * A PractitionerRole of Practitioner {@code party} (or none) in Organization {@code context}, over its
         * period; detail is {@code active}/{@code inactive} then {@code ,office-staff} if that role code is set.
         */
        ROLE,
        /** A guardianship of the RelatedPerson {@code source} for the patient; detail is the role, over the period. */
        GUARDIANSHIP,
        /** The patient refuses access to provider {@code party} (active deny Consent), over the period. */
        CONSENT_REFUSAL
    }

    public AccessFact {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
    }

    /** The period in which the fact holds. */
    public TimeRange period() {
        if (start != null && end != null && end.isBefore(start)) {
            return FhirTime.NEVER;
        }
        return new TimeRange(start, end);
    }

    /** The resource type of {@link #source()}. */
    public String sourceType() {
        return source.substring(0, source.indexOf('/'));
    }

    /** The logical id of {@link #source()}. */
    public String sourceId() {
        return source.substring(source.indexOf('/') + 1);
    }
}
