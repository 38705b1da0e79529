package org.caregate.server.testing;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Media;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.SupplyDelivery;

/**
 * One small record of a patient for each served Patient-compartment type the seed data has none of (the US Core and
 * EHR-export types of issue 11, and a few older ones), stored below the security chain with a fixed id per type and
 * patient, so that the leak and US Core tests have something of every type to find or to withhold. Storing again is
 * a no-op update.
 */
public final class PatientRecordProbes {

    /** How to make a record of the type for a patient ({@code Patient/<id>}). */
    public static final Map<String, Function<Reference, Resource>> BUILDERS = builders();

    private PatientRecordProbes() {}

    /** The id of the probe of this type for this patient. */
    public static String idOf(String type, String patientId) {
        String id = "probe-" + type.toLowerCase(Locale.ROOT) + "-" + patientId;
        return id.length() <= 64 ? id : id.substring(0, 64);
    }

    /** Stores the probe of every type in {@link #BUILDERS} for each patient (PUT with the fixed id). */
    public static void storeFor(DaoRegistry daoRegistry, String... patientIds) {
        for (String patientId : patientIds) {
            for (Map.Entry<String, Function<Reference, Resource>> builder : BUILDERS.entrySet()) {
                Resource resource = builder.getValue().apply(new Reference("Patient/" + patientId));
                resource.setId(new IdType(builder.getKey(), idOf(builder.getKey(), patientId)));
                daoRegistry.getResourceDao(builder.getKey()).update(resource, new SystemRequestDetails());
            }
        }
    }

    private static Map<String, Function<Reference, Resource>> builders() {
        CodeableConcept text = new CodeableConcept().setText("probe of issue 11");
        Map<String, Function<Reference, Resource>> builders = new TreeMap<>();
        builders.put(
                "CarePlan",
                patient -> new CarePlan()
                        .setStatus(CarePlan.CarePlanStatus.ACTIVE)
                        .setIntent(CarePlan.CarePlanIntent.PLAN)
                        .setSubject(patient)
                        .addCategory(text));
        builders.put(
                "Goal",
                patient -> new Goal()
                        .setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                        .setDescription(text)
                        .setSubject(patient));
        builders.put("Device", patient -> new Device().setPatient(patient).setType(text));
        builders.put(
                "MedicationDispense",
                patient -> new MedicationDispense()
                        .setStatus(MedicationDispense.MedicationDispenseStatus.COMPLETED)
                        .setMedication(text)
                        .setSubject(patient));
        builders.put("Specimen", patient -> new Specimen().setSubject(patient).setType(text));
        builders.put(
                "QuestionnaireResponse",
                patient -> new QuestionnaireResponse()
                        .setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED)
                        .setSubject(patient));
        builders.put("Provenance", patient -> {
            Provenance provenance = new Provenance().setRecorded(new Date());
            provenance.addTarget(patient);
            provenance.addAgent().setWho(patient);
            return provenance;
        });
        builders.put(
                "Media",
                patient -> new Media()
                        .setStatus(Media.MediaStatus.COMPLETED)
                        .setSubject(patient)
                        .setContent(
                                new Attachment().setContentType("text/plain").setTitle("probe")));
        builders.put(
                "ExplanationOfBenefit",
                patient -> new ExplanationOfBenefit()
                        .setStatus(ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE)
                        .setUse(ExplanationOfBenefit.Use.CLAIM)
                        .setType(text)
                        .setPatient(patient));
        builders.put(
                "MedicationAdministration",
                patient -> new MedicationAdministration()
                        .setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED)
                        .setMedication(text)
                        .setSubject(patient)
                        .setEffective(DateTimeType.now()));
        builders.put(
                "SupplyDelivery",
                patient -> new SupplyDelivery()
                        .setStatus(SupplyDelivery.SupplyDeliveryStatus.COMPLETED)
                        .setPatient(patient));
        builders.put(
                "ImagingStudy",
                patient -> new ImagingStudy()
                        .setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE)
                        .setSubject(patient));
        builders.put(
                "DocumentReference",
                patient -> new DocumentReference()
                        .setStatus(Enumerations.DocumentReferenceStatus.CURRENT)
                        .setType(text)
                        .setSubject(patient)
                        .addContent(new DocumentReference.DocumentReferenceContentComponent(
                                new Attachment().setContentType("text/plain").setTitle("probe"))));
        builders.put("Appointment", patient -> {
            Appointment appointment = new Appointment().setStatus(Appointment.AppointmentStatus.BOOKED);
            appointment.addParticipant().setActor(patient).setStatus(Appointment.ParticipationStatus.ACCEPTED);
            return appointment;
        });
        builders.put(
                "Communication",
                patient -> new Communication()
                        .setStatus(Communication.CommunicationStatus.COMPLETED)
                        .setSubject(patient));
        builders.put("Group", patient -> {
            Group group =
                    new Group().setType(Group.GroupType.PERSON).setActual(true).setName("probe");
            group.addMember().setEntity(patient);
            return group;
        });
        return java.util.Collections.unmodifiableMap(builders);
    }
}
