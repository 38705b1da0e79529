package org.caregate.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.r4.model.MetadataResource;

/**
 * CareGate's own conformance resources (FHIR R4): the legal-incapacity extension, the CareGate Patient profile, the
 * code systems CareGate defines and the NamingSystems of its identifier systems. They are JSON files in
 * {@code org/caregate/profiles/} on the classpath, listed in {@link #RESOURCE_FILES}; {@code fhir-profiles/README.md}
 * describes each one.
 *
 * <p>The StructureDefinitions hold a differential only; {@link CareGateValidation} generates their snapshots when they
 * are first used.
 */
public final class CareGateProfiles {

    /** The base of every canonical URL CareGate defines. */
    public static final String CANONICAL_BASE = "https://fhir.caregate.example";

    /** Extension on Patient, {@code valuePeriod}: legally incapacitated during that period (no end: still). */
    public static final String LEGAL_INCAPACITY_EXTENSION = CANONICAL_BASE + "/StructureDefinition/legal-incapacity";
    /** Profile of Patient on US Core Patient 6.1.0: one MRN, at most one username, the legal-incapacity extension. */
    public static final String PATIENT_PROFILE = CANONICAL_BASE + "/StructureDefinition/caregate-patient";

    /** Code system of {@code RelatedPerson.relationship}: {@code court-appointed}. */
    public static final String GUARDIANSHIP_BASIS_SYSTEM = CANONICAL_BASE + "/CodeSystem/guardianship-basis";
    /** Code system of {@code PractitionerRole.code} for non-clinical staff: {@code office-staff}, {@code site-admin}. */
    public static final String PRACTITIONER_ROLE_SYSTEM = CANONICAL_BASE + "/CodeSystem/practitioner-role";
    /** Code system of the server's {@code meta.tag} {@code held} (not yet released to patients and guardians). */
    public static final String RELEASE_STATE_SYSTEM = CANONICAL_BASE + "/CodeSystem/release-state";

    /** Identifier system of medical record numbers. */
    public static final String MRN_SYSTEM = CANONICAL_BASE + "/sid/mrn";
    /** Identifier system of CareGate usernames, on the Patient, RelatedPerson or Practitioner a user is. */
    public static final String USER_SYSTEM = CANONICAL_BASE + "/sid/user";

    /** The resource files in {@code org/caregate/profiles/}, those a definition depends on first. */
    public static final List<String> RESOURCE_FILES = List.of(
            "CodeSystem-guardianship-basis.json",
            "CodeSystem-practitioner-role.json",
            "CodeSystem-release-state.json",
            "NamingSystem-sid-mrn.json",
            "NamingSystem-sid-user.json",
            "NamingSystem-sid-staff.json",
            "NamingSystem-sid-organization.json",
            "NamingSystem-sid-payer-id.json",
            "NamingSystem-sid-member-id-commercial.json",
            "NamingSystem-sid-member-id-medi-cal.json",
            "NamingSystem-sid-court-order.json",
            "NamingSystem-sid-client-id.json",
            "StructureDefinition-legal-incapacity.json",
            "StructureDefinition-caregate-patient.json");

    private static final String RESOURCE_FOLDER = "/org/caregate/profiles/";

    private CareGateProfiles() {}

    /**
     * CareGate's conformance resources, parsed strictly (an unknown element is an error), in the order of
     * {@link #RESOURCE_FILES}. Every call returns new objects.
     *
     * @param fhirContext an R4 context
     * @throws IllegalArgumentException if the context is not R4
     */
    public static List<MetadataResource> conformanceResources(FhirContext fhirContext) {
        Objects.requireNonNull(fhirContext, "fhirContext");
        if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("CareGate's profiles are FHIR R4, the context is "
                    + fhirContext.getVersion().getVersion());
        }
        IParser parser = fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        return RESOURCE_FILES.stream()
                .map(file -> (MetadataResource) parser.parseResource(read(file)))
                .toList();
    }

    private static String read(String file) {
        String path = RESOURCE_FOLDER + file;
        try (InputStream in = CareGateProfiles.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("conformance resource not found on the classpath: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read conformance resource " + path, e);
        }
    }
}
