package org.caregate.server.personas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * The north clinic's backend service ({@code caregate-backend-north}, SMART Backend Services, {@code system/*.rs}):
 * the clinic's patients (Maria, the four Garcia children, Alice, Bob, Kevin), not Carol, who refused the clinic,
 * nor anyone without a relationship with it.
 */
class BackendClientTest extends PersonaTest {

    private static String token;

    private static String clinicToken() {
        if (token == null) {
            token = backendToken();
        }
        return token;
    }

    private IGenericClient clinic() {
        return fhirClient(clinicToken());
    }

    @Test
    void searchPatientsThenTheClinicsPatientsAndTotalMatches() {
        Bundle patients = clinic().search()
                .byUrl("Patient?_count=100&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(patients)).containsExactlyInAnyOrderElementsOf(CommunityPractitionerTest.NORTH_CLINIC);
        assertThat(patients.getTotal()).isEqualTo(CommunityPractitionerTest.NORTH_CLINIC.size());
    }

    @Test
    void readWhenPatientRefusedTheClinicThenForbiddenNamingTheOptOutRule() {
        assertThatThrownBy(() -> clinic().read()
                        .resource(Patient.class)
                        .withId("pat-adult-carol")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'patient-opt-out'");
    }

    @Test
    void readWhenPatientRefusedTheClinicInSpanishThenDenialInSpanish() {
        assertThatThrownBy(() -> spanishClient(clinicToken())
                        .read()
                        .resource(Patient.class)
                        .withId("pat-adult-carol")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Acceso denegado por la regla 'patient-opt-out'");
    }

    @Test
    void readWhenNoRelationshipThenForbiddenNamingTheBackendClientRule() {
        assertThatThrownBy(() -> clinic().read()
                        .resource(Patient.class)
                        .withId("pat-adult-frank")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'backend-client'");
    }

    @Test
    void searchObservationsThenOnlyTheClinicsPatientsAndNeverCarol() {
        Bundle observations = clinic().search()
                .byUrl("Observation?_count=200&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();
        Bundle carols = clinic().search()
                .byUrl("Observation?patient=pat-adult-carol&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(patientsIn(observations))
                .allSatisfy(patient ->
                        assertThat(CommunityPractitionerTest.NORTH_CLINIC).contains("Patient/" + patient));
        assertThat(observations.getTotal()).isEqualTo(observations.getEntry().size());
        assertThat(carols.getEntry()).isEmpty();
        assertThat(carols.getTotal()).isZero();
    }

    @Test
    void everythingWhenClinicsPatientThenHisRecordIncludingHeldResults() {
        Bundle everything = clinic().search()
                .byUrl(FHIR_BASE + "/Patient/pat-adult-alice/$everything?_count=200")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(patientsIn(everything))
                .contains("pat-adult-alice")
                .doesNotContain("pat-adult-carol")
                .allSatisfy(patient ->
                        assertThat(CommunityPractitionerTest.NORTH_CLINIC).contains("Patient/" + patient));
        assertThat(ids(everything)).contains("Observation/obs-alice-hgb-followup");
    }

    @Test
    void createWhenTokenHasOnlyReadScopesThenForbiddenNamingTheScopeNeeded() {
        Patient patient = new Patient();
        patient.addName().setFamily("Nobody");

        assertThatThrownBy(() -> clinic().create().resource(patient).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("system/Patient.c");
    }
}
