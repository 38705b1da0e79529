package org.caregate.server.personas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * Dr. Nadia Haddad ({@code dr.haddad}), GP at the south clinic, is also the patient {@code pat-dr-south}, whose GP
 * organisation is her own clinic: with her professional access she sees Erin and Frank, never her own record, and
 * not Dan (last seen 14 months ago).
 */
class PractitionerWhoIsAlsoPatientTest extends PersonaTest {

    private static final String OWN_RECORD = "pat-dr-south";

    private IGenericClient haddad() {
        return fhirClient(token("dr.haddad", USER_SCOPES, null));
    }

    @Test
    void searchPatientsThenErinAndFrankButNotHerOwnRecord() {
        Bundle patients = haddad().search()
                .byUrl("Patient?_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(patients)).containsExactlyInAnyOrder("Patient/pat-adult-erin", "Patient/pat-adult-frank");
        assertThat(patients.getTotal()).isEqualTo(2);
    }

    @Test
    void readWhenOwnPatientRecordThenForbiddenNamingTheCareRelationshipRule() {
        assertThatThrownBy(() -> haddad().read()
                        .resource(Patient.class)
                        .withId(OWN_RECORD)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'care-relationship'")
                .hasMessageContaining("your own records");
    }

    @Test
    void readWhenOwnPatientRecordInSpanishThenDenialInSpanish() {
        assertThatThrownBy(() -> spanishClient(token("dr.haddad", USER_SCOPES, null))
                        .read()
                        .resource(Patient.class)
                        .withId(OWN_RECORD)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Acceso denegado por la regla 'care-relationship'")
                .hasMessageContaining("sus propios registros");
    }

    @Test
    void searchWhenOwnRecordByIdentifierOrCompartmentThenNoResults() {
        Bundle byUser = haddad().search()
                .byUrl("Patient?identifier=https://fhir.caregate.example/sid/user|dr.haddad&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();
        Bundle observations = haddad().search()
                .byUrl("Observation?patient=" + OWN_RECORD + "&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(byUser.getEntry()).isEmpty();
        assertThat(byUser.getTotal()).isZero();
        assertThat(observations.getEntry()).isEmpty();
        assertThat(observations.getTotal()).isZero();
    }

    @Test
    void everythingWhenOwnRecordThenForbidden() {
        assertThatThrownBy(() -> haddad().search()
                        .byUrl(FHIR_BASE + "/Patient/" + OWN_RECORD + "/$everything?_count=200")
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void searchObservationsThenOnlyErinsAndFranksIncludingFranksPreliminaryXrayForHisDoctor() {
        Bundle observations = haddad().search()
                .byUrl("Observation?_count=100&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();
        Bundle reports = haddad().search()
                .byUrl("DiagnosticReport?patient=pat-adult-frank")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(patientsIn(observations)).containsExactlyInAnyOrder("pat-adult-erin", "pat-adult-frank");
        assertThat(observations.getTotal()).isEqualTo(observations.getEntry().size());
        assertThat(ids(reports)).contains("DiagnosticReport/dr-frank-cxr-prelim");
    }

    @Test
    void readWhenNoRecentEncounterThenForbidden() {
        assertThatThrownBy(() -> haddad().read()
                        .resource(Patient.class)
                        .withId("pat-adult-dan")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'care-relationship'");
    }
}
