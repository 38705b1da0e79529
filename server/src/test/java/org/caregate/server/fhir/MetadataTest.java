package org.caregate.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.junit.jupiter.api.Test;

class MetadataTest extends FullStackTest {

    @Test
    void metadataListsEveryResourceTypeCareGateServes() {
        CapabilityStatement capabilities =
                fhirClient().capabilities().ofType(CapabilityStatement.class).execute();

        List<String> served = capabilities.getRestFirstRep().getResource().stream()
                .map(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
                .toList();
        assertThat(served)
                .contains(
                        "Patient",
                        "Observation",
                        "MedicationRequest",
                        "ServiceRequest",
                        "Claim",
                        "ClaimResponse",
                        "Coverage",
                        "CoverageEligibilityRequest",
                        "CoverageEligibilityResponse",
                        "Practitioner",
                        "PractitionerRole",
                        "Organization",
                        "Location",
                        "RelatedPerson",
                        "CareTeam",
                        "Encounter",
                        "Condition",
                        "AllergyIntolerance",
                        "Immunization",
                        "Procedure",
                        "DiagnosticReport",
                        "DocumentReference",
                        "ImagingStudy",
                        "Appointment",
                        "Communication",
                        "Consent",
                        "AuditEvent",
                        "Provenance",
                        "Binary",
                        "Group");
        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(capabilities.getSoftware().getName()).isEqualTo("CareGate");
    }

    @Test
    void metadataIsServedFromCacheButAsAFreshCopy() {
        CapabilityStatement first =
                fhirClient().capabilities().ofType(CapabilityStatement.class).execute();
        CapabilityStatement second =
                fhirClient().capabilities().ofType(CapabilityStatement.class).execute();

        assertThat(second.getRestFirstRep().getResource())
                .hasSameSizeAs(first.getRestFirstRep().getResource());
        assertThat(second.getDate()).isEqualTo(first.getDate());
    }
}
