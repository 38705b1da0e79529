package org.caregate.consent;

import java.util.Objects;

/**
 * Which kind of data is asked for. Use {@link #ordinary()} to decide access to a patient as a whole (e.g. to build
 * the permitted patient set), and the specific kinds for individual resources that a rule may hold back.
 */
public sealed interface DataCategory
        permits DataCategory.Ordinary, DataCategory.RadiologyReport, DataCategory.LabResult {

    /** Any data with no release conditions of its own. */
    static DataCategory ordinary() {
        return Ordinary.INSTANCE;
    }

    /** A radiology report; {@code released} is whether a physician has released it to the patient. */
    static DataCategory radiologyReport(boolean released) {
        return new RadiologyReport(released);
    }

    /** A laboratory result with its status. */
    static DataCategory labResult(LabResultStatus status) {
        return new LabResult(status);
    }

    /** See {@link DataCategory#ordinary()}. */
    enum Ordinary implements DataCategory {
        INSTANCE
    }

    /** See {@link DataCategory#radiologyReport(boolean)}. */
    record RadiologyReport(boolean released) implements DataCategory {}

    /** See {@link DataCategory#labResult(LabResultStatus)}. */
    record LabResult(LabResultStatus status) implements DataCategory {
        public LabResult {
            Objects.requireNonNull(status, "status");
        }
    }
}
