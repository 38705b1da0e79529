package org.caregate.server.security.release;

import java.util.Optional;
import java.util.Set;
import org.caregate.consent.DataCategory;
import org.caregate.consent.LabResultStatus;
import org.caregate.consent.LocalizedText;
import org.caregate.consent.rules.ReleaseHoldRule;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;

/**
 * What kind of data a resource is, for the consent rules' release hold: a radiology report (released once a
 * physician has signed it off, i.e. final/amended/corrected/appended), a laboratory result with its status, or
 * ordinary data. Resources held back from patients and guardians carry the tag {@link #HELD}, so that searches can
 * leave them out in the query itself.
 */
public final class ReleaseState {

    /** {@code meta.tag} of a result that patients and guardians may not see yet. */
    public static final Coding HELD = new Coding(
            "https://fhir.caregate.example/CodeSystem/release-state",
            "held",
            "Not yet released to patients and guardians");

    private static final String V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";
    private static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    private static final Set<String> RELEASED_REPORT_STATUSES = Set.of("final", "amended", "corrected", "appended");

    private ReleaseState() {}

    /** The consent library's data category of {@code resource}. */
    public static DataCategory categoryOf(IBaseResource resource) {
        if (resource instanceof DiagnosticReport report) {
            String status = report.hasStatus() ? report.getStatus().toCode() : "unknown";
            if (hasCategory(report.getCategory(), V2_0074, "RAD")) {
                return DataCategory.radiologyReport(RELEASED_REPORT_STATUSES.contains(status));
            }
            if (hasCategory(report.getCategory(), V2_0074, "LAB")) {
                return DataCategory.labResult(LabResultStatus.fromCode(status));
            }
        }
        if (resource instanceof Observation observation
                && hasCategory(observation.getCategory(), OBSERVATION_CATEGORY, "laboratory")) {
            String status = observation.hasStatus() ? observation.getStatus().toCode() : "unknown";
            return DataCategory.labResult(LabResultStatus.fromCode(status));
        }
        return DataCategory.ordinary();
    }

    /** Why patients and guardians are held back from {@code resource}, or empty (the consent rules' release hold). */
    public static Optional<LocalizedText> holdReason(IBaseResource resource) {
        return ReleaseHoldRule.holdReason(categoryOf(resource));
    }

    /** Whether patients and guardians are held back from {@code resource}. */
    public static boolean isHeld(IBaseResource resource) {
        return holdReason(resource).isPresent();
    }

    private static boolean hasCategory(java.util.List<CodeableConcept> categories, String system, String code) {
        return categories.stream()
                .flatMap(category -> category.getCoding().stream())
                .anyMatch(coding -> system.equals(coding.getSystem()) && code.equals(coding.getCode()));
    }
}
