package org.caregate.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.caregate.seed.SeedDataset;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Assumptions;

/**
 * What the tests share, built once per test JVM: the FHIR context, the validators (building them and their first
 * snapshots is the slow part) and the seed resources for one fixed loading day.
 */
final class TestValidation {

    static final FhirContext FHIR = FhirContext.forR4Cached();

    /** The US Core package as CI lays it out: {@code shared/} beside the repository. */
    static final String US_CORE_PACKAGE_FROM_ROOT = "../shared/fhir-packages/hl7.fhir.us.core-6.1.0.tgz";

    static final LocalDate LOADING_DAY = LocalDate.of(2026, 11, 21);

    private TestValidation() {}

    /** Base R4 and CareGate's definitions, no US Core. */
    static CareGateValidation base() {
        return Base.VALIDATION;
    }

    /** Base R4, CareGate's definitions and US Core 6.1.0; empty when the package is not beside the repository. */
    static Optional<CareGateValidation> withUsCore() {
        return WithUsCore.VALIDATION;
    }

    /**
     * The US Core validation, or the test is skipped (JUnit assumption) with a message saying where the package was
     * looked for.
     */
    static CareGateValidation requireUsCore() {
        Assumptions.assumeTrue(
                withUsCore().isPresent(),
                () -> "US Core package not found at "
                        + repositoryRoot().resolve(US_CORE_PACKAGE_FROM_ROOT).normalize()
                        + ": US Core tests skipped (CI has ../shared beside the repository)");
        return withUsCore().orElseThrow();
    }

    static Optional<Path> usCorePackage() {
        Path path = repositoryRoot().resolve(US_CORE_PACKAGE_FROM_ROOT).normalize();
        return Files.isReadable(path) ? Optional.of(path) : Optional.empty();
    }

    /**
     * The Maven multi-module root: {@code maven.multiModuleProjectDirectory} when the build passes it on (the pom
     * does), otherwise the nearest directory above the working directory that holds {@code .mvn}.
     */
    static Path repositoryRoot() {
        String fromMaven = System.getProperty("maven.multiModuleProjectDirectory");
        if (fromMaven != null && !fromMaven.isBlank()) {
            return Path.of(fromMaven).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve(".mvn"))) {
                return candidate;
            }
        }
        return dir;
    }

    /** Every resource of the seed dataset, loaded on {@link #LOADING_DAY}, in load order. */
    static List<Resource> seedResources() {
        return Seed.RESOURCES;
    }

    /** Messages of severity error or fatal, as {@code Type/id location: message}. */
    static List<String> errors(FhirValidator validator, IBaseResource resource) {
        return validator.validateWithResult(resource).getMessages().stream()
                .filter(message -> message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(message -> describe(resource, message))
                .toList();
    }

    /** All messages, as {@code SEVERITY Type/id location: message}. */
    static List<String> messages(FhirValidator validator, IBaseResource resource) {
        return validator.validateWithResult(resource).getMessages().stream()
                .map(message -> message.getSeverity() + " " + describe(resource, message))
                .toList();
    }

    static String describe(IBaseResource resource, SingleValidationMessage message) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart() + " " + message.getLocationString()
                + ": " + message.getMessage();
    }

    private static final class Base {
        static final CareGateValidation VALIDATION = CareGateValidation.create(FHIR, Optional.empty());
    }

    private static final class WithUsCore {
        static final Optional<CareGateValidation> VALIDATION =
                usCorePackage().map(path -> CareGateValidation.create(FHIR, Optional.of(path)));
    }

    private static final class Seed {
        static final List<Resource> RESOURCES = SeedDataset.load(FHIR).transactionBundles(LOADING_DAY).stream()
                .flatMap(bundle -> bundle.getEntry().stream())
                .map(Bundle.BundleEntryComponent::getResource)
                .toList();
    }
}
