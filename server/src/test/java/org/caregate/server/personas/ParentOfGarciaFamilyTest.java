package org.caregate.server.personas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * Maria Garcia ({@code maria}), mother of Sofia (4), Mateo (11, turns 12 three days after loading), Lucia (13) and
 * Diego (17), and a patient herself: with {@code user/*.rs} she sees herself, Sofia and Mateo (until 00:00 facility
 * time on his 12th birthday), never Lucia or Diego; with a {@code patient/*.rs} launch of Sofia, only Sofia.
 */
class ParentOfGarciaFamilyTest extends PersonaTest {

    private static final String MARIA = "pat-parent-garcia";
    private static final String SOFIA = "pat-family-4";
    private static final String MATEO = "pat-family-11";
    private static final String LUCIA = "pat-family-13";
    private static final String DIEGO = "pat-family-17";

    private static String userToken() {
        return token("maria", USER_SCOPES, null);
    }

    private IGenericClient maria() {
        return fhirClient(userToken());
    }

    private IGenericClient sofiasApp() {
        return fhirClient(token("maria", PATIENT_SCOPES, SOFIA));
    }

    @Test
    void searchPatientsWhenUserScopesThenHerselfSofiaAndMateoOnly() {
        Bundle patients = maria().search()
                .byUrl("Patient?_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(patients)).containsExactlyInAnyOrder("Patient/" + MARIA, "Patient/" + SOFIA, "Patient/" + MATEO);
        assertThat(patients.getTotal()).isEqualTo(3);
    }

    @Test
    void searchPatientsByFamilyNameThenTheTeenagersAreNotCounted() {
        Bundle garcias = maria().search()
                .byUrl("Patient?family=Garcia&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(garcias)).doesNotContain("Patient/" + LUCIA, "Patient/" + DIEGO);
        assertThat(garcias.getTotal()).isEqualTo(3);
    }

    @Test
    void readWhenThirteenYearOldThenForbiddenNamingTheGuardianRule() {
        assertThatThrownBy(() ->
                        maria().read().resource(Patient.class).withId(LUCIA).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'guardian'")
                .hasMessageContaining("aged 12 to 17")
                .hasMessageNotContaining("Lucia");
    }

    @Test
    void readWhenSeventeenYearOldInSpanishThenDenialInSpanish() {
        assertThatThrownBy(() -> spanishClient(userToken())
                        .read()
                        .resource(Patient.class)
                        .withId(DIEGO)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Acceso denegado por la regla 'guardian'")
                .hasMessageContaining("de 12 a 17 años");
    }

    @Test
    void searchWhenGuardianOfThirteenYearOldThenNoResults() {
        Bundle observations = maria().search()
                .byUrl("Observation?patient=" + LUCIA + "&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(observations.getEntry()).isEmpty();
        assertThat(observations.getTotal()).isZero();
    }

    @Test
    void searchObservationsThenOnlyHerselfSofiaAndMateoAndTotalMatches() {
        Bundle observations = maria().search()
                .byUrl("Observation?_count=100&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(patientsIn(observations)).containsExactlyInAnyOrder(MARIA, SOFIA, MATEO);
        assertThat(observations.getTotal()).isEqualTo(observations.getEntry().size());
    }

    @Test
    void searchCoverageWhenSheSubscribesForAllFourChildrenThenOnlyTheYoungerChildrensCoverage() {
        Bundle coverage = maria().search()
                .byUrl("Coverage?_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(coverage))
                .contains("Coverage/cov-maria", "Coverage/cov-sofia", "Coverage/cov-mateo")
                .doesNotContain("Coverage/cov-lucia", "Coverage/cov-diego");
        assertThat(coverage.getTotal()).isEqualTo(coverage.getEntry().size());
    }

    @Test
    void includeWhenHerRelatedPersonsThenOnlyTheYoungerChildren() {
        Bundle relatedPersons = maria().search()
                .byUrl("RelatedPerson?_include=RelatedPerson:patient")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(relatedPersons))
                .containsExactlyInAnyOrder(
                        "RelatedPerson/rp-garcia-for-4",
                        "RelatedPerson/rp-garcia-for-11",
                        "Patient/" + SOFIA,
                        "Patient/" + MATEO);
    }

    @Test
    void everythingWhenFourYearOldThenHerWholeRecord() {
        Bundle everything = maria().search()
                .byUrl(FHIR_BASE + "/Patient/" + SOFIA + "/$everything?_count=200")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(everything))
                .contains(
                        "Immunization/imm-sofia-mmr",
                        "AllergyIntolerance/alg-sofia-peanut",
                        "Condition/cond-sofia-otitis");
        assertThat(patientsIn(everything)).doesNotContain(LUCIA, DIEGO);
    }

    @Test
    void everythingWhenThirteenYearOldThenForbidden() {
        assertThatThrownBy(() -> maria().search()
                        .byUrl(FHIR_BASE + "/Patient/" + LUCIA + "/$everything?_count=200")
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("guardian");
    }

    @Test
    void batchWhenOneEntryIsTheThirteenYearOldThenThatEntryAloneIsRefused() {
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/" + SOFIA);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/" + LUCIA);

        Bundle response = maria().transaction().withBundle(batch).execute();

        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("200");
        assertThat(response.getEntry().get(0).getResource()).isInstanceOf(Patient.class);
        assertThat(response.getEntry().get(0).getResource().getIdElement().getIdPart())
                .isEqualTo(SOFIA);
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("403");
        assertThat(response.getEntry().get(1).hasResource()).isFalse();
    }

    @Test
    void patientLaunchOfFourYearOldThenOnlySofia() {
        Bundle patients = sofiasApp()
                .search()
                .byUrl("Patient?_total=accurate")
                .returnBundle(Bundle.class)
                .execute();
        Bundle observations = sofiasApp()
                .search()
                .byUrl("Observation?_count=100")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(ids(patients)).containsExactly("Patient/" + SOFIA);
        assertThat(patientsIn(observations)).containsExactly(SOFIA);
        assertThatThrownBy(() ->
                        sofiasApp().read().resource(Patient.class).withId(MARIA).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() ->
                        sofiasApp().read().resource(Patient.class).withId(LUCIA).execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void readWhenMateoTurnsTwelveThenRefusedFromMidnightFacilityTimeWithTheSameToken() {
        Instant birthday = twelfthBirthdayOfMateo();
        clock.moveTo(birthday.minusSeconds(90));
        IGenericClient maria = fhirClient(issuedNow(userToken()));

        assertThat(maria.read()
                        .resource(Patient.class)
                        .withId(MATEO)
                        .execute()
                        .getIdElement()
                        .getIdPart())
                .isEqualTo(MATEO);
        assertThat(maria.search()
                        .byUrl("Observation?patient=" + MATEO)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .isNotEmpty();

        clock.moveTo(birthday);
        assertThatThrownBy(
                        () -> maria.read().resource(Patient.class).withId(MATEO).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("Access denied by rule 'guardian'");
        Bundle observations = maria.search()
                .byUrl("Observation?patient=" + MATEO + "&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(observations.getEntry()).isEmpty();
        assertThat(observations.getTotal()).isZero();
        assertThat(ids(maria.search()
                        .byUrl("Patient")
                        .returnBundle(Bundle.class)
                        .execute()))
                .containsExactlyInAnyOrder("Patient/" + MARIA, "Patient/" + SOFIA);
    }

    @Test
    void patientLaunchOfMateoWhenHeTurnsTwelveThenTheAppSeesNothingFromMidnight() {
        String launchToken = token("maria", PATIENT_SCOPES, MATEO);
        Instant birthday = twelfthBirthdayOfMateo();
        clock.moveTo(birthday.minusSeconds(1));
        IGenericClient mateosApp = fhirClient(issuedNow(launchToken));
        assertThat(ids(mateosApp
                        .search()
                        .byUrl("Patient")
                        .returnBundle(Bundle.class)
                        .execute()))
                .containsExactly("Patient/" + MATEO);

        clock.moveTo(birthday.plusSeconds(1));
        assertThat(mateosApp
                        .search()
                        .byUrl("Patient?_total=accurate")
                        .returnBundle(Bundle.class)
                        .execute()
                        .getTotal())
                .isZero();
        assertThatThrownBy(() ->
                        mateosApp.read().resource(Patient.class).withId(MATEO).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("guardian");
    }
}
