package org.caregate.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed dataset against US Core 6.1.0. Each seed resource of a type US Core profiles is validated against its
 * US Core profile, set as {@code meta.profile} on a copy (never in the data): Patient (and the CareGate Patient
 * profile), Observation (laboratory, each vital sign, smoking status), MedicationRequest, ServiceRequest, Condition
 * (problem list, encounter diagnosis), Encounter, Coverage, and also AllergyIntolerance, CareTeam, DiagnosticReport,
 * Immunization, Medication, Organization, Practitioner, PractitionerRole, Procedure and RelatedPerson.
 *
 * <p>This test reports: seed-data is not this module's to change, so where the data is not US Core-conformant the
 * error is listed in {@link #KNOWN_GAPS} (and explained in {@code fhir-profiles/README.md}). The test fails on an
 * error that is not listed, and on a listed one that no longer occurs (remove the entry then). Terminology that
 * cannot be checked offline (SNOMED CT, LOINC, RxNorm, CVX, VSAC value sets) gives warnings, which are not asserted.
 *
 * <p>Needs {@code ../shared/fhir-packages/hl7.fhir.us.core-6.1.0.tgz} beside the repository (CI has it); skipped
 * without it.
 */
class SeedUsCoreValidationTest {

    private static final String US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/";

    /** One error the seed data is known to have against US Core 6.1.0, and why. */
    record KnownGap(String resource, String location, String messageStart, String why) {
        boolean matches(String error) {
            return error.startsWith(resource + " " + location + ": " + messageStart);
        }
    }

    /** Errors the seed data is known to have against US Core; empty since the South clinic's care-team role was added. */
    static final List<KnownGap> KNOWN_GAPS = List.of();

    /** The profile of each US Core type with one profile, by resource type. */
    private static final Map<String, String> PROFILE_BY_TYPE = Map.ofEntries(
            Map.entry("Patient", "us-core-patient"),
            Map.entry("MedicationRequest", "us-core-medicationrequest"),
            Map.entry("ServiceRequest", "us-core-servicerequest"),
            Map.entry("Encounter", "us-core-encounter"),
            Map.entry("Coverage", "us-core-coverage"),
            Map.entry("AllergyIntolerance", "us-core-allergyintolerance"),
            Map.entry("CareTeam", "us-core-careteam"),
            Map.entry("Immunization", "us-core-immunization"),
            Map.entry("Medication", "us-core-medication"),
            Map.entry("Organization", "us-core-organization"),
            Map.entry("Practitioner", "us-core-practitioner"),
            Map.entry("PractitionerRole", "us-core-practitionerrole"),
            Map.entry("Procedure", "us-core-procedure"),
            Map.entry("RelatedPerson", "us-core-relatedperson"));

    /** US Core profile of each vital sign, by LOINC code; other vital signs: us-core-vital-signs. */
    private static final Map<String, String> VITAL_SIGN_PROFILES = Map.of(
            "8867-4", "us-core-heart-rate",
            "85354-9", "us-core-blood-pressure",
            "29463-7", "us-core-body-weight",
            "8302-2", "us-core-body-height",
            "8310-5", "us-core-body-temperature",
            "9279-1", "us-core-respiratory-rate",
            "59408-5", "us-core-pulse-oximetry",
            "39156-5", "us-core-bmi",
            "9843-4", "us-core-head-circumference");

    private FhirValidator validator;

    @BeforeEach
    void usCore() {
        validator = TestValidation.requireUsCore().newValidator();
    }

    @Test
    void seedResourcesWhenValidatedAgainstUsCoreThenOnlyTheKnownGaps() {
        Set<String> profilesUsed = new TreeSet<>();
        List<String> errors = new ArrayList<>();
        for (Resource resource : TestValidation.seedResources()) {
            for (String profile : profilesFor(resource)) {
                Resource copy = resource.copy();
                copy.getMeta().addProfile(profile);
                profilesUsed.add(profile.substring(profile.lastIndexOf('/') + 1));
                errors.addAll(TestValidation.errors(validator, copy));
            }
        }

        assertThat(profilesUsed)
                .contains(
                        "us-core-patient",
                        "caregate-patient",
                        "us-core-observation-lab",
                        "us-core-smokingstatus",
                        "us-core-heart-rate",
                        "us-core-blood-pressure",
                        "us-core-body-weight",
                        "us-core-body-height",
                        "us-core-body-temperature",
                        "us-core-respiratory-rate",
                        "us-core-pulse-oximetry",
                        "us-core-medicationrequest",
                        "us-core-servicerequest",
                        "us-core-condition-problems-health-concerns",
                        "us-core-condition-encounter-diagnosis",
                        "us-core-encounter",
                        "us-core-coverage",
                        "us-core-careteam",
                        "us-core-diagnosticreport-lab",
                        "us-core-diagnosticreport-note");
        assertThat(errors)
                .as("errors against US Core 6.1.0 that are not in KNOWN_GAPS")
                .allSatisfy(error -> assertThat(KNOWN_GAPS).anyMatch(gap -> gap.matches(error)));
        assertThat(KNOWN_GAPS)
                .as("KNOWN_GAPS entries that no longer occur (remove them)")
                .allSatisfy(gap -> assertThat(errors).anyMatch(gap::matches));
    }

    /** The profiles a seed resource is meant to meet; none for types US Core does not profile. */
    static List<String> profilesFor(Resource resource) {
        if (resource instanceof Observation observation) {
            return observationProfile(observation).map(List::of).orElse(List.of());
        }
        if (resource instanceof Condition condition) {
            return List.of(US_CORE
                    + (hasCode(condition.getCategory(), "encounter-diagnosis")
                            ? "us-core-condition-encounter-diagnosis"
                            : "us-core-condition-problems-health-concerns"));
        }
        if (resource instanceof DiagnosticReport report) {
            return List.of(US_CORE
                    + (hasCode(report.getCategory(), "LAB")
                            ? "us-core-diagnosticreport-lab"
                            : "us-core-diagnosticreport-note"));
        }
        String profile = PROFILE_BY_TYPE.get(resource.fhirType());
        if (profile == null) {
            return List.of();
        }
        return "Patient".equals(resource.fhirType())
                ? List.of(US_CORE + profile, CareGateProfiles.PATIENT_PROFILE)
                : List.of(US_CORE + profile);
    }

    private static Optional<String> observationProfile(Observation observation) {
        String loinc = observation.getCode().getCoding().stream()
                .filter(coding -> "http://loinc.org".equals(coding.getSystem()))
                .map(coding -> coding.getCode())
                .findFirst()
                .orElse("");
        if ("72166-2".equals(loinc)) {
            return Optional.of(US_CORE + "us-core-smokingstatus");
        }
        if (hasCode(observation.getCategory(), "laboratory")) {
            return Optional.of(US_CORE + "us-core-observation-lab");
        }
        if (hasCode(observation.getCategory(), "vital-signs")) {
            return Optional.of(US_CORE + VITAL_SIGN_PROFILES.getOrDefault(loinc, "us-core-vital-signs"));
        }
        return Optional.empty();
    }

    private static boolean hasCode(List<CodeableConcept> concepts, String code) {
        return concepts.stream()
                .flatMap(concept -> concept.getCoding().stream())
                .anyMatch(coding -> code.equals(coding.getCode()));
    }
}
