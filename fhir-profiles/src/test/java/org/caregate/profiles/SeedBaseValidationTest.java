package org.caregate.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every seed resource is valid against base R4 plus CareGate's definitions, with extensions checked (the
 * legal-incapacity extension must resolve and fit its context) and CareGate's code systems known.
 */
class SeedBaseValidationTest {

    @Test
    void seedResourcesWhenValidatedAgainstR4AndCareGateThenNoErrors() {
        FhirValidator validator = TestValidation.base().newValidator();

        List<String> errors = TestValidation.seedResources().stream()
                .flatMap(resource -> TestValidation.errors(validator, resource).stream())
                .toList();

        assertThat(TestValidation.seedResources()).hasSizeGreaterThan(200);
        assertThat(errors).isEmpty();
    }
}
