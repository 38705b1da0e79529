package org.caregate.consent;

import java.util.Locale;

/**
 * The status of a laboratory result, following FHIR {@code DiagnosticReport.status} / {@code Observation.status}.
 * Only {@link #FINAL}, {@link #AMENDED}, {@link #CORRECTED} and {@link #APPENDED} count as final: FHIR defines the
 * last three as changes made after the result was final ("appended" is a kind of "amended"). Everything else
 * (not yet final, cancelled, entered in error, unknown) is held back from patients and guardians.
 */
public enum LabResultStatus {
    REGISTERED("registered", false),
    PARTIAL("partial", false),
    PRELIMINARY("preliminary", false),
    FINAL("final", true),
    AMENDED("amended", true),
    CORRECTED("corrected", true),
    APPENDED("appended", true),
    CANCELLED("cancelled", false),
    ENTERED_IN_ERROR("entered-in-error", false),
    UNKNOWN("unknown", false);

    private final String code;
    private final boolean isFinal;

    LabResultStatus(String code, boolean isFinal) {
        this.code = code;
        this.isFinal = isFinal;
    }

    /** The FHIR code, e.g. {@code "entered-in-error"}. */
    public String code() {
        return code;
    }

    /** Whether the result is final, so patients and guardians may see it. */
    public boolean isFinal() {
        return isFinal;
    }

    /** The status for a FHIR code (case-insensitive); {@link #UNKNOWN} for {@code null} or an unknown code. */
    public static LabResultStatus fromCode(String code) {
        if (code != null) {
            String wanted = code.trim().toLowerCase(Locale.ROOT);
            for (LabResultStatus status : values()) {
                if (status.code.equals(wanted)) {
                    return status;
                }
            }
        }
        return UNKNOWN;
    }
}
