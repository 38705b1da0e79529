package org.caregate.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CareGate Patient profile (on US Core Patient 6.1.0); needs the US Core package, skipped without it. */
class CareGatePatientProfileTest {

    private FhirValidator validator;

    @BeforeEach
    void usCore() {
        validator = TestValidation.requireUsCore().newValidator();
    }

    @Test
    void validateWhenPatientHasMrnAndLegalIncapacityThenNoErrorsAndTheExtensionMatchesItsSlice() {
        Patient patient = patient();
        patient.addIdentifier().setSystem(CareGateProfiles.MRN_SYSTEM).setValue("CG999999");
        patient.addIdentifier().setSystem(CareGateProfiles.USER_SYSTEM).setValue("pat.test");
        patient.addExtension(
                CareGateProfiles.LEGAL_INCAPACITY_EXTENSION,
                new Period().setStartElement(new DateTimeType("2021-11-21")));

        assertThat(TestValidation.messages(validator, patient))
                .noneMatch(message -> message.startsWith("ERROR") || message.startsWith("FATAL"))
                .noneMatch(message -> message.contains("does not match any known slice"));
    }

    @Test
    void validateWhenPatientHasNoMrnThenError() {
        Patient patient = patient();
        patient.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.4.1").setValue("123-45-6789");

        assertThat(TestValidation.errors(validator, patient))
                .anySatisfy(error ->
                        assertThat(error).contains("Patient.identifier:mrn").contains("required"));
    }

    @Test
    void validateWhenPatientHasTwoUsernamesThenError() {
        Patient patient = patient();
        patient.addIdentifier().setSystem(CareGateProfiles.MRN_SYSTEM).setValue("CG999999");
        patient.addIdentifier().setSystem(CareGateProfiles.USER_SYSTEM).setValue("one");
        patient.addIdentifier().setSystem(CareGateProfiles.USER_SYSTEM).setValue("two");

        assertThat(TestValidation.errors(validator, patient))
                .anySatisfy(error -> assertThat(error).contains("Patient.identifier:username"));
    }

    @Test
    void validateWhenPatientLacksUsCoreElementsThenErrorsFromUsCore() {
        Patient patient = new Patient();
        patient.setId("pat-test");
        patient.getMeta().addProfile(CareGateProfiles.PATIENT_PROFILE);
        patient.addIdentifier().setSystem(CareGateProfiles.MRN_SYSTEM).setValue("CG999999");

        assertThat(TestValidation.errors(validator, patient))
                .anySatisfy(error -> assertThat(error).contains("Patient.name: minimum required = 1"))
                .anySatisfy(error -> assertThat(error).contains("Patient.gender: minimum required = 1"));
    }

    private static Patient patient() {
        Patient patient = new Patient();
        patient.setId("pat-test");
        patient.getMeta().addProfile(CareGateProfiles.PATIENT_PROFILE);
        patient.addName().setFamily("Test").addGiven("Pat");
        patient.setGender(AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType("1980-01-02"));
        return patient;
    }
}
