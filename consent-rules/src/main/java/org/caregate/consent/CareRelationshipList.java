package org.caregate.consent;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable list of care relationships, indexed by patient, so that deciding about one patient of a panel of
 * thousands looks at that patient's relationships only, and the panel's patients are known without a scan.
 * Requesters keep their relationships in one ({@link PractitionerRequester}, {@link BackendClientRequester}).
 */
public final class CareRelationshipList extends AbstractList<CareRelationship> {

    private final List<CareRelationship> all;
    private final Map<String, List<CareRelationship>> byPatient;

    private CareRelationshipList(List<CareRelationship> all) {
        this.all = all;
        Map<String, List<CareRelationship>> index = new LinkedHashMap<>();
        for (CareRelationship relationship : all) {
            index.computeIfAbsent(relationship.patientId(), id -> new ArrayList<>(2))
                    .add(relationship);
        }
        index.replaceAll((id, list) -> List.copyOf(list));
        this.byPatient = index;
    }

    /** The relationships as an indexed list (the same list if it already is one). */
    public static CareRelationshipList of(Collection<CareRelationship> relationships) {
        return relationships instanceof CareRelationshipList list
                ? list
                : new CareRelationshipList(List.copyOf(relationships));
    }

    /** The relationships about this patient, in list order. */
    public List<CareRelationship> of(String patientId) {
        return byPatient.getOrDefault(patientId, List.of());
    }

    /** The patients with at least one relationship, active or not. */
    public Set<String> patientIds() {
        return Collections.unmodifiableSet(byPatient.keySet());
    }

    @Override
    public CareRelationship get(int index) {
        return all.get(index);
    }

    @Override
    public int size() {
        return all.size();
    }
}
