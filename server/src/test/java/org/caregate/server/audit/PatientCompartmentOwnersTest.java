package org.caregate.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** Patient-compartment owners from the compiled element paths, without Spring. */
class PatientCompartmentOwnersTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final PatientCompartmentOwners owners = new PatientCompartmentOwners(FHIR);

    private Set<String> ownersOf(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        Set<String> result = new LinkedHashSet<>();
        owners.addOwners(resource, result);
        return result;
    }

    @Test
    void everyPatientCompartmentParameterOfEveryR4TypeCompilesToAnElementPath() {
        List<String> unusable = new ArrayList<>();
        for (String type : FHIR.getResourceTypes()) {
            RuntimeResourceDefinition definition = FHIR.getResourceDefinition(type);
            for (RuntimeSearchParam parameter : definition.getSearchParamsForCompartmentName("Patient")) {
                for (String expression : parameter.getPathsSplitForResourceType(type)) {
                    String[] path = PatientCompartmentOwners.elementPath(expression, type);
                    boolean restrictedToAnotherType =
                            expression.contains("resolve() is ") && !expression.contains("resolve() is Patient");
                    if (path == null && !restrictedToAnotherType) {
                        unusable.add(type + ": " + expression);
                    }
                }
            }
        }
        assertThat(unusable).isEmpty();
    }

    @Test
    void observationWhenSubjectAndPerformerArePatientsThenBothOwnIt() {
        Observation observation = new Observation();
        observation.setSubject(new Reference("Patient/a"));
        observation.addPerformer(new Reference("Patient/b"));
        observation.addPerformer(new Reference("Practitioner/p"));
        assertThat(ownersOf(observation)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void observationWhenSubjectIsAGroupThenNoOwner() {
        Observation observation = new Observation();
        observation.setSubject(new Reference("Group/g"));
        assertThat(ownersOf(observation)).isEmpty();
    }

    @Test
    void patientOwnsItself() {
        Patient patient = new Patient();
        patient.setId("Patient/pat-1/_history/3");
        assertThat(ownersOf(patient)).containsExactly("pat-1");
    }

    @Test
    void nestedPathsAreWalked() {
        CarePlan plan = new CarePlan();
        plan.setSubject(new Reference("Patient/s"));
        plan.addActivity().getDetail().addPerformer(new Reference("Patient/q"));
        AuditEvent event = new AuditEvent();
        event.addEntity().setWhat(new Reference("Patient/e"));
        event.addAgent().setWho(new Reference("Practitioner/x"));
        assertThat(ownersOf(plan)).containsExactlyInAnyOrder("s", "q");
        assertThat(ownersOf(event)).containsExactly("e");
    }

    @Test
    void resourcesOutsideThePatientCompartmentHaveNoOwner() {
        Group group = new Group();
        group.addMember().setEntity(new Reference("Patient/m"));
        assertThat(ownersOf(new Practitioner())).isEmpty();
        // Group is in the Patient compartment through member.entity
        assertThat(ownersOf(group)).containsExactly("m");
    }
}
