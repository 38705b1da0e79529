package org.caregate.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.NamingSystem;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.ExtensionContextType;
import org.junit.jupiter.api.Test;

class CareGateProfilesTest {

    private final List<MetadataResource> resources = CareGateProfiles.conformanceResources(TestValidation.FHIR);

    @Test
    void conformanceResourcesWhenLoadedThenOnePerFileWithCareGateIdentity() {
        assertThat(resources).hasSize(CareGateProfiles.RESOURCE_FILES.size());
        assertThat(resources).allSatisfy(resource -> {
            assertThat(resource.getStatus()).isEqualTo(PublicationStatus.ACTIVE);
            assertThat(resource.getPublisher()).isEqualTo("CareGate");
            assertThat(resource.getIdElement().getIdPart()).isNotBlank();
            assertThat(CareGateProfiles.RESOURCE_FILES)
                    .contains(
                            resource.fhirType() + "-" + resource.getIdElement().getIdPart() + ".json");
        });
        assertThat(resources.stream().filter(r -> !(r instanceof NamingSystem)).map(MetadataResource::getUrl))
                .allMatch(url -> url.startsWith(CareGateProfiles.CANONICAL_BASE + "/"))
                .doesNotHaveDuplicates();
    }

    @Test
    void legalIncapacityWhenLoadedThenPatientExtensionWithPeriod() {
        StructureDefinition extension = structureDefinition(CareGateProfiles.LEGAL_INCAPACITY_EXTENSION);
        assertThat(extension.getType()).isEqualTo("Extension");
        assertThat(extension.getContext()).singleElement().satisfies(context -> {
            assertThat(context.getType()).isEqualTo(ExtensionContextType.ELEMENT);
            assertThat(context.getExpression()).isEqualTo("Patient");
        });
        assertThat(extension.getDifferential().getElement())
                .filteredOn(element -> element.getPath().equals("Extension.value[x]"))
                .singleElement()
                .satisfies(value ->
                        assertThat(value.getType()).extracting(t -> t.getCode()).containsExactly("Period"));
    }

    @Test
    void codeSystemsWhenLoadedThenTheCodesTheServerAndSeedDataUse() {
        Map<String, List<String>> codes = resources.stream()
                .filter(CodeSystem.class::isInstance)
                .map(CodeSystem.class::cast)
                .collect(Collectors.toMap(
                        CodeSystem::getUrl,
                        cs -> cs.getConcept().stream().map(c -> c.getCode()).toList()));
        assertThat(codes)
                .containsOnly(
                        Map.entry(CareGateProfiles.GUARDIANSHIP_BASIS_SYSTEM, List.of("court-appointed")),
                        Map.entry(CareGateProfiles.PRACTITIONER_ROLE_SYSTEM, List.of("office-staff", "site-admin")),
                        Map.entry(CareGateProfiles.RELEASE_STATE_SYSTEM, List.of("held")));
    }

    @Test
    void namingSystemsWhenLoadedThenMrnAndUserAmongThem() {
        assertThat(resources.stream()
                        .filter(NamingSystem.class::isInstance)
                        .map(NamingSystem.class::cast)
                        .flatMap(ns -> ns.getUniqueId().stream())
                        .map(id -> id.getValue()))
                .contains(CareGateProfiles.MRN_SYSTEM, CareGateProfiles.USER_SYSTEM)
                .allMatch(value -> value.startsWith(CareGateProfiles.CANONICAL_BASE + "/sid/"))
                .doesNotHaveDuplicates();
    }

    /**
     * Each resource is valid against its own base definition (StructureDefinition, CodeSystem, NamingSystem).
     *
     * <p>The copy of the extension that is validated has its {@code element} context written as a FHIRPath context
     * (same expression): for an {@code element} context the core validator (org.hl7.fhir.validation 6.7.9,
     * StructureDefinitionValidator.checkElementDefinition) looks the path up in the {@code hl7.fhir.r4.core} package
     * of the FHIR package cache ({@code ~/.fhir/packages}), asks the package server when it is not there, and reports
     * "Unable to resolve package id hl7.fhir.r4.core#null" offline. The element context itself is checked by
     * {@link #legalIncapacityWhenLoadedThenPatientExtensionWithPeriod} and, in use, by
     * {@code ExtensionValidationTest}.
     */
    @Test
    void conformanceResourcesWhenValidatedThenNoErrors() {
        CareGateValidation validation = TestValidation.withUsCore().orElseGet(TestValidation::base);
        FhirValidator validator = validation.newValidator();
        List<String> errors = resources.stream()
                .filter(resource -> validation.usCoreVersion().isPresent()
                        || !CareGateProfiles.PATIENT_PROFILE.equals(resource.getUrl()))
                .map(CareGateProfilesTest::withFhirPathContext)
                .flatMap(resource -> TestValidation.errors(validator, resource).stream())
                .toList();
        assertThat(errors).isEmpty();
    }

    private StructureDefinition structureDefinition(String url) {
        return resources.stream()
                .filter(StructureDefinition.class::isInstance)
                .map(StructureDefinition.class::cast)
                .collect(Collectors.toMap(StructureDefinition::getUrl, Function.identity()))
                .get(url);
    }

    private static MetadataResource withFhirPathContext(MetadataResource resource) {
        if (resource instanceof StructureDefinition definition && definition.hasContext()) {
            StructureDefinition copy = definition.copy();
            copy.getContext().forEach(context -> context.setType(ExtensionContextType.FHIRPATH));
            return copy;
        }
        return resource;
    }
}
