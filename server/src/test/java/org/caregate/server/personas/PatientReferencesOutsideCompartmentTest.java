package org.caregate.server.personas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A resource that refers to a patient is that patient's record, whatever the R4 Patient compartment definition
 * omits: a {@code Binary} whose {@code securityContext} is a patient (a clinic note of Maria's 13-year-old), a
 * {@code Task} whose {@code for} is Carol, who refuses Dr. Okafor. (They stay stored: the audit trail of the
 * refused reads refers to them.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientReferencesOutsideCompartmentTest extends PersonaTest {

    private IdType teenNote;
    private IdType aliceNote;
    private IdType carolTask;

    @BeforeAll
    void storeResourcesThatNamePatientsOutsideTheCompartment() {
        teenNote = (IdType) daoRegistry
                .getResourceDao(Binary.class)
                .create(note("pat-family-13"), new SystemRequestDetails())
                .getId()
                .toUnqualifiedVersionless();
        aliceNote = (IdType) daoRegistry
                .getResourceDao(Binary.class)
                .create(note("pat-adult-alice"), new SystemRequestDetails())
                .getId()
                .toUnqualifiedVersionless();
        Task task = new Task()
                .setStatus(Task.TaskStatus.REQUESTED)
                .setIntent(Task.TaskIntent.ORDER)
                .setFor(new Reference("Patient/pat-adult-carol"));
        task.setDescription("persona test: call Carol about her results");
        carolTask = (IdType) daoRegistry
                .getResourceDao(Task.class)
                .create(task, new SystemRequestDetails())
                .getId()
                .toUnqualifiedVersionless();
    }

    private static Binary note(String patientId) {
        Binary binary = new Binary().setContentType("text/plain");
        binary.setData("persona test: clinic note".getBytes(StandardCharsets.UTF_8));
        binary.setSecurityContext(new Reference("Patient/" + patientId));
        return binary;
    }

    @Test
    void readBinaryWhenItsSecurityContextIsAPatientTheGuardianMayNotSeeThenForbidden() {
        assertThatThrownBy(() -> fhirClient(token("maria", USER_SCOPES, null))
                        .read()
                        .resource(Binary.class)
                        .withId(teenNote.getIdPart())
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("every patient permitted");
    }

    @Test
    void readBinaryWhenItsSecurityContextIsTheReadersOwnRecordThenReturned() {
        Binary own = fhirClient(token("alice", PATIENT_SCOPES, null))
                .read()
                .resource(Binary.class)
                .withId(aliceNote.getIdPart())
                .execute();

        assertThat(own.getSecurityContext().getReference()).isEqualTo("Patient/pat-adult-alice");
    }

    @Test
    void readTaskForAPatientWhoRefusesThePractitionerThenForbidden() {
        assertThatThrownBy(() -> fhirClient(token("dr.okafor", USER_SCOPES, null))
                        .read()
                        .resource(Task.class)
                        .withId(carolTask.getIdPart())
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void searchTasksWhenOneIsForARefusingPatientThenItIsNeverShown() {
        Bundle tasks;
        try {
            tasks = fhirClient(token("dr.okafor", USER_SCOPES, null))
                    .search()
                    .byUrl("Task?_id=" + carolTask.getIdPart())
                    .returnBundle(Bundle.class)
                    .execute();
        } catch (ForbiddenOperationException refused) {
            return; // refusing the whole search is as good: nothing of Carol's is shown
        }
        assertThat(ids(tasks)).doesNotContain("Task/" + carolTask.getIdPart());
    }
}
