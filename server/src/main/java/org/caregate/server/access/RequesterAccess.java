package org.caregate.server.access;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.caregate.consent.DataCategory;
import org.caregate.consent.Decision;

/**
 * Everything the consent rules say about one requester at one instant: their roles, the facts of every candidate
 * patient, the decision about each of them and the permitted ones. Made by {@link AccessDecisions}, which keeps it
 * for later requests as long as nothing it was made from has changed: the index's {@link #generation()}, and time
 * before {@link #validUntil()}.
 */
public final class RequesterAccess {

    private final PatientAccess policy;
    private final RequesterRoles roles;
    private final Map<String, PatientRecord> candidates;
    private final Map<String, Decision> decisions;
    private final Set<String> permitted;
    private final List<PatientRecord> permittedRecords;
    private final Instant at;
    private final Instant validUntil;
    private final long generation;

    RequesterAccess(
            PatientAccess policy,
            RequesterRoles roles,
            Map<String, PatientRecord> candidates,
            Map<String, Decision> decisions,
            Instant at,
            Instant validUntil,
            long generation) {
        this.policy = policy;
        this.roles = roles;
        this.candidates = Map.copyOf(candidates);
        this.decisions = Map.copyOf(decisions);
        this.permittedRecords = candidates.values().stream()
                .filter(record -> decisions.get(record.id()).isPermit())
                .toList();
        this.permitted =
                Set.copyOf(permittedRecords.stream().map(PatientRecord::id).toList());
        this.at = at;
        this.validUntil = validUntil;
        this.generation = generation;
    }

    public RequesterRoles roles() {
        return roles;
    }

    /** The patients the requester may see: ids. */
    public Set<String> permittedPatientIds() {
        return permitted;
    }

    /** The patients the requester may see, with their names and birth dates, in no particular order. */
    public List<PatientRecord> permittedPatients() {
        return permittedRecords;
    }

    /** The decision about one patient's ordinary data (a patient who is no candidate is denied, with the reason). */
    public Decision decide(String patientId) {
        Decision decision = decisions.get(patientId);
        return decision != null
                ? decision
                : policy.decide(roles, PatientRecord.missing(patientId).facts(), DataCategory.ordinary(), at);
    }

    /** The decision about a kind of data of one patient (a held result, a sensitive category), at {@code now}. */
    public Decision decide(String patientId, DataCategory data, Instant now) {
        PatientRecord patient = candidates.getOrDefault(patientId, PatientRecord.missing(patientId));
        return policy.decide(roles, patient.facts(), data, now);
    }

    /** The decision about each candidate patient (e.g. for a portal that explains refusals). */
    public Map<String, Decision> decisions() {
        return decisions;
    }

    /** The instant the decisions were made for. */
    public Instant at() {
        return at;
    }

    /** Whether these decisions are still the ones the rules would make at {@code now} on index {@code generation}. */
    boolean holdsAt(Instant now, long currentGeneration) {
        return generation == currentGeneration && !now.isBefore(at) && now.isBefore(validUntil);
    }

    Instant validUntil() {
        return validUntil;
    }
}
