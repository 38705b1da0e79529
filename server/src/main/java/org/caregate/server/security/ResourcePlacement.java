package org.caregate.server.security;

import ca.uhn.fhir.context.FhirContext;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the access rules place a resource type: every type the server serves has exactly one place, checked at
 * start ({@link #requireEveryTypePlaced}); a type with none is refused to every token (deny by default).
 *
 * <ul>
 *   <li>{@link #PATIENT_COMPARTMENT}: a patient's record by the R4 Patient compartment definition (HAPI's copy of it,
 *       not a list of ours): reached only through the compartments of the patients a scope reaches;</li>
 *   <li>{@link #PATIENT_RECORD_BY_REFERENCE}: outside that definition, but a patient's record whenever it refers to
 *       one ({@code Binary.securityContext}, {@code Task.for}; {@link PatientOwners}); shown only if every patient it
 *       refers to is reached;</li>
 *   <li>{@link #CARE_SYSTEM}: describes the care system, not a patient (who, where, which medication, which
 *       service): readable with any read scope on it, also a wildcard one;</li>
 *   <li>{@link #DEFINITION}: conformance and knowledge resources (profiles, value sets, questionnaires): readable with
 *       any read scope on it, also a wildcard one.</li>
 * </ul>
 * A resource of a public place that refers to a patient is still that patient's record ({@link PatientOwners}): the
 * rule "every patient permitted" refuses it to anyone who may not see them.
 */
public enum ResourcePlacement {
    PATIENT_COMPARTMENT,
    PATIENT_RECORD_BY_REFERENCE,
    CARE_SYSTEM,
    DEFINITION;

    private static final Set<String> BY_REFERENCE = Set.of("Binary", "Task");
    private static final Set<String> CARE_SYSTEM_TYPES = Set.of(
            "Practitioner",
            "PractitionerRole",
            "Organization",
            "Location",
            "Medication",
            "Endpoint",
            "HealthcareService");
    private static final Set<String> DEFINITION_TYPES =
            Set.of("Questionnaire", "ValueSet", "CodeSystem", "StructureDefinition", "SearchParameter", "NamingSystem");

    /** The place of a resource type, or empty if the access rules do not place it (then nobody may reach it). */
    public static Optional<ResourcePlacement> of(FhirContext fhirContext, String type) {
        if (type == null || !fhirContext.getResourceTypes().contains(type)) {
            return Optional.empty();
        }
        if ("Patient".equals(type)
                || !fhirContext
                        .getResourceDefinition(type)
                        .getSearchParamsForCompartmentName("Patient")
                        .isEmpty()) {
            return Optional.of(PATIENT_COMPARTMENT);
        }
        if (BY_REFERENCE.contains(type)) {
            return Optional.of(PATIENT_RECORD_BY_REFERENCE);
        }
        if (CARE_SYSTEM_TYPES.contains(type)) {
            return Optional.of(CARE_SYSTEM);
        }
        if (DEFINITION_TYPES.contains(type)) {
            return Optional.of(DEFINITION);
        }
        return Optional.empty();
    }

    /** The types that a wildcard read scope reads whole: the care system's and the definitions. */
    static Set<String> publicTypes() {
        Set<String> types = new HashSet<>(CARE_SYSTEM_TYPES);
        types.addAll(DEFINITION_TYPES);
        return Set.copyOf(types);
    }

    /**
     * Fails (at start) when a served type has no place: a new type must be placed here, or in the Patient
     * compartment, before it can be served.
     */
    public static void requireEveryTypePlaced(FhirContext fhirContext, List<String> servedTypes) {
        List<String> unplaced = servedTypes.stream()
                .filter(type -> of(fhirContext, type).isEmpty())
                .toList();
        if (!unplaced.isEmpty()) {
            throw new IllegalStateException("The access rules do not place the served resource types " + unplaced
                    + ": add each to ResourcePlacement (patient record by reference, care system or definition) "
                    + "or stop serving it");
        }
    }
}
