package org.caregate.consent;

import java.util.Set;

/**
 * Who asks. One request has one requester, in one role; the server builds it from the token's {@code fhirUser} (or
 * client) and the relationships it resolved for this request. All ids are bare FHIR logical ids
 * ({@code "pat-family-4"}, not {@code "Patient/pat-family-4"}).
 */
public sealed interface Requester
        permits PatientRequester,
                GuardianRequester,
                PractitionerRequester,
                BackendClientRequester,
                SiteAdministratorRequester {

    /**
     * The patients this requester could possibly be permitted to see (own record, wards, care-relationship patients).
     * The server decides each of them with the policy, at the instant of the request, to build the permitted set;
     * a patient not in this set is never permitted.
     */
    Set<String> candidatePatientIds();
}
