package org.caregate.server.personas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * Susan Kim ({@code susan}), court-appointed guardian of her brother Kevin Kim (46, legally incapacitated), sees
 * Kevin's record; Patricia Lowe ({@code patricia}), whose guardianship of Kevin ended three years ago, and Karen Lee
 * ({@code karen}), mother of an 18-year-old who is not incapacitated, see nothing.
 */
class GuardianOfIncapacitatedAdultTest extends PersonaTest {

    private static final String KEVIN = "pat-incapacitated";

    private IGenericClient susan() {
        return fhirClient(token("susan", USER_SCOPES, null));
    }

    private IGenericClient patricia() {
        return fhirClient(token("patricia", USER_SCOPES, null));
    }

    @Test
    void searchPatientsWhenActiveGuardianThenKevinOnly() {
        Bundle patients = susan().search()
                .byUrl("Patient?_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(patients)).containsExactly("Patient/" + KEVIN);
        assertThat(patients.getTotal()).isEqualTo(1);
    }

    @Test
    void searchObservationsWhenActiveGuardianThenKevinsAndTotalMatches() {
        Bundle observations = susan().search()
                .byUrl("Observation?_count=100&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(observations)).contains("Observation/obs-kevin-hr", "Observation/obs-kevin-wbc");
        assertThat(patientsIn(observations)).containsExactly(KEVIN);
        assertThat(observations.getTotal()).isEqualTo(observations.getEntry().size());
    }

    @Test
    void everythingWhenActiveGuardianThenKevinsRecordWithTheReleasedXray() {
        Bundle everything = susan().search()
                .byUrl(FHIR_BASE + "/Patient/" + KEVIN + "/$everything?_count=200")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(everything))
                .contains("Condition/cond-kevin-tbi", "DiagnosticReport/dr-kevin-cxr", "CareTeam/ct-kevin-care");
        assertThat(patientsIn(everything)).containsExactly(KEVIN);
    }

    @Test
    void readWhenActiveGuardianReadsSomeoneElseThenForbiddenNamingTheRule() {
        assertThatThrownBy(() -> susan().read()
                        .resource(Patient.class)
                        .withId("pat-adult-alice")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule '");
    }

    @Test
    void readWhenGuardianshipEndedThenForbiddenNamingTheGuardianRule() {
        assertThatThrownBy(() ->
                        patricia().read().resource(Patient.class).withId(KEVIN).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'guardian'")
                .hasMessageContaining("not active");
    }

    @Test
    void readWhenGuardianshipEndedInSpanishThenDenialInSpanish() {
        assertThatThrownBy(() -> spanishClient(token("patricia", USER_SCOPES, null))
                        .read()
                        .resource(Patient.class)
                        .withId(KEVIN)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Acceso denegado por la regla 'guardian'")
                .hasMessageContaining("no está vigente");
    }

    @Test
    void searchWhenGuardianshipEndedThenNoResultsAndZeroTotal() {
        Bundle patients = patricia()
                .search()
                .byUrl("Patient?_total=accurate")
                .returnBundle(Bundle.class)
                .execute();
        Bundle observations = patricia()
                .search()
                .byUrl("Observation?patient=" + KEVIN + "&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(patients.getEntry()).isEmpty();
        assertThat(patients.getTotal()).isZero();
        assertThat(observations.getEntry()).isEmpty();
        assertThat(observations.getTotal()).isZero();
    }

    @Test
    void readWhenMotherOfAnAdultWhoIsNotIncapacitatedThenForbiddenNamingTheGuardianRule() {
        IGenericClient karen = fhirClient(token("karen", USER_SCOPES, null));

        assertThatThrownBy(() -> karen.read()
                        .resource(Patient.class)
                        .withId("pat-adult-18")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'guardian'")
                .hasMessageContaining("adult");
        assertThat(karen.search()
                        .byUrl("Patient?_total=accurate")
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal())
                .isZero();
    }
}
