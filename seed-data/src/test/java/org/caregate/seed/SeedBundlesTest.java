package org.caregate.seed;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** The shape of the bundles: what the server's loader relies on when it posts them. */
class SeedBundlesTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 21);
    private static final PreparedSeed SEED = PreparedSeed.on(DAY);
    private static final Pattern RELATIVE_REFERENCE = Pattern.compile("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}");

    @Test
    void transactionBundlesWhenPreparedThenOneTransactionPerFileInLoadOrder() {
        assertThat(SEED.bundles()).hasSize(SeedDataset.BUNDLE_NAMES.size());
        assertThat(SeedDataset.BUNDLE_NAMES).isSorted();
        for (int i = 0; i < SEED.bundles().size(); i++) {
            Bundle bundle = SEED.bundles().get(i);
            assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
            assertThat(bundle.getIdElement().getIdPart()).isEqualTo("seed-" + SeedDataset.BUNDLE_NAMES.get(i));
            assertThat(bundle.getEntry()).isNotEmpty();
        }
        assertThat(SEED.byReference()).hasSizeBetween(200, 400);
    }

    @Test
    void transactionBundlesWhenPreparedThenEveryEntryIsPutToItsOwnTypeAndId() {
        for (Bundle bundle : SEED.bundles()) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource resource = entry.getResource();
                assertThat(resource).isNotNull();
                String typeAndId =
                        resource.fhirType() + "/" + resource.getIdElement().getIdPart();
                assertThat(resource.getIdElement().hasIdPart()).as(typeAndId).isTrue();
                assertThat(entry.getRequest().getMethod()).as(typeAndId).isEqualTo(Bundle.HTTPVerb.PUT);
                assertThat(entry.getRequest().getUrl()).isEqualTo(typeAndId);
                assertThat(resource.getIdElement().getIdPart()).as(typeAndId).matches("[a-z0-9\\-]{1,64}");
            }
        }
    }

    @Test
    void transactionBundlesJsonWhenParsedStrictlyThenEveryBundleParses() {
        IParser strict = PreparedSeed.FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        List<String> texts = PreparedSeed.DATASET.transactionBundlesJson(DAY, SeedDataset.DEFAULT_FACILITY_ZONE);
        assertThat(texts).hasSize(SeedDataset.BUNDLE_NAMES.size());
        for (String text : texts) {
            assertThat(text).doesNotContain("${");
            Bundle bundle = strict.parseResource(Bundle.class, text);
            assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        }
    }

    @Test
    void transactionBundlesWhenPreparedThenNoPlaceholderIsLeft() {
        IParser parser = PreparedSeed.FHIR.newJsonParser();
        for (Bundle bundle : SEED.bundles()) {
            assertThat(parser.encodeResourceToString(bundle)).doesNotContain("${");
        }
    }

    @Test
    void transactionBundlesWhenSameDayThenIdenticalOutput() {
        IParser parser = PreparedSeed.FHIR.newJsonParser().setPrettyPrint(true);
        List<String> first = encode(parser, SeedDataset.load(PreparedSeed.FHIR).transactionBundles(DAY));
        List<String> second = encode(parser, PreparedSeed.DATASET.transactionBundles(DAY));
        assertThat(second).isEqualTo(first);
        List<String> otherDay = encode(parser, PreparedSeed.DATASET.transactionBundles(DAY.plusDays(1)));
        assertThat(otherDay).isNotEqualTo(first);
    }

    @Test
    void referencesWhenPreparedThenEveryReferenceResolvesInsideTheDataset() {
        List<String> problems = new ArrayList<>();
        SEED.resources().forEach(resource -> {
            String self = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
            for (Reference reference :
                    PreparedSeed.FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                String target = reference.getReference();
                if (target == null) {
                    problems.add(self + " has a reference without a target: " + reference.getDisplay());
                } else if (!RELATIVE_REFERENCE.matcher(target).matches()) {
                    problems.add(self + " -> " + target + " is not a relative Type/id reference");
                } else if (!SEED.byReference().containsKey(target)) {
                    problems.add(self + " -> " + target + " does not resolve");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void patientsWhenPreparedThenEachHasAnMrnAndUsCoreDemographics() {
        List<Patient> patients = SEED.resources(Patient.class).toList();
        assertThat(patients).hasSizeGreaterThanOrEqualTo(14);
        for (Patient patient : patients) {
            String id = patient.getIdElement().getIdPart();
            List<Identifier> mrns = patient.getIdentifier().stream()
                    .filter(i -> "https://fhir.caregate.example/sid/mrn".equals(i.getSystem()))
                    .filter(i -> i.getType().hasCoding("http://terminology.hl7.org/CodeSystem/v2-0203", "MR"))
                    .toList();
            assertThat(mrns).as(id).hasSize(1);
            assertThat(mrns.get(0).getValue()).as(id).matches("CG\\d{6}");
            assertThat(patient.getNameFirstRep().getFamily()).as(id).isNotBlank();
            assertThat(patient.getNameFirstRep().getGiven()).as(id).isNotEmpty();
            assertThat(patient.getGender()).as(id).isNotNull();
            assertThat(patient.getBirthDate()).as(id).isNotNull();
            assertThat(patient.getAddressFirstRep().getPostalCode()).as(id).isNotBlank();
            assertThat(patient.getTelecom()).as(id).isNotEmpty();
        }
        assertThat(patients.stream()
                        .map(p -> p.getIdentifier().stream()
                                .filter(i -> i.getSystem().endsWith("/sid/mrn"))
                                .findFirst()
                                .orElseThrow()
                                .getValue()))
                .doesNotHaveDuplicates();
    }

    private static List<String> encode(IParser parser, List<Bundle> bundles) {
        return bundles.stream().map(parser::encodeResourceToString).toList();
    }
}
