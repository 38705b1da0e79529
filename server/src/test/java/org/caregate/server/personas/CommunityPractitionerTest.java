package org.caregate.server.personas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Dr. Samuel Okafor ({@code dr.okafor}), GP at the north clinic, with {@code user/*.cruds}: the patients he or his
 * clinic has an active care relationship with (Alice yes), not Carol (her Consent refuses him and his clinic), not
 * Dan (no relationship); and Linda Chen ({@code linda}), office staff, acting for the clinic.
 */
class CommunityPractitionerTest extends PersonaTest {

    static final Set<String> NORTH_CLINIC = Set.of(
            "Patient/pat-parent-garcia",
            "Patient/pat-family-4",
            "Patient/pat-family-11",
            "Patient/pat-family-13",
            "Patient/pat-family-17",
            "Patient/pat-adult-alice",
            "Patient/pat-adult-bob",
            "Patient/pat-incapacitated");
    private static final String CAROL = "pat-adult-carol";

    private IGenericClient okafor() {
        return fhirClient(token("dr.okafor", USER_WRITE_SCOPES, null));
    }

    private static Observation bloodPressureNoteFor(String patientId) {
        Observation note = new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setSubject(new Reference("Patient/" + patientId));
        note.getCode().setText("persona test: blood pressure noted by phone");
        return note;
    }

    @Test
    void searchPatientsThenExactlyTheNorthClinicsPatientsAndTotalMatches() {
        Bundle patients = okafor().search()
                .byUrl("Patient?_count=100&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(patients)).containsExactlyInAnyOrderElementsOf(NORTH_CLINIC);
        assertThat(patients.getTotal()).isEqualTo(NORTH_CLINIC.size());
    }

    @Test
    void readWhenCareRelationshipThenReturned() {
        assertThat(okafor().read()
                        .resource(Patient.class)
                        .withId("pat-adult-alice")
                        .execute()
                        .getIdElement()
                        .getIdPart())
                .isEqualTo("pat-adult-alice");
    }

    @Test
    void readWhenPatientOptedOutThenForbiddenNamingTheOptOutRule() {
        assertThatThrownBy(() ->
                        okafor().read().resource(Patient.class).withId(CAROL).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'patient-opt-out'")
                .hasMessageNotContaining("Johnson");
    }

    @Test
    void readWhenPatientOptedOutInSpanishThenDenialInSpanish() {
        assertThatThrownBy(() -> spanishClient(token("dr.okafor", USER_WRITE_SCOPES, null))
                        .read()
                        .resource(Patient.class)
                        .withId(CAROL)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Acceso denegado por la regla 'patient-opt-out'");
    }

    @Test
    void readWhenNoCareRelationshipThenForbiddenNamingTheCareRelationshipRule() {
        assertThatThrownBy(() -> okafor().read()
                        .resource(Patient.class)
                        .withId("pat-adult-dan")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'care-relationship'")
                .hasMessageContaining("care relationship");
    }

    @Test
    void searchWhenPatientOptedOutThenNoResults() {
        Bundle observations = okafor().search()
                .byUrl("Observation?patient=" + CAROL + "&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(observations.getEntry()).isEmpty();
        assertThat(observations.getTotal()).isZero();
    }

    @Test
    void createWhenPatientOptedOutThenForbiddenAndNothingStored() {
        assertThatThrownBy(() ->
                        okafor().create().resource(bloodPressureNoteFor(CAROL)).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule");

        var carolsObservations = daoRegistry
                .getResourceDao(Observation.class)
                .searchForResources(
                        SearchParameterMap.newSynchronous("patient", new ReferenceParam("Patient/" + CAROL)),
                        new SystemRequestDetails());
        assertThat(carolsObservations)
                .extracting(resource -> ((Observation) resource).getCode().getText())
                .doesNotContain(bloodPressureNoteFor(CAROL).getCode().getText());
    }

    @Test
    void createWhenCareRelationshipThenStored() {
        MethodOutcome created = okafor().create()
                .resource(bloodPressureNoteFor("pat-adult-bob"))
                .execute();

        assertThat(created.getCreated()).isTrue();
    }

    @Test
    void updateAndDeleteWhenPatientOptedOutThenForbidden() {
        Observation carols = bloodPressureNoteFor(CAROL);
        carols.setId("obs-carol-hr");

        assertThatThrownBy(() -> okafor().update().resource(carols).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> okafor().delete()
                        .resourceById("Observation", "obs-carol-hr")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void updateWhenMovingAPermittedPatientsObservationToTheOptedOutPatientThenForbidden() {
        MethodOutcome created = okafor().create()
                .resource(bloodPressureNoteFor("pat-adult-bob"))
                .execute();
        Observation moved = bloodPressureNoteFor(CAROL);
        moved.setId(created.getId().toUnqualifiedVersionless());

        assertThatThrownBy(() -> okafor().update().resource(moved).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThat(okafor().read()
                        .resource(Observation.class)
                        .withId(created.getId().toUnqualifiedVersionless())
                        .execute()
                        .getSubject()
                        .getReference())
                .isEqualTo("Patient/pat-adult-bob");
    }

    @Test
    void searchPatientsWhenOfficeStaffThenTheClinicsPatientsToo() {
        Bundle patients = fhirClient(token("linda", USER_SCOPES, null))
                .search()
                .byUrl("Patient?_count=100&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(patients)).containsExactlyInAnyOrderElementsOf(NORTH_CLINIC);
        assertThat(patients.getTotal()).isEqualTo(NORTH_CLINIC.size());
    }
}
