package org.caregate.server.portal.patients;

import java.time.LocalDate;
import java.util.List;

/**
 * A line of the provider portal's patient list.
 *
 * @param patientId   the FHIR id
 * @param displayName the patient's name
 * @param birthDate   may be null
 * @param mrn         the medical record number, or null if the record has none
 * @param encounters  the patient's most recent encounters, newest first, to launch an app with one in context
 */
public record PatientRow(
        String patientId, String displayName, LocalDate birthDate, String mrn, List<EncounterChoice> encounters) {

    public PatientRow {
        encounters = List.copyOf(encounters);
    }
}
