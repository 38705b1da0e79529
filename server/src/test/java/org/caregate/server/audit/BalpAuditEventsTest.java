package org.caregate.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.caregate.server.security.AccessContext;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserKind;
import org.caregate.smart.authserver.user.UserStatus;
import org.caregate.smart.scope.SmartScopeParser;
import org.caregate.smart.token.SmartAccessToken;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** The BALP shape of the events for each kind of request, without Spring, and what building them costs. */
class BalpAuditEventsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String BASE = "https://caregate.example/fhir";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final BalpAuditEvents events =
            new BalpAuditEvents(FHIR, new PatientCompartmentOwners(FHIR), Clock.fixed(NOW, ZoneOffset.UTC), BASE, 3);

    private final AccessContext practitioner = new AccessContext(
            new SmartAccessToken(
                    "jti-1",
                    "caregate-public-app",
                    "dr.okafor",
                    "Practitioner/prac-north-gp",
                    null,
                    null,
                    SmartScopeParser.parse("openid fhirUser user/*.cruds"),
                    NOW,
                    NOW.plusSeconds(300),
                    "https://issuer",
                    null),
            Optional.of(new UserAccount(
                    "dr.okafor",
                    "Dr. Samuel Okafor",
                    "Practitioner/prac-north-gp",
                    UserKind.PRACTITIONER,
                    "org-clinic-north",
                    Set.of("clinician"),
                    UserStatus.ACTIVE,
                    NOW,
                    NOW)));

    private static SystemRequestDetails request(RestOperationTypeEnum operation, String type, String id) {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setRestOperationType(operation);
        request.setResourceName(type);
        if (id != null) {
            request.setId(new IdType(type, id));
        }
        return request;
    }

    private static AuditedRequest audited(SystemRequestDetails request, String url, String... namedPatients) {
        return AuditedRequest.start(request, url, Set.of(namedPatients));
    }

    private static Patient patient(String id) {
        Patient patient = new Patient();
        patient.setId("Patient/" + id);
        return patient;
    }

    private static Observation observation(String id, String patient) {
        Observation observation = new Observation();
        observation.setId("Observation/" + id);
        observation.setSubject(new Reference("Patient/" + patient));
        return observation;
    }

    private static List<String> patients(AuditEvent event) {
        return event.getEntity().stream()
                .filter(entity -> "1".equals(entity.getRole().getCode()))
                .map(entity ->
                        entity.getWhat().hasReference() ? entity.getWhat().getReference() : "(listed)")
                .toList();
    }

    @Test
    void readThenPatientReadWithRecordedTimeFromTheClock() {
        SystemRequestDetails request = request(RestOperationTypeEnum.READ, "Observation", "o1");
        AuditedRequest audited = audited(request, BASE + "/Observation/o1");
        audited.returned.add(observation("o1", "alice"));

        List<AuditEvent> result = events.eventsFor(request, practitioner, audited);

        assertThat(result).hasSize(1);
        AuditEvent event = result.get(0);
        assertThat(event.getRecorded().toInstant()).isEqualTo(NOW);
        assertThat(event.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.PatientRead");
        assertThat(patients(event)).containsExactly("Patient/alice");
        assertThat(event.getEntity())
                .extracting(entity -> entity.getWhat().getReference())
                .containsExactly("Patient/alice", "Observation/o1");
        assertThat(event.getAgentFirstRep().getPolicy().get(0).getValue()).isEqualTo("jti-1");
    }

    @Test
    void searchThenOneEventPerPatientAndAnOverflowEventBeyondTheLimit() {
        SystemRequestDetails request = request(RestOperationTypeEnum.SEARCH_TYPE, "Observation", null);
        AuditedRequest audited = audited(request, BASE + "/Observation?code=x");
        Bundle bundle = new Bundle();
        for (String patient : List.of("p1", "p2", "p1", "p3", "p4", "p5")) {
            bundle.addEntry()
                    .setResource(observation("o-" + patient + bundle.getEntry().size(), patient));
        }
        BalpAuditEvents.addResponseResources(bundle, audited.returned);

        List<AuditEvent> result = events.eventsFor(request, practitioner, audited);

        assertThat(result).hasSize(4);
        assertThat(result.subList(0, 3))
                .extracting(BalpAuditEventsTest::patients)
                .containsExactly(List.of("Patient/p1"), List.of("Patient/p2"), List.of("Patient/p3"));
        AuditEvent overflow = result.get(3);
        assertThat(patients(overflow)).containsExactly("Patient/p4", "Patient/p5");
        assertThat(overflow.getEntity().stream()
                        .filter(entity -> "1".equals(entity.getRole().getCode()))
                        .findFirst()
                        .orElseThrow()
                        .getDescription())
                .contains("2 further patients");
        assertThat(result)
                .allSatisfy(event -> assertThat(event.getEntity())
                        .anySatisfy(entity ->
                                assertThat(new String(entity.getQuery())).isEqualTo(BASE + "/Observation?code=x")));
    }

    @Test
    void refusedReadThenOutcomeFourWithTheRefusalTextAndTheNamedPatient() {
        SystemRequestDetails request = request(RestOperationTypeEnum.READ, "Patient", "teen");
        AuditedRequest audited = audited(request, BASE + "/Patient/teen", "teen");
        audited.failed(new ForbiddenOperationException("Access denied by rule 'guardian': no."));

        AuditEvent event = events.eventsFor(request, practitioner, audited).get(0);

        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(event.getOutcomeDesc()).isEqualTo("Access denied by rule 'guardian': no.");
        assertThat(event.getMeta().hasProfile()).isFalse();
        assertThat(patients(event)).containsExactly("Patient/teen");
    }

    @Test
    void deleteThenTheDeletedResourceIsALogicalReference() {
        SystemRequestDetails request = request(RestOperationTypeEnum.DELETE, "Observation", "o9");
        AuditedRequest audited = audited(request, BASE + "/Observation/o9");
        audited.addWritten(observation("o9", "alice"), AuditedRequest.Change.DELETED);

        AuditEvent event = events.eventsFor(request, practitioner, audited).get(0);

        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.D);
        assertThat(patients(event)).containsExactly("Patient/alice");
        AuditEvent.AuditEventEntityComponent data = event.getEntity().get(1);
        assertThat(data.getWhat().hasReference()).isFalse();
        assertThat(data.getWhat().getIdentifier().getValue()).isEqualTo(BASE + "/Observation/o9");
    }

    @Test
    void noPatientThenOneEventWithoutPatient() {
        SystemRequestDetails request = request(RestOperationTypeEnum.READ, "Practitioner", "prac-1");
        AuditedRequest audited = audited(request, BASE + "/Practitioner/prac-1");

        List<AuditEvent> result = events.eventsFor(request, practitioner, audited);

        assertThat(result).hasSize(1);
        assertThat(patients(result.get(0))).isEmpty();
        assertThat(result.get(0).getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.Read");
    }

    /** Prints the request-thread CPU time of building the events; asserts nothing about it. */
    @Test
    void printBuildCost() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SystemRequestDetails read = request(RestOperationTypeEnum.READ, "Patient", "alice");
        SystemRequestDetails search = request(RestOperationTypeEnum.SEARCH_TYPE, "Observation", null);
        Bundle page = new Bundle();
        for (int i = 0; i < 20; i++) {
            page.addEntry().setResource(observation("o" + i, "alice"));
        }
        for (int warm = 0; warm < 20_000; warm++) {
            buildRead(read);
            buildSearch(search, page);
        }
        int n = 20_000;
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            buildRead(read);
        }
        long readCpu = threads.getCurrentThreadCpuTime() - start;
        start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            buildSearch(search, page);
        }
        long searchCpu = threads.getCurrentThreadCpuTime() - start;
        System.out.printf(
                Locale.ROOT,
                "%nBuilding AuditEvents (CPU per request): read %.1f us, 20-result search %.1f us%n%n",
                readCpu / 1000.0 / n,
                searchCpu / 1000.0 / n);
    }

    private void buildRead(SystemRequestDetails request) {
        AuditedRequest audited = audited(request, BASE + "/Patient/alice", "alice");
        audited.returned.add(patient("alice"));
        events.eventsFor(request, practitioner, audited);
    }

    private void buildSearch(SystemRequestDetails request, Bundle page) {
        AuditedRequest audited = audited(request, BASE + "/Observation?patient=alice");
        BalpAuditEvents.addResponseResources(page, audited.returned);
        events.eventsFor(request, practitioner, audited);
    }
}
