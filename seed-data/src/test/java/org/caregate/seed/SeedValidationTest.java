package org.caregate.seed;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Every seed resource is valid against the base FHIR R4 StructureDefinitions (cardinalities, types, invariants,
 * required bindings to FHIR's own code systems). Offline: external code systems (SNOMED CT, LOINC, RxNorm, ...) are not
 * checked, so messages about them are not errors here.
 */
class SeedValidationTest {

    @Test
    void resourcesWhenValidatedAgainstBaseR4ThenNoErrors() {
        var fhir = PreparedSeed.FHIR;
        var support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir));
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(support);
        instanceValidator.setAnyExtensionsAllowed(true);
        FhirValidator validator = fhir.newValidator().registerValidatorModule(instanceValidator);

        List<String> errors = new ArrayList<>();
        PreparedSeed.on(LocalDate.of(2026, 11, 21)).resources().forEach(resource -> {
            for (SingleValidationMessage message :
                    validator.validateWithResult(resource).getMessages()) {
                if (message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()) {
                    errors.add(id(resource) + " " + message.getLocationString() + ": " + message.getMessage());
                }
            }
        });
        assertThat(errors).isEmpty();
    }

    private static String id(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }
}
