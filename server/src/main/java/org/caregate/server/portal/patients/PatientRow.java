package org.caregate.server.portal.patients;

import java.time.LocalDate;

/**
 * A line of the provider portal's patient list.
 *
 * @param patientId   the FHIR id
 * @param displayName the patient's name
 * @param birthDate   may be null
 * @param mrn         the medical record number, or null if the record has none
 */
public record PatientRow(String patientId, String displayName, LocalDate birthDate, String mrn) {}
