package org.caregate.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Binary;

/**
 * Whose record a resource is: the one place that decides which patients' compartments a resource is in, used by
 * the authorization rules, {@code $everything} and audit.
 *
 * <p>A resource is the record of every patient it refers to, whatever the R4 Patient compartment definition
 * omits: a Patient is its own; an Observation its subject's and performer's if that is a patient; a
 * {@code Task.for}, a {@code Binary.securityContext} or any other reference to a Patient makes the resource that
 * patient's too. A resource that refers to no patient is nobody's, and is visible only where a rule says so.
 * Computed once per resource and request.
 */
public final class PatientOwners {

    private static final String KEY = PatientOwners.class.getName();

    private PatientOwners() {}

    /** The bare ids of the patients whose record this resource is (empty for none). */
    public static Set<String> of(RequestDetails request, IBaseResource resource) {
        @SuppressWarnings("unchecked")
        Map<IBaseResource, Set<String>> known = (Map<IBaseResource, Set<String>>)
                request.getUserData().computeIfAbsent(KEY, key -> new IdentityHashMap<IBaseResource, Set<String>>());
        Set<String> owners = known.get(resource);
        if (owners == null) {
            owners = compute(request.getFhirContext().newTerser(), resource);
            known.put(resource, owners);
        }
        return owners;
    }

    /** The same, computed afresh (outside a request: Bulk Data export). */
    public static Set<String> of(FhirContext fhirContext, IBaseResource resource) {
        return compute(fhirContext.newTerser(), resource);
    }

    private static Set<String> compute(FhirTerser terser, IBaseResource resource) {
        Set<String> owners = new LinkedHashSet<>();
        if ("Patient".equals(resource.fhirType()) && resource.getIdElement().hasIdPart()) {
            owners.add(resource.getIdElement().getIdPart());
        }
        if (resource instanceof Binary binary && binary.hasSecurityContext()) {
            addIfPatient(binary.getSecurityContext().getReferenceElement(), owners);
        }
        for (ResourceReferenceInfo reference : terser.getAllResourceReferences(resource)) {
            IBaseReference value = reference.getResourceReference();
            addIfPatient(value.getReferenceElement(), owners);
            if (value.getResource() != null && value.getResource().getIdElement() != null) {
                addIfPatient(value.getResource().getIdElement(), owners);
            }
        }
        return Set.copyOf(owners);
    }

    private static void addIfPatient(IIdType reference, Set<String> owners) {
        if (reference != null
                && "Patient".equals(reference.getResourceType())
                && reference.hasIdPart()
                && !reference.isLocal()) {
            owners.add(reference.getIdPart());
        }
    }
}
