package org.caregate.server.portal.patients;

/**
 * One of a patient's recent encounters, offered for an EHR launch with that encounter in context
 * ({@code context-ehr-encounter}).
 *
 * @param encounterId the Encounter's FHIR id
 * @param label what the practitioner reads: the date and the kind of visit
 */
public record EncounterChoice(String encounterId, String label) {}
