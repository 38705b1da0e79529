package org.caregate.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * The validator checks CareGate's extension and code systems: against base R4 plus CareGate's definitions, with
 * extensions checked and terminology that cannot be checked offline reported as warnings.
 */
class ExtensionValidationTest {

    private final FhirValidator validator = TestValidation.base().newValidator();

    @Test
    void validateWhenPatientHasLegalIncapacityPeriodThenNoErrors() {
        Patient patient = patient();
        patient.addExtension(
                CareGateProfiles.LEGAL_INCAPACITY_EXTENSION,
                new Period().setStartElement(new DateTimeType("2021-11-21")));

        assertThat(TestValidation.errors(validator, patient)).isEmpty();
    }

    @Test
    void validateWhenLegalIncapacityHasAStringThenError() {
        Patient patient = patient();
        patient.addExtension(CareGateProfiles.LEGAL_INCAPACITY_EXTENSION, new StringType("since 2021"));

        assertThat(TestValidation.errors(validator, patient))
                .anySatisfy(error ->
                        assertThat(error).contains("Patient.extension[0]").containsIgnoringCase("string"));
    }

    @Test
    void validateWhenLegalIncapacityPeriodHasNoStartThenError() {
        Patient patient = patient();
        patient.addExtension(
                CareGateProfiles.LEGAL_INCAPACITY_EXTENSION,
                new Period().setEndElement(new DateTimeType("2025-01-01")));

        assertThat(TestValidation.errors(validator, patient))
                .anySatisfy(error -> assertThat(error).contains("cg-li-1"));
    }

    @Test
    void validateWhenLegalIncapacityIsOnAnObservationThenError() {
        Observation observation = observation();
        observation.addExtension(
                CareGateProfiles.LEGAL_INCAPACITY_EXTENSION,
                new Period().setStartElement(new DateTimeType("2021-11-21")));

        assertThat(TestValidation.errors(validator, observation))
                .anySatisfy(error -> assertThat(error)
                        .contains(CareGateProfiles.LEGAL_INCAPACITY_EXTENSION)
                        .contains("not allowed"));
    }

    @Test
    void validateWhenPatientHasAnUnknownExtensionThenError() {
        Patient patient = patient();
        patient.addExtension(
                new Extension("https://fhir.caregate.example/StructureDefinition/no-such-thing", new StringType("x")));

        assertThat(TestValidation.errors(validator, patient))
                .anySatisfy(error -> assertThat(error).contains("no-such-thing"));
    }

    @Test
    void validateWhenGuardianshipBasisIsCourtAppointedThenNoErrors() {
        assertThat(TestValidation.errors(validator, guardian("court-appointed")))
                .isEmpty();
    }

    @Test
    void validateWhenGuardianshipBasisCodeIsUnknownThenError() {
        assertThat(TestValidation.errors(validator, guardian("self-appointed")))
                .anySatisfy(error -> assertThat(error).contains("self-appointed"));
    }

    @Test
    void validateWhenCodeSystemCannotBeCheckedOfflineThenWarningNotError() {
        Observation observation = observation();

        assertThat(TestValidation.errors(validator, observation)).isEmpty();
        assertThat(TestValidation.messages(validator, observation))
                .anySatisfy(message -> assertThat(message).startsWith("WARNING").contains("http://loinc.org"));
    }

    private static Patient patient() {
        Patient patient = new Patient();
        patient.setId("pat-test");
        patient.addIdentifier().setSystem(CareGateProfiles.MRN_SYSTEM).setValue("CG999999");
        patient.addName().setFamily("Test").addGiven("Pat");
        patient.setGender(AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType("1980-01-02"));
        return patient;
    }

    private static Observation observation() {
        Observation observation = new Observation();
        observation.setId("obs-test");
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate")));
        observation.setSubject(new Reference("Patient/pat-test"));
        observation.setValue(new Quantity()
                .setValue(72)
                .setUnit("/min")
                .setSystem("http://unitsofmeasure.org")
                .setCode("/min"));
        return observation;
    }

    private static RelatedPerson guardian(String basis) {
        RelatedPerson guardian = new RelatedPerson();
        guardian.setId("rp-test");
        guardian.setActive(true);
        guardian.setPatient(new Reference("Patient/pat-test"));
        guardian.addRelationship(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "GUARD", "guardian")));
        guardian.addRelationship(new CodeableConcept(
                new Coding(CareGateProfiles.GUARDIANSHIP_BASIS_SYSTEM, basis, "Court-appointed guardian")));
        return guardian;
    }
}
