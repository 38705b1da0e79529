package org.caregate.server.fhir;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the FHIR API at {@code /fhir}.
 *
 * @param resourceTypes resource types the server stores and serves besides every type of the US Core 6.1.0 server
 *     CapabilityStatement ({@link ServedResourceTypes}); everything else is unknown to it
 * @param maxRequestBodySize a request body larger than this is refused with 413 before it is parsed
 * @param defaultPageSize search page size when the client gives no {@code _count}
 * @param maxPageSize the largest {@code _count} honoured
 */
@ConfigurationProperties("caregate.fhir")
public record FhirProperties(
        @DefaultValue({
            "Patient",
            "Observation",
            "MedicationRequest",
            "Medication",
            "ServiceRequest",
            "Claim",
            "ClaimResponse",
            "Coverage",
            "CoverageEligibilityRequest",
            "CoverageEligibilityResponse",
            "Practitioner",
            "PractitionerRole",
            "Person",
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
            "ExplanationOfBenefit",
            "MedicationAdministration",
            "SupplyDelivery",
            "Appointment",
            "Communication",
            "Consent",
            "AuditEvent",
            "Provenance",
            "Binary",
            "Group",
            "Task",
            "SearchParameter",
            "StructureDefinition",
            "ValueSet",
            "CodeSystem"
        })
        List<String> resourceTypes,

        @DefaultValue("10MB") DataSize maxRequestBodySize,
        @DefaultValue("20") int defaultPageSize,
        @DefaultValue("200") int maxPageSize) {}
