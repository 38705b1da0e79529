package org.caregate.server.access;

import java.time.LocalDate;

/**
 * What the index keeps of a Patient for the rules and the patient picker, in the detail of its
 * {@link AccessFact.Kind#PATIENT} fact: {@code <birth date or empty>|<deceased: true/false>|<display name>}.
 *
 * @param birthDate   a full birth date, or {@code null} (none or partial)
 * @param deceased    whether the patient is recorded as deceased
 * @param displayName the name to show
 */
record PatientDetail(LocalDate birthDate, boolean deceased, String displayName) {

    String encode() {
        return (birthDate == null ? "" : birthDate.toString()) + "|" + deceased + "|" + displayName;
    }

    static PatientDetail decode(String detail) {
        int first = detail.indexOf('|');
        int second = detail.indexOf('|', first + 1);
        String date = detail.substring(0, first);
        return new PatientDetail(
                date.isEmpty() ? null : LocalDate.parse(date),
                Boolean.parseBoolean(detail.substring(first + 1, second)),
                detail.substring(second + 1));
    }
}
