package org.caregate.consent;

import java.util.Set;

/**
 * A patient asking about their own records ({@code fhirUser} is {@code Patient/<patientId>}).
 *
 * @param patientId the requester's own patient record, bare logical id
 */
public record PatientRequester(String patientId) implements Requester {

    public PatientRequester {
        LogicalIds.require(patientId, "patientId");
    }

    @Override
    public Set<String> candidatePatientIds() {
        return Set.of(patientId);
    }
}
