package org.caregate.consent;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A parent, legal guardian or court-appointed guardian ({@code fhirUser} is a {@code RelatedPerson}), with every
 * guardianship recorded for their account, active or not.
 *
 * @param guardianships the requester's guardianships, one per ward (or several, with different periods)
 */
public record GuardianRequester(List<Guardianship> guardianships) implements Requester {

    public GuardianRequester {
        guardianships = List.copyOf(guardianships);
    }

    /** A guardian with the given guardianships. */
    public static GuardianRequester of(Guardianship... guardianships) {
        return new GuardianRequester(List.of(guardianships));
    }

    /** The guardianships of this patient (whatever their period). */
    public List<Guardianship> guardianshipsOf(String patientId) {
        return guardianships.stream()
                .filter(g -> g.patientId().equals(patientId))
                .toList();
    }

    @Override
    public Set<String> candidatePatientIds() {
        return guardianships.stream().map(Guardianship::patientId).collect(Collectors.toUnmodifiableSet());
    }
}
