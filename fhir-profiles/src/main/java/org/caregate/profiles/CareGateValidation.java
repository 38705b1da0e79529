package org.caregate.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.FhirValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * Offline FHIR R4 validation against the base specification, CareGate's own definitions ({@link CareGateProfiles})
 * and, when its package is given, US Core.
 *
 * <pre>{@code
 * CareGateValidation validation = CareGateValidation.create(fhirContext, Optional.of(Path.of(usCorePackagePath)));
 * FhirValidator validator = validation.newValidator();        // or validation.instanceValidator() for an interceptor
 * ValidationResult result = validator.validateWithResult(patient);
 * }</pre>
 *
 * <p>The validation support chain, first match wins:
 * <ol>
 *   <li>CareGate's StructureDefinitions and CodeSystems (a {@link PrePopulatedValidationSupport});</li>
 *   <li>the US Core package's StructureDefinitions, ValueSets and CodeSystems, read from the {@code .tgz} (an
 *       {@link NpmPackageValidationSupport}), when a path is given;</li>
 *   <li>the base R4 definitions ({@link DefaultProfileValidationSupport});</li>
 *   <li>{@link CommonCodeSystemsTerminologyService} (languages, UCUM, currencies, countries, US states, MIME types);</li>
 *   <li>{@link InMemoryTerminologyServerValidationSupport} (codes of every CodeSystem and ValueSet above);</li>
 *   <li>{@link SnapshotGeneratingValidationSupport} (CareGate's StructureDefinitions are differential only);</li>
 *   <li>{@link UnknownCodeSystemWarningValidationSupport} at severity warning: a code of a system nothing above knows
 *       (SNOMED CT, LOINC, RxNorm, CVX, CPT, ICD-10-CM, NUCC, CDC race and ethnicity, VSAC value sets) cannot be
 *       checked offline, so it gives a warning, never an error.</li>
 * </ol>
 * The chain caches its answers itself ({@link ValidationSupportChain.CacheConfiguration#defaultValues()}); HAPI 8
 * deprecated {@code CachingValidationSupport}, which now only passes calls through. Nothing here makes a network call.
 *
 * <p>Extensions are checked: an extension must resolve to a definition, and be used where its context allows
 * ({@code setAnyExtensionsAllowed(false)}).
 *
 * <p>Without US Core the CareGate Patient profile is left out of the chain (its base, US Core Patient, would not
 * resolve); everything else is there.
 *
 * <p>Build one instance per {@link FhirContext} and keep it: loading US Core and generating snapshots take a few
 * seconds, and the instance validator caches what it has worked out. Instances are thread-safe.
 */
public final class CareGateValidation {

    /** The npm name of the US Core package. */
    public static final String US_CORE_PACKAGE_NAME = "hl7.fhir.us.core";

    private static final String US_CORE_CANONICAL = "http://hl7.org/fhir/us/core";

    private final FhirContext fhirContext;
    private final ValidationSupportChain validationSupport;
    private final FhirInstanceValidator instanceValidator;
    private final Optional<String> usCoreVersion;

    private CareGateValidation(
            FhirContext fhirContext, ValidationSupportChain validationSupport, Optional<String> usCoreVersion) {
        this.fhirContext = fhirContext;
        this.validationSupport = validationSupport;
        this.usCoreVersion = usCoreVersion;
        this.instanceValidator = new FhirInstanceValidator(validationSupport);
        this.instanceValidator.setAnyExtensionsAllowed(false);
        this.instanceValidator.setErrorForUnknownProfiles(true);
    }

    /**
     * Builds the validation support chain.
     *
     * @param fhirContext   an R4 context (the server's own)
     * @param usCorePackage the US Core npm package ({@code hl7.fhir.us.core-6.1.0.tgz}); empty to validate against
     *                      the base specification and CareGate's definitions only
     * @throws IllegalArgumentException if the context is not R4, or the path is not a readable US Core package for
     *                                  FHIR R4
     */
    public static CareGateValidation create(FhirContext fhirContext, Optional<Path> usCorePackage) {
        Objects.requireNonNull(fhirContext, "fhirContext");
        Objects.requireNonNull(usCorePackage, "usCorePackage");
        if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("CareGate validates FHIR R4, the context is "
                    + fhirContext.getVersion().getVersion());
        }
        Optional<UsCorePackage> usCore = usCorePackage.map(path -> UsCorePackage.load(fhirContext, path));

        List<IValidationSupport> chain = new ArrayList<>();
        chain.add(careGateSupport(fhirContext, usCore.isPresent()));
        usCore.ifPresent(loaded -> chain.add(loaded.support()));
        chain.add(new DefaultProfileValidationSupport(fhirContext));
        chain.add(new CommonCodeSystemsTerminologyService(fhirContext));
        chain.add(new InMemoryTerminologyServerValidationSupport(fhirContext));
        chain.add(new SnapshotGeneratingValidationSupport(fhirContext));
        UnknownCodeSystemWarningValidationSupport unknownCodeSystems =
                new UnknownCodeSystemWarningValidationSupport(fhirContext);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        chain.add(unknownCodeSystems);

        ValidationSupportChain support =
                new ValidationSupportChain(ValidationSupportChain.CacheConfiguration.defaultValues(), chain);
        support.setName("CareGate validation support");
        return new CareGateValidation(fhirContext, support, usCore.map(UsCorePackage::version));
    }

    /** The validation support chain, for HAPI components that take an {@link IValidationSupport}. */
    public IValidationSupport validationSupport() {
        return validationSupport;
    }

    /**
     * The instance validator module over {@link #validationSupport()}, shared by every validator this instance makes
     * (e.g. for a {@code RequestValidatingInterceptor}).
     */
    public FhirInstanceValidator instanceValidator() {
        return instanceValidator;
    }

    /** A new validator with the shared {@link #instanceValidator()} module. */
    public FhirValidator newValidator() {
        return fhirContext.newValidator().registerValidatorModule(instanceValidator);
    }

    /** The version of the US Core package loaded, e.g. {@code 6.1.0}, or empty if none was given. */
    public Optional<String> usCoreVersion() {
        return usCoreVersion;
    }

    private static PrePopulatedValidationSupport careGateSupport(FhirContext fhirContext, boolean withUsCore) {
        PrePopulatedValidationSupport support = new PrePopulatedValidationSupport(fhirContext);
        for (MetadataResource resource : CareGateProfiles.conformanceResources(fhirContext)) {
            if (resource instanceof CodeSystem) {
                support.addResource(resource);
            } else if (resource instanceof StructureDefinition definition
                    && (withUsCore || !definition.getBaseDefinition().startsWith(US_CORE_CANONICAL + "/"))) {
                support.addResource(resource);
            }
        }
        support.lock();
        return support;
    }

    /** The US Core package's StructureDefinitions, ValueSets and CodeSystems, and the package version. */
    private record UsCorePackage(NpmPackageValidationSupport support, String version) {

        static UsCorePackage load(FhirContext fhirContext, Path path) {
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException(
                        "US Core package not found or not readable: " + path.toAbsolutePath());
            }
            NpmPackage npmPackage;
            try (InputStream in = Files.newInputStream(path)) {
                npmPackage = NpmPackage.fromPackage(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the npm package " + path.toAbsolutePath(), e);
            }
            if (!US_CORE_PACKAGE_NAME.equals(npmPackage.name()) || !"4.0.1".equals(npmPackage.fhirVersion())) {
                throw new IllegalArgumentException(path.toAbsolutePath() + " is " + npmPackage.name() + "#"
                        + npmPackage.version() + " for FHIR " + npmPackage.fhirVersion() + ", not "
                        + US_CORE_PACKAGE_NAME + " for FHIR 4.0.1");
            }
            // NpmPackageValidationSupport itself reads packages from the classpath only; the files are added here.
            NpmPackageValidationSupport support = new NpmPackageValidationSupport(fhirContext);
            IParser parser = fhirContext.newJsonParser();
            try {
                for (String file : npmPackage.listResources("StructureDefinition", "ValueSet", "CodeSystem")) {
                    try (InputStream in = npmPackage.load("package", file)) {
                        support.addResource(parser.parseResource(in));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path.toAbsolutePath(), e);
            }
            support.lock();
            return new UsCorePackage(support, npmPackage.version());
        }
    }
}
