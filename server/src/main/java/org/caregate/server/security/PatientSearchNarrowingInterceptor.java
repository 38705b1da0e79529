package org.caregate.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import java.util.Set;

/**
 * Narrows every search on a Patient-compartment type to the permitted patients inside the query itself, so that
 * paging and {@code total} only ever count what the caller may see (filtering afterwards would leak through both).
 */
public final class PatientSearchNarrowingInterceptor extends SearchNarrowingInterceptor {

    private final PermittedPatients permittedPatients;

    public PatientSearchNarrowingInterceptor(PermittedPatients permittedPatients) {
        this.permittedPatients = permittedPatients;
    }

    @Override
    protected AuthorizedList buildAuthorizedList(RequestDetails request) {
        AccessContext context = AccessContext.find(request).orElse(null);
        if (context == null) {
            return null;
        }
        Set<String> patients = permittedPatients.of(context);
        AuthorizedList list = new AuthorizedList();
        if (patients.isEmpty()) {
            // no patient at all: a compartment nobody is in, so searches come back empty rather than unrestricted
            return list.addCompartment("Patient/caregate-no-permitted-patient");
        }
        return list.addCompartments(patients.stream().map(id -> "Patient/" + id).toArray(String[]::new));
    }
}
