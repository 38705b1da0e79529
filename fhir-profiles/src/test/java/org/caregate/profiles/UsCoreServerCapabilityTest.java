package org.caregate.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class UsCoreServerCapabilityTest {

    private final UsCoreServerCapability usCore = UsCoreServerCapability.load(TestValidation.FHIR);

    @Test
    void loadWhenOnTheClasspathThenUsCore610ServerStatement() {
        assertThat(usCore.statement().getUrl()).isEqualTo(UsCoreServerCapability.URL);
        assertThat(usCore.version()).isEqualTo("6.1.0");
        assertThat(usCore.resourceTypes())
                .hasSize(31)
                .contains(
                        "CarePlan",
                        "Goal",
                        "Device",
                        "MedicationDispense",
                        "Specimen",
                        "QuestionnaireResponse",
                        "Provenance",
                        "Location",
                        "Organization",
                        "PractitionerRole",
                        "Media",
                        "Endpoint",
                        "HealthcareService");
    }

    @Test
    void requirementWhenObservationThenItsShallCombinations() {
        UsCoreServerCapability.ResourceRequirement observation = usCore.requirement("Observation");
        assertThat(observation.expectation()).isEqualTo("SHALL");
        assertThat(observation.shallInteractions()).contains("read", "search-type");
        assertThat(observation.shallCombinations())
                .containsExactlyInAnyOrder(
                        List.of("patient", "category", "date"),
                        List.of("patient", "category"),
                        List.of("patient", "code"));
        assertThat(observation.supportedProfiles())
                .contains("http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab");
        assertThat(usCore.requirement("Patient").everyShallParameter())
                .containsExactlyInAnyOrder("_id", "identifier", "name", "birthdate", "gender");
    }

    @Test
    void copyWhenThePackageIsBesideTheRepositoryThenByteForByteThePackagesFile() throws IOException {
        Path tgz = TestValidation.usCorePackage().orElse(null);
        Assumptions.assumeTrue(
                tgz != null, "US Core package not found beside the repository: the copy's provenance check is skipped");
        NpmPackage npm;
        try (InputStream in = Files.newInputStream(tgz)) {
            npm = NpmPackage.fromPackage(in);
        }
        byte[] original;
        try (InputStream in = npm.load("package", "CapabilityStatement-us-core-server.json")) {
            original = in.readAllBytes();
        }
        byte[] copy;
        try (InputStream in = UsCoreServerCapability.class.getResourceAsStream(UsCoreServerCapability.RESOURCE)) {
            copy = in.readAllBytes();
        }
        assertThat(copy).isEqualTo(original);
    }
}
