package org.caregate.server.access;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.caregate.consent.AccessPolicy;
import org.caregate.consent.AccessRequest;
import org.caregate.consent.DataCategory;
import org.caregate.consent.Decision;
import org.caregate.consent.LocalizedText;
import org.caregate.consent.PatientFacts;
import org.caregate.consent.Requester;
import org.caregate.consent.rules.CareGatePolicy;
import org.caregate.server.config.CareGateProperties;
import org.springframework.stereotype.Service;

/**
 * Which patients a requester may see now, decided by the product policy ({@link CareGatePolicy#standard}) in the
 * facility zone, with facts read by {@link AccessFactsResolver}. Deny by default: only a permit of the policy grants
 * access.
 *
 * <p>A user with several roles ({@link RequesterRoles}: a patient who is also a parent) is decided in each role in
 * which the patient is a candidate; the first permit wins, else the first denial is reported. Whole-patient
 * decisions use {@link DataCategory#ordinary()}; per-resource holds (an unreleased radiology report, a lab result that
 * is not final) use {@link #decide(RequesterRoles, String, DataCategory, Instant)}.
 *
 * <p>Cost: {@link #permittedPatientIds} and {@link #decide} read the facts of the candidate patients with 2 SQL queries
 * whatever their number (none when there is no candidate), on top of what building the requester cost.
 */
@Service
public class PatientAccess {

    /** The rule named in the denial of an account that may not act (suspended or terminated, not a practitioner). */
    public static final String ACCOUNT_RULE = "account-status";

    static final LocalizedText ACCOUNT_NOT_ACTIVE = LocalizedText.of(
            "Your account is not active, so you may not see patient records.",
            "Su cuenta no está activa, por lo que no puede ver registros de pacientes.");

    private final AccessPolicy policy = CareGatePolicy.standard(CareGatePolicy.Options.defaults());
    private final AccessFactsResolver facts;
    private final ZoneId zone;
    private final Clock clock;

    public PatientAccess(AccessFactsResolver facts, CareGateProperties properties, Clock clock) {
        this.facts = facts;
        this.zone = properties.facilityZone();
        this.clock = clock;
    }

    /** Now, from the injected clock. */
    public Instant now() {
        return clock.instant();
    }

    public Decision decide(Requester requester, String patientId, Instant now) {
        return decide(RequesterRoles.of(requester), patientId, DataCategory.ordinary(), now);
    }

    public Decision decide(Requester requester, String patientId, DataCategory data, Instant now) {
        return decide(RequesterRoles.of(requester), patientId, data, now);
    }

    public Set<String> permittedPatientIds(Requester requester, Instant now) {
        return permittedPatientIds(RequesterRoles.of(requester), now);
    }

    public Decision decide(RequesterRoles requester, String patientId, Instant now) {
        return decide(requester, patientId, DataCategory.ordinary(), now);
    }

    /** May the requester see this kind of data of this patient at {@code now}? */
    public Decision decide(RequesterRoles requester, String patientId, DataCategory data, Instant now) {
        PatientRecord patient = requester.candidatePatientIds().contains(patientId)
                ? facts.patients(List.of(patientId), now).get(patientId)
                // not a candidate: never permitted, and the rules need no facts to say why
                : PatientRecord.missing(patientId);
        return decide(requester, patient.facts(), data, now);
    }

    /** The ids of the patients the requester may see at {@code now}. */
    public Set<String> permittedPatientIds(RequesterRoles requester, Instant now) {
        return permittedPatients(requester, now).stream()
                .map(PatientRecord::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The patients (facts and names) the requester may see at {@code now}, in no particular order. */
    public List<PatientRecord> permittedPatients(RequesterRoles requester, Instant now) {
        Map<String, PatientRecord> candidates = facts.patients(requester.candidatePatientIds(), now);
        List<PatientRecord> permitted = new ArrayList<>();
        for (PatientRecord candidate : candidates.values()) {
            if (decide(requester, candidate.facts(), DataCategory.ordinary(), now)
                    .isPermit()) {
                permitted.add(candidate);
            }
        }
        return permitted;
    }

    /** The decision for each candidate patient at {@code now} (e.g. for a portal that explains refusals). */
    public Map<String, Decision> decisions(RequesterRoles requester, Instant now) {
        Map<String, Decision> decisions = new LinkedHashMap<>();
        facts.patients(requester.candidatePatientIds(), now)
                .values()
                .forEach(candidate -> decisions.put(
                        candidate.id(), decide(requester, candidate.facts(), DataCategory.ordinary(), now)));
        return decisions;
    }

    /** The policy's decision with facts already read: pure, no search. */
    public Decision decide(RequesterRoles requester, PatientFacts patient, DataCategory data, Instant now) {
        if (requester.roles().isEmpty()) {
            return Decision.deny(ACCOUNT_RULE, ACCOUNT_NOT_ACTIVE);
        }
        List<Requester> roles = requester.rolesFor(patient.id());
        if (roles.isEmpty()) {
            roles = List.of(requester.roles().get(0)); // let the policy say why (deny-all, no care relationship...)
        }
        Decision firstDenial = null;
        for (Requester role : roles) {
            Decision decision = policy.decide(new AccessRequest(role, patient, data, now, zone));
            if (decision.isPermit()) {
                return decision;
            }
            if (firstDenial == null) {
                firstDenial = decision;
            }
        }
        return firstDenial;
    }
}
