package org.caregate.consent.rules;

import java.util.Optional;
import org.caregate.consent.AccessRequest;
import org.caregate.consent.AccessRule;
import org.caregate.consent.DataCategory;
import org.caregate.consent.Decision;
import org.caregate.consent.GuardianRequester;
import org.caregate.consent.LocalizedText;
import org.caregate.consent.PatientRequester;

/**
 * Holds back results that are not ready for patients and guardians: a radiology report until a physician has released
 * it, a laboratory result until it is final ({@link org.caregate.consent.LabResultStatus#isFinal()}). Denies in those
 * cases when the requester is a patient or a guardian; not applicable otherwise (practitioners and backend clients
 * see held results, ordinary data is never held). It never permits: use it in a deny-overrides policy.
 */
public final class ReleaseHoldRule implements AccessRule {

    /** The rule's machine name. */
    public static final String NAME = "release-hold";

    static final LocalizedText RADIOLOGY_NOT_RELEASED = LocalizedText.of(
            "This radiology report has not been released by a physician yet. It will be available online once it "
                    + "has been reviewed and released.",
            "Un médico aún no ha autorizado la entrega de este informe de radiología. Estará disponible en línea "
                    + "cuando se haya revisado y autorizado.");
    static final LocalizedText LAB_NOT_FINAL = LocalizedText.of(
            "This laboratory result is not final, so it is not shown online. Final results are shown as soon as the "
                    + "laboratory completes them.",
            "Este resultado de laboratorio no es definitivo, por lo que no se muestra en línea. Los resultados "
                    + "definitivos se muestran en cuanto el laboratorio los completa.");

    @Override
    public Decision evaluate(AccessRequest request) {
        boolean patientOrGuardian =
                request.requester() instanceof PatientRequester || request.requester() instanceof GuardianRequester;
        if (!patientOrGuardian) {
            return Decision.notApplicable(NAME);
        }
        return holdReason(request.data())
                .map(reason -> Decision.deny(NAME, reason))
                .orElseGet(() -> Decision.notApplicable(NAME));
    }

    /**
     * Why patients and guardians are held back from {@code data}, or empty when they are not: an unreleased radiology
     * report, a laboratory result that is not final. The server uses it to tag held results so that searches can
     * leave them out in the query.
     */
    public static Optional<LocalizedText> holdReason(DataCategory data) {
        if (data instanceof DataCategory.RadiologyReport report && !report.released()) {
            return Optional.of(RADIOLOGY_NOT_RELEASED);
        }
        if (data instanceof DataCategory.LabResult result && !result.status().isFinal()) {
            return Optional.of(LAB_NOT_FINAL);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return NAME;
    }
}
