package org.caregate.server.access;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.caregate.consent.Requester;

/**
 * Who asks, in every role their account holds. Most accounts hold one role; a patient who is also a parent
 * (Maria Garcia: {@code Patient/pat-parent-garcia} with four {@code RelatedPerson}s linked to her username) holds two:
 * herself and the guardian of her children. consent-rules gives one request one {@link Requester}, so the server
 * decides each role on its own and permits when one of them permits ({@link PatientAccess}). An empty list is an
 * account that may not act at all (suspended or terminated patient and related-person accounts).
 *
 * @param roles the requester in each role, most specific first (own record, then guardianships)
 */
public record RequesterRoles(List<Requester> roles) {

    public RequesterRoles {
        roles = List.copyOf(roles);
    }

    /** One role. */
    public static RequesterRoles of(Requester requester) {
        return new RequesterRoles(List.of(requester));
    }

    /** No role at all: every patient is denied. */
    public static RequesterRoles none() {
        return new RequesterRoles(List.of());
    }

    /** The patients any of the roles could possibly be permitted to see. */
    public Set<String> candidatePatientIds() {
        Set<String> ids = new LinkedHashSet<>();
        roles.forEach(role -> ids.addAll(role.candidatePatientIds()));
        return Set.copyOf(ids);
    }

    /** The roles in which this patient is a candidate (empty if none is). */
    List<Requester> rolesFor(String patientId) {
        return roles.stream().filter(role -> role.candidatePatientIds().contains(patientId)).toList();
    }
}
