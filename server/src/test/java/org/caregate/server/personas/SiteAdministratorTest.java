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
 * Priya Natarajan ({@code priya}), site administrator of the north clinic: the role manages staff accounts and
 * grants no patient data at all, even of the clinic's own patients; the care system (practitioners, organisations)
 * stays readable.
 */
class SiteAdministratorTest extends PersonaTest {

    private IGenericClient priya() {
        return fhirClient(token("priya", USER_SCOPES, null));
    }

    @Test
    void searchPatientsThenNoneAndZeroTotal() {
        Bundle patients = priya().search()
                .byUrl("Patient?_total=accurate")
                .returnBundle(Bundle.class)
                .execute();
        Bundle observations = priya().search()
                .byUrl("Observation?_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(patients.getEntry()).isEmpty();
        assertThat(patients.getTotal()).isZero();
        assertThat(observations.getEntry()).isEmpty();
        assertThat(observations.getTotal()).isZero();
    }

    @Test
    void readWhenOwnClinicsPatientThenForbiddenNamingTheRule() {
        assertThatThrownBy(() -> priya().read()
                        .resource(Patient.class)
                        .withId("pat-adult-alice")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'deny-all'");
    }

    @Test
    void readWhenOwnClinicsPatientInSpanishThenDenialInSpanish() {
        assertThatThrownBy(() -> spanishClient(token("priya", USER_SCOPES, null))
                        .read()
                        .resource(Patient.class)
                        .withId("pat-adult-alice")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Acceso denegado por la regla 'deny-all'");
    }

    @Test
    void everythingWhenOwnClinicsPatientThenForbidden() {
        assertThatThrownBy(() -> priya().search()
                        .byUrl(FHIR_BASE + "/Patient/pat-family-4/$everything?_count=200")
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void readWhenCareSystemResourceThenReturned() {
        assertThat(priya().read()
                        .resource(Practitioner.class)
                        .withId("prac-north-gp")
                        .execute()
                        .getNameFirstRep()
                        .getFamily())
                .isEqualTo("Okafor");
    }
}
