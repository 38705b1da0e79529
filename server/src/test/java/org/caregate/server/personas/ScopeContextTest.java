package org.caregate.server.personas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.Test;

/**
 * SMART scopes are per context: a {@code patient/} scope reaches the launch patient only, whatever other scopes the
 * token holds. Dr. Okafor launches for Alice with {@code patient/*.rs} and {@code user/Practitioner.rs}: the user
 * scope lets him read practitioners, and must not widen his patient scopes to his whole panel.
 */
class ScopeContextTest extends PersonaTest {

    private static final String SCOPES = "openid fhirUser launch/patient patient/*.rs user/Practitioner.rs";

    private IGenericClient okaforForAlice() {
        return fhirClient(token("dr.okafor", SCOPES, "pat-adult-alice"));
    }

    @Test
    void searchPatientsWhenPatientScopesBesideAUserScopeThenOnlyTheLaunchPatient() {
        Bundle patients = okaforForAlice()
                .search()
                .byUrl("Patient?_count=100&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(patients)).containsExactly("Patient/pat-adult-alice");
        assertThat(patients.getTotal()).isEqualTo(1);
    }

    @Test
    void searchObservationsOfAnotherPanelPatientThenNone() {
        Bundle observations = okaforForAlice()
                .search()
                .byUrl("Observation?patient=pat-adult-bob&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(observations.getEntry()).isEmpty();
        assertThat(observations.getTotal()).isZero();
    }

    @Test
    void readAnotherPanelPatientThenForbidden() {
        // Bob is in Dr. Okafor's panel: a user/ scope on Patient would reach him, a patient/ scope does not
        assertThatThrownBy(() -> okaforForAlice()
                        .read()
                        .resource(Patient.class)
                        .withId("pat-adult-bob")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void readPractitionerThenTheUserScopeApplies() {
        Practitioner okafor = okaforForAlice()
                .read()
                .resource(Practitioner.class)
                .withId("prac-north-gp")
                .execute();

        assertThat(okafor.getIdElement().getIdPart()).isEqualTo("prac-north-gp");
    }
}
