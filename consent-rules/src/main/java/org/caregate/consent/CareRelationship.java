package org.caregate.consent;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A care relationship between a patient and a practitioner or organization, as the server resolves it from FHIR:
 * {@code Patient.generalPractitioner}, an active {@code CareTeam} participant, a {@code ServiceRequest} (referral)
 * sent or received, or an {@code Encounter} participant.
 *
 * <p>Whether it is active at an instant depends on its kind, see {@link #isActiveAt(Instant, ZoneId, Period)}.
 *
 * @param patientId the patient's bare logical id
 * @param kind      how the relationship arises
 * @param provider  the practitioner or organization holding the relationship
 * @param period    for {@link Kind#ENCOUNTER}, the encounter's period; for other kinds, the span in which the
 *                  relationship holds (the CareTeam participant's period, the referral's occurrence or authored
 *                  period, ...); {@code null} means {@link TimeRange#always()}
 */
public record CareRelationship(String patientId, Kind kind, CareProvider provider, TimeRange period) {

    /** How a care relationship arises; the label appears in the reason of a permit. */
    public enum Kind {
        GENERAL_PRACTITIONER("general practitioner", "médico de cabecera"),
        CARE_TEAM("member of the patient's care team", "miembro del equipo de atención del paciente"),
        REFERRAL_SENT("referral sent", "derivación enviada"),
        REFERRAL_RECEIVED("referral received", "derivación recibida"),
        ENCOUNTER("recent visit", "visita reciente");

        private final LocalizedText label;

        Kind(String english, String spanish) {
            this.label = LocalizedText.of(english, spanish);
        }

        /** A short label such as "general practitioner" / "médico de cabecera". */
        public LocalizedText label() {
            return label;
        }
    }

    public CareRelationship {
        LogicalIds.require(patientId, "patientId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(provider, "provider");
        period = period == null ? TimeRange.always() : period;
    }

    /** A relationship of the given kind with no time limit. */
    public static CareRelationship of(String patientId, Kind kind, CareProvider provider) {
        return new CareRelationship(patientId, kind, provider, TimeRange.always());
    }

    /** An encounter with the patient over the given period (its end may be {@code null} if it is in progress). */
    public static CareRelationship encounter(String patientId, CareProvider provider, TimeRange encounterPeriod) {
        return new CareRelationship(patientId, Kind.ENCOUNTER, provider, encounterPeriod);
    }

    /**
     * The first of {@code relationships} that is about {@code request}'s patient, held by a provider that
     * {@code heldBy} accepts, and active at the request's instant.
     */
    public static Optional<CareRelationship> firstActive(
            Collection<CareRelationship> relationships,
            AccessRequest request,
            Predicate<CareProvider> heldBy,
            Period encounterWindow) {
        String patientId = request.patient().id();
        Collection<CareRelationship> about =
                relationships instanceof CareRelationshipList list ? list.of(patientId) : relationships;
        return about.stream()
                .filter(r -> r.patientId().equals(patientId))
                .filter(r -> heldBy.test(r.provider()))
                .filter(r -> r.isActiveAt(request.at(), request.zone(), encounterWindow))
                .findFirst();
    }

    /**
     * Whether the relationship is active at {@code at}.
     * <ul>
     * <li>General practitioner, care team, referrals: {@code period} contains {@code at}.</li>
     * <li>Encounter: it has started by {@code at} (or has no start) and it ended, or, with no end, started, no earlier
     * than {@code encounterWindow} before {@code at} (calendar months in the facility {@code zone}). An encounter
     * with neither start nor end never counts.</li>
     * </ul>
     */
    public boolean isActiveAt(Instant at, ZoneId zone, Period encounterWindow) {
        if (kind != Kind.ENCOUNTER) {
            return period.contains(at);
        }
        Instant last = period.end() != null ? period.end() : period.start();
        if (last == null || (period.start() != null && period.start().isAfter(at))) {
            return false;
        }
        Instant windowStart = at.atZone(zone).minus(encounterWindow).toInstant();
        return !last.isBefore(windowStart);
    }
}
