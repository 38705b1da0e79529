package org.caregate.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * One question for the policy: may {@code requester} see {@code data} of {@code patient} at {@code at}?
 *
 * <pre>{@code
 * Decision d = policy.decide(new AccessRequest(requester, patientFacts, DataCategory.ordinary(), clock.instant(), zone));
 * }</pre>
 *
 * @param requester who asks
 * @param patient   the facts of the patient whose data is asked for
 * @param data      which kind of data
 * @param at        the instant of the request (from the server's injected {@code Clock})
 * @param zone      the facility time zone in which ages and birthdays are counted ({@code caregate.facility-zone})
 */
public record AccessRequest(Requester requester, PatientFacts patient, DataCategory data, Instant at, ZoneId zone) {

    public AccessRequest {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(zone, "zone");
    }

    /** The same question about another kind of data, e.g. one lab result of an already permitted patient. */
    public AccessRequest withData(DataCategory otherData) {
        return new AccessRequest(requester, patient, otherData, at, zone);
    }

    /** The date of the request in the facility zone. */
    public LocalDate today() {
        return Age.today(at, zone);
    }

    /** The patient's age band on {@link #today()}; empty when no birth date is recorded. */
    public Optional<AgeBand> patientAgeBand() {
        return AgeBand.at(patient.birthDate(), at, zone);
    }
}
