package org.caregate.server.access;

import java.util.ArrayList;
import java.util.Collections;
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
 */
public final class RequesterRoles {

    private final List<Requester> roles;
    /** The candidates of each role, computed once: a panel of thousands is asked about once per patient. */
    private final List<Set<String>> candidatesOfRole;

    private final Set<String> candidates;

    /** @param roles the requester in each role, most specific first (own record, then guardianships) */
    public RequesterRoles(List<Requester> roles) {
        this.roles = List.copyOf(roles);
        this.candidatesOfRole =
                this.roles.stream().map(Requester::candidatePatientIds).toList();
        if (candidatesOfRole.size() == 1) {
            this.candidates = candidatesOfRole.get(0);
        } else {
            Set<String> all = new LinkedHashSet<>();
            candidatesOfRole.forEach(all::addAll);
            this.candidates = Collections.unmodifiableSet(all);
        }
    }

    /** One role. */
    public static RequesterRoles of(Requester requester) {
        return new RequesterRoles(List.of(requester));
    }

    /** No role at all: every patient is denied. */
    public static RequesterRoles none() {
        return new RequesterRoles(List.of());
    }

    /** The requester in each role, most specific first. */
    public List<Requester> roles() {
        return roles;
    }

    /** The patients any of the roles could possibly be permitted to see. */
    public Set<String> candidatePatientIds() {
        return candidates;
    }

    /** The roles in which this patient is a candidate (empty if none is). */
    List<Requester> rolesFor(String patientId) {
        if (roles.size() == 1) {
            return candidates.contains(patientId) ? roles : List.of();
        }
        List<Requester> matching = new ArrayList<>(roles.size());
        for (int i = 0; i < roles.size(); i++) {
            if (candidatesOfRole.get(i).contains(patientId)) {
                matching.add(roles.get(i));
            }
        }
        return matching;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RequesterRoles that && roles.equals(that.roles);
    }

    @Override
    public int hashCode() {
        return roles.hashCode();
    }

    @Override
    public String toString() {
        return "RequesterRoles" + roles;
    }
}
