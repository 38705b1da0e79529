package org.caregate.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.IQuery;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/**
 * The US Core SHALL searches that clients expect, run with HAPI's generic client against the seed data, as the
 * north clinic's community EHR (SMART Backend Services, {@code system/*.rs}): every patient below is one of the
 * clinic's. Expected ids come from seed-data/README.md.
 */
class UsCoreSearchTest extends FullStackTest {

    private static String token;

    private static final String MRN = "https://fhir.caregate.example/sid/mrn";
    private static final String LOINC = "http://loinc.org";
    private static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    private List<String> ids(IQuery<?> query) {
        Bundle bundle = query.returnBundle(Bundle.class).execute();
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .map(resource -> resource.getResourceType().name() + "/"
                        + resource.getIdElement().getIdPart())
                .toList();
    }

    private IGenericClient client() {
        if (token == null) {
            token = tokens().backendToken("system/*.rs");
        }
        return fhirClient(token);
    }

    @Test
    void patientSearchById() {
        assertThat(ids(client().search()
                        .forResource(Patient.class)
                        .where(Patient.RES_ID.exactly().code("pat-adult-alice"))))
                .containsExactly("Patient/pat-adult-alice");
    }

    @Test
    void patientSearchByMrnIdentifier() {
        assertThat(ids(client().search()
                        .forResource(Patient.class)
                        .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(MRN, "CG100031"))))
                .containsExactly("Patient/pat-adult-bob");
    }

    @Test
    void patientSearchByName() {
        assertThat(ids(client().search()
                        .forResource(Patient.class)
                        .where(Patient.NAME.matches().value("Garcia"))))
                .containsExactlyInAnyOrder(
                        "Patient/pat-parent-garcia",
                        "Patient/pat-family-4",
                        "Patient/pat-family-11",
                        "Patient/pat-family-13",
                        "Patient/pat-family-17");
    }

    @Test
    void patientSearchByBirthdateAndName() {
        Patient sofia =
                client().read().resource(Patient.class).withId("pat-family-4").execute();
        assertThat(ids(client().search()
                        .forResource(Patient.class)
                        .where(Patient.BIRTHDATE
                                .exactly()
                                .day(sofia.getBirthDateElement().getValueAsString()))
                        .and(Patient.NAME.matches().value("Garcia"))))
                .containsExactly("Patient/pat-family-4");
    }

    @Test
    void patientSearchByGenderAndName() {
        assertThat(ids(client().search()
                        .forResource(Patient.class)
                        .where(Patient.GENDER.exactly().code(Enumerations.AdministrativeGender.MALE.toCode()))
                        .and(Patient.NAME.matches().value("Garcia"))))
                .containsExactlyInAnyOrder("Patient/pat-family-11", "Patient/pat-family-17");
    }

    @Test
    void observationSearchByPatientAndCategory() {
        assertThat(ids(client().search()
                        .forResource(Observation.class)
                        .where(Observation.PATIENT.hasId("pat-adult-alice"))
                        .and(Observation.CATEGORY.exactly().systemAndCode(OBSERVATION_CATEGORY, "laboratory"))))
                .containsExactlyInAnyOrder(
                        "Observation/obs-alice-hgb",
                        "Observation/obs-alice-ferritin",
                        "Observation/obs-alice-hgb-followup");
    }

    @Test
    void observationSearchByPatientCategoryAndDate() {
        String lastMonth =
                LocalDate.now(ZoneId.of("America/Los_Angeles")).minusMonths(1).toString();
        assertThat(ids(client().search()
                        .forResource(Observation.class)
                        .where(Observation.PATIENT.hasId("pat-adult-alice"))
                        .and(Observation.CATEGORY.exactly().code("laboratory"))
                        .and(Observation.DATE.afterOrEquals().day(lastMonth))))
                .containsExactly("Observation/obs-alice-hgb-followup");
    }

    @Test
    void observationSearchByPatientAndCode() {
        assertThat(ids(client().search()
                        .forResource(Observation.class)
                        .where(Observation.PATIENT.hasId("pat-adult-alice"))
                        .and(Observation.CODE.exactly().systemAndCode(LOINC, "718-7"))))
                .containsExactlyInAnyOrder("Observation/obs-alice-hgb", "Observation/obs-alice-hgb-followup");
    }

    @Test
    void medicationRequestSearchByPatientAndIntent() {
        assertThat(ids(client().search()
                        .forResource(MedicationRequest.class)
                        .where(MedicationRequest.PATIENT.hasId("pat-adult-bob"))
                        .and(MedicationRequest.INTENT.exactly().code("order"))))
                .containsExactlyInAnyOrder(
                        "MedicationRequest/mr-bob-amlodipine",
                        "MedicationRequest/mr-bob-lisinopril",
                        "MedicationRequest/mr-bob-atorvastatin");
    }

    @Test
    void medicationRequestSearchByPatientIntentAndStatusIncludingMedication() {
        assertThat(ids(client().search()
                        .forResource(MedicationRequest.class)
                        .where(MedicationRequest.PATIENT.hasId("pat-adult-bob"))
                        .and(MedicationRequest.INTENT.exactly().code("order"))
                        .and(MedicationRequest.STATUS.exactly().code("active"))
                        .include(MedicationRequest.INCLUDE_MEDICATION)))
                .containsExactlyInAnyOrder(
                        "MedicationRequest/mr-bob-lisinopril",
                        "MedicationRequest/mr-bob-atorvastatin",
                        "Medication/med-lisinopril-10",
                        "Medication/med-atorvastatin-20");
    }

    @Test
    void serviceRequestSearchByPatientCategoryCodeAndAuthored() {
        String lastMonth =
                LocalDate.now(ZoneId.of("America/Los_Angeles")).minusMonths(1).toString();
        assertThat(ids(client().search()
                        .forResource(ServiceRequest.class)
                        .where(ServiceRequest.PATIENT.hasId("pat-adult-bob"))))
                .contains("ServiceRequest/sr-bob-cardiology");
        assertThat(ids(client().search()
                        .forResource(ServiceRequest.class)
                        .where(ServiceRequest.PATIENT.hasId("pat-adult-bob"))
                        .and(ServiceRequest.CATEGORY.exactly().systemAndCode("http://snomed.info/sct", "3457005"))))
                .containsExactly("ServiceRequest/sr-bob-cardiology");
        assertThat(ids(client().search()
                        .forResource(ServiceRequest.class)
                        .where(ServiceRequest.PATIENT.hasId("pat-adult-bob"))
                        .and(ServiceRequest.CODE.exactly().systemAndCode("http://snomed.info/sct", "183519002"))))
                .containsExactly("ServiceRequest/sr-bob-cardiology");
        assertThat(ids(client().search()
                        .forResource(ServiceRequest.class)
                        .where(ServiceRequest.PATIENT.hasId("pat-adult-bob"))
                        .and(ServiceRequest.CATEGORY.exactly().code("3457005"))
                        .and(ServiceRequest.AUTHORED.afterOrEquals().day(lastMonth))))
                .containsExactly("ServiceRequest/sr-bob-cardiology");
        assertThat(ids(client().search()
                        .forResource(ServiceRequest.class)
                        .where(ServiceRequest.PATIENT.hasId("pat-adult-bob"))
                        .and(ServiceRequest.AUTHORED.before().day(lastMonth))))
                .doesNotContain("ServiceRequest/sr-bob-cardiology");
    }

    @Test
    void coverageSearchByPatient() {
        assertThat(ids(client().search().forResource(Coverage.class).where(Coverage.PATIENT.hasId("pat-adult-bob"))))
                .containsExactly("Coverage/cov-bob");
    }
}
