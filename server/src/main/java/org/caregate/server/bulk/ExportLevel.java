package org.caregate.server.bulk;

/** Where an export was asked for: the whole server, all patients, or one group. */
public enum ExportLevel {
    /** {@code [base]/$export}: the patients' records and the care-system resources the client may read. */
    SYSTEM,
    /** {@code [base]/Patient/$export}: the records of every patient the client may read, or of those named. */
    PATIENT,
    /** {@code [base]/Group/[id]/$export}: the records of the group's members the client may read. */
    GROUP;

    String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static ExportLevel ofCode(String code) {
        return valueOf(code.toUpperCase(java.util.Locale.ROOT));
    }
}
