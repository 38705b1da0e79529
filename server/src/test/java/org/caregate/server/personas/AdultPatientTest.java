package org.caregate.server.personas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Alice Nguyen (34, {@code alice}), through a patient app launched for herself with {@code patient/*.rs}: her own
 * record, nobody else's, and no preliminary lab result.
 */
class AdultPatientTest extends PersonaTest {

    private static final String ALICE = "pat-adult-alice";

    private IGenericClient alice() {
        return fhirClient(token("alice", PATIENT_SCOPES, null));
    }

    @Test
    void readWhenOwnRecordThenReturned() {
        Patient patient = alice().read().resource(Patient.class).withId(ALICE).execute();

        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Nguyen");
    }

    @Test
    void readWhenAnotherPatientThenForbiddenNamingTheRule() {
        assertThatThrownBy(() -> alice().read()
                        .resource(Patient.class)
                        .withId("pat-adult-bob")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'deny-all'")
                .hasMessageNotContaining("Thompson");
    }

    @Test
    void readWhenAnotherPatientInSpanishThenDenialInSpanish() {
        assertThatThrownBy(() -> spanishClient(token("alice", PATIENT_SCOPES, null))
                        .read()
                        .resource(Patient.class)
                        .withId("pat-adult-bob")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Acceso denegado por la regla 'deny-all'");
    }

    @Test
    void searchObservationsThenOnlyHerOwnAndTotalCountsThemWithoutThePreliminaryLab() {
        Bundle observations = alice().search()
                .byUrl("Observation?_count=100&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(patientsIn(observations)).containsExactly(ALICE);
        assertThat(ids(observations))
                .contains("Observation/obs-alice-hgb", "Observation/obs-alice-hr")
                .doesNotContain("Observation/obs-alice-hgb-followup");
        assertThat(observations.getTotal()).isEqualTo(observations.getEntry().size());
    }

    @Test
    void searchWhenAskingForAnotherPatientThenNoResults() {
        Bundle observations = alice().search()
                .byUrl("Observation?patient=pat-adult-bob&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(observations.getEntry()).isEmpty();
        assertThat(observations.getTotal()).isZero();
    }

    @Test
    void searchPatientsThenOnlyHerself() {
        Bundle patients = alice().search()
                .byUrl("Patient?_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(patients)).containsExactly("Patient/" + ALICE);
        assertThat(patients.getTotal()).isEqualTo(1);
    }

    @Test
    void everythingWhenOwnRecordThenHerDataOnlyAndNotThePreliminaryLab() {
        Bundle everything = alice().search()
                .byUrl(FHIR_BASE + "/Patient/" + ALICE + "/$everything?_count=200")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(patientsIn(everything)).containsExactly(ALICE);
        assertThat(ids(everything))
                .contains("Condition/cond-alice-anemia", "DiagnosticReport/dr-alice-anemia-labs")
                .doesNotContain("Observation/obs-alice-hgb-followup", "DiagnosticReport/dr-alice-followup");
    }

    @Test
    void everythingWhenAnotherPatientThenForbidden() {
        assertThatThrownBy(() -> alice().search()
                        .byUrl(FHIR_BASE + "/Patient/pat-adult-bob/$everything?_count=200")
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void historyWhenAnotherPatientThenForbidden() {
        assertThatThrownBy(() -> alice().history()
                        .onInstance("Patient/pat-adult-bob")
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void createWhenTokenIsReadOnlyThenForbiddenNamingTheScopeNeeded() {
        Observation note = new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setSubject(new Reference("Patient/" + ALICE));
        note.getCode().setText("home blood pressure");

        assertThatThrownBy(() -> alice().create().resource(note).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("patient/Observation.c");
    }
}
