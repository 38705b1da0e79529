package org.caregate.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.caregate.server.testing.FullStackTest;
import org.caregate.server.testing.SmartTokens;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The audit trail over the real stack: real tokens, the real security chain, AuditEvents read back from the
 * audit store. Each test finds its own events by the token's {@code jti}, which every event records as the requesting
 * agent's {@code policy} (BALP, OAuth token use).
 */
class AccessAuditTest extends FullStackTest {

    private static final String OKAFOR_SCOPES = "openid fhirUser user/*.cruds";
    private static final String ALICE = "pat-adult-alice";

    @Autowired
    private AuditEventWriter writer;

    @Autowired
    private AuditStore store;

    @Autowired
    private AccessAuditInterceptor auditInterceptor;

    @Test
    void readWhenPractitionerReadsPatientThenOneEventNamesHimHisClinicTheAppAndThePatient() {
        String token = tokens().userToken("dr.okafor", OKAFOR_SCOPES, null);
        fhirClient(token).read().resource(Patient.class).withId(ALICE).execute();

        List<AuditEvent> events = eventsOf(token);
        assertThat(events).hasSize(1);
        AuditEvent event = events.get(0);
        assertThat(event.getType().getCode()).isEqualTo("rest");
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(event.getMeta().getProfile().get(0).getValue())
                .isEqualTo("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead");

        AuditEventAgentComponent user = agent(event, "IRCP").orElseThrow();
        assertThat(user.getWho().getReference()).isEqualTo("Practitioner/prac-north-gp");
        assertThat(user.getRequestor()).isTrue();
        assertThat(user.getAltId()).isEqualTo("dr.okafor");
        assertThat(agent(event, "PROV").orElseThrow().getWho().getReference())
                .isEqualTo("Organization/org-clinic-north");
        AuditEventAgentComponent client = agent(event, "110152").orElseThrow(); // a read: the client receives the data
        assertThat(client.getWho().getIdentifier().getValue()).isEqualTo(SmartTokens.PUBLIC_APP);
        assertThat(client.getRequestor()).isFalse();
        assertThat(agent(event, "110153").orElseThrow().getWho().getDisplay()).isEqualTo("CareGate FHIR server");

        assertThat(patients(event)).containsExactly("Patient/" + ALICE);
        assertThat(entities(event, "4"))
                .extracting(entity -> entity.getWhat().getReference())
                .containsExactly("Patient/" + ALICE);
        assertThat(event.getSource().getObserver().getDisplay()).isEqualTo("CareGate FHIR server");
    }

    @Test
    void searchWhenPractitionerSearchesThenTheEventCarriesTheQuery() {
        String token = tokens().userToken("dr.okafor", OKAFOR_SCOPES, null);
        fhirClient(token)
                .search()
                .byUrl("Observation?patient=" + ALICE + "&category=laboratory")
                .returnBundle(Bundle.class)
                .execute();

        List<AuditEvent> events = eventsOf(token);
        assertThat(events).hasSize(1);
        AuditEvent event = events.get(0);
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("search-type");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(patients(event)).containsExactly("Patient/" + ALICE);
        AuditEventEntityComponent query = entities(event, "24").get(0);
        String url = new String(query.getQuery(), StandardCharsets.UTF_8);
        assertThat(url)
                .startsWith(FHIR_BASE + "/Observation?")
                .contains("patient=" + ALICE)
                .contains("category=laboratory");
        // the query as the client sent it, not as search narrowing rewrote it
        assertThat(url).doesNotContain("pat-parent-garcia");
        assertThat(agent(event, "110153").orElseThrow().getWho().getIdentifier().getValue())
                .isEqualTo(SmartTokens.PUBLIC_APP); // a query: the client is the source
    }

    @Test
    void searchWhenSeveralPatientsAreReturnedThenOneEventPerPatientNamingOnlyThatPatient() {
        String token = tokens().userToken("dr.okafor", OKAFOR_SCOPES, null);
        Bundle result = fhirClient(token)
                .search()
                .byUrl("Patient?family=Garcia")
                .returnBundle(Bundle.class)
                .execute();
        Set<String> returned = result.getEntry().stream()
                .map(entry -> "Patient/" + entry.getResource().getIdElement().getIdPart())
                .collect(Collectors.toSet());
        assertThat(returned).hasSizeGreaterThan(1);

        List<AuditEvent> events = eventsOf(token);
        assertThat(events).hasSize(returned.size());
        assertThat(events).allSatisfy(event -> assertThat(patients(event)).hasSize(1));
        assertThat(events.stream().flatMap(event -> patients(event).stream()).collect(Collectors.toSet()))
                .isEqualTo(returned);
    }

    @Test
    void readWhenConsentRefusesThenTheEventRecordsTheRefusalAndItsRule() {
        String token = tokens().userToken("maria", "openid fhirUser user/*.rs", null);
        assertThatThrownBy(() -> fhirClient(token)
                        .read()
                        .resource(Patient.class)
                        .withId("pat-family-13")
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);

        List<AuditEvent> events = eventsOf(token);
        assertThat(events).hasSize(1);
        AuditEvent event = events.get(0);
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(event.getOutcome()).isIn(AuditEvent.AuditEventOutcome._4, AuditEvent.AuditEventOutcome._8);
        assertThat(event.getOutcomeDesc()).contains("rule");
        assertThat(event.getMeta().getProfile()).isEmpty(); // BALP's profiles are for successful events
        assertThat(agent(event, "IRCP").orElseThrow().getWho().getReference()).isEqualTo("Patient/pat-parent-garcia");
        assertThat(patients(event)).containsExactly("Patient/pat-family-13");
    }

    @Test
    void searchAuditEventsWhenPatientAsksWhoLookedAtHerRecordThenSheSeesThePractitionersRead() {
        String okafor = tokens().userToken("dr.okafor", OKAFOR_SCOPES, null);
        fhirClient(okafor).read().resource(Patient.class).withId(ALICE).execute();
        // and one request about two patients: Alice must see her part of it, and nothing about Bob
        fhirClient(okafor)
                .search()
                .byUrl("Observation?patient=" + ALICE + ",pat-adult-bob")
                .returnBundle(Bundle.class)
                .execute();
        writer.flush();

        String alice = tokens().userToken("alice", "openid fhirUser launch/patient patient/*.rs", null);
        Bundle trail = fhirClient(alice)
                .search()
                .byUrl("AuditEvent?patient=" + ALICE + "&policy=" + jti(okafor) + "&_count=100")
                .returnBundle(Bundle.class)
                .execute();

        List<AuditEvent> seen = trail.getEntry().stream()
                .map(entry -> (AuditEvent) entry.getResource())
                .toList();
        assertThat(seen).anySatisfy(event -> {
            assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
            assertThat(agent(event, "IRCP").orElseThrow().getWho().getReference())
                    .isEqualTo("Practitioner/prac-north-gp");
            assertThat(agent(event, "IRCP").orElseThrow().getWho().getDisplay()).isEqualTo("Dr. Samuel Okafor");
        });
        assertThat(seen)
                .anySatisfy(event ->
                        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("search-type"));
        assertThat(seen).allSatisfy(event -> assertThat(patients(event)).containsExactly("Patient/" + ALICE));
    }

    @Test
    void writeAuditEventWhenAnyoneTriesThenRefusedAndTheRecordStaysAsItWas() {
        String token = tokens().userToken("dr.okafor", OKAFOR_SCOPES, null);
        fhirClient(token).read().resource(Patient.class).withId(ALICE).execute();
        AuditEvent stored = eventsOf(token).get(0);
        String id = stored.getIdElement().getIdPart();
        IGenericClient client = fhirClient(token);

        AuditEvent forged = stored.copy();
        forged.setOutcomeDesc("nothing happened here");
        assertThatThrownBy(() -> client.update().resource(forged).withId(id).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> client.delete().resourceById("AuditEvent", id).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("read-only");
        AuditEvent fresh = new AuditEvent();
        fresh.addEntity().setWhat(new Reference("Patient/" + ALICE));
        assertThatThrownBy(() -> client.create().resource(fresh).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("read-only");

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setResource(new Observation()
                        .setStatus(Observation.ObservationStatus.FINAL)
                        .setSubject(new Reference("Patient/" + ALICE)))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        transaction
                .addEntry()
                .setResource(fresh)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("AuditEvent");
        assertThatThrownBy(() -> client.transaction().withBundle(transaction).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("read-only");
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl("AuditEvent/" + id);
        assertThatThrownBy(() -> client.transaction().withBundle(batch).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("read-only");

        AuditStore.StoredEvent afterwards = store.read(Long.parseLong(id)).orElseThrow();
        AuditEvent unchanged = fhirContext.newJsonParser().parseResource(AuditEvent.class, afterwards.json());
        assertThat(unchanged.getOutcomeDesc()).isNull();
        assertThat(unchanged.getRecorded()).isEqualTo(stored.getRecorded());
        // and each attempt is itself on record, refused
        assertThat(eventsOf(token))
                .filteredOn(event -> event.getOutcome() == AuditEvent.AuditEventOutcome._4)
                .extracting(event -> event.getSubtypeFirstRep().getCode())
                .contains("update", "delete", "create", "transaction", "batch");
    }

    @Test
    void searchWhenBackendClientSearchesThenTheClientIsTheRequestorForItsOrganisation() {
        String token = tokens().backendToken("system/*.rs");
        fhirClient(token)
                .search()
                .byUrl("Condition?patient=" + ALICE)
                .returnBundle(Bundle.class)
                .execute();

        List<AuditEvent> events = eventsOf(token);
        assertThat(events).hasSize(1);
        AuditEvent event = events.get(0);
        assertThat(agent(event, "IRCP")).isEmpty();
        AuditEventAgentComponent client = agent(event, "110153").orElseThrow();
        assertThat(client.getWho().getIdentifier().getValue()).isEqualTo(SmartTokens.BACKEND_NORTH);
        assertThat(client.getRequestor()).isTrue();
        assertThat(client.getPolicy().get(0).getValue()).isEqualTo(jti(token));
        assertThat(agent(event, "PROV").orElseThrow().getWho().getReference())
                .isEqualTo("Organization/org-clinic-north");
        assertThat(patients(event)).containsExactly("Patient/" + ALICE);
    }

    @Test
    void readWhenResourceDoesNotExistThenTheEventIsStoredWithItsReference() {
        String token = tokens().userToken("dr.okafor", OKAFOR_SCOPES, null);
        assertThatThrownBy(() -> fhirClient(token)
                        .read()
                        .resource(Observation.class)
                        .withId("no-such-observation")
                        .execute())
                .isInstanceOf(Exception.class);

        List<AuditEvent> events = eventsOf(token).stream()
                .filter(event -> entities(event, "4").stream()
                        .anyMatch(entity -> "Observation/no-such-observation"
                                .equals(entity.getWhat().getReference())))
                .toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
    }

    @Test
    void searchByAgentWhenOrganisationOrPractitionerThenTheirEventsAreIndexed() {
        String token = tokens().userToken("dr.okafor", OKAFOR_SCOPES, null);
        fhirClient(token).read().resource(Patient.class).withId(ALICE).execute();
        writer.flush();

        // the searches a site administrator's rule relies on (see OrganisationAuditTrail)
        AuditReader reader = new AuditReader(Set.of(ALICE), Optional.of("org-clinic-north"));
        for (String agent : List.of("Organization/org-clinic-north", "Practitioner/prac-north-gp")) {
            AuditSearch search = new AuditSearch(reader, store.lastId())
                    .agents(List.of(Set.of(agent)))
                    .policies(List.of(Set.of(jti(token))));
            assertThat(store.count(search)).as(agent).isEqualTo(1);
        }
    }

    @Test
    void readWhenNoTokenThenNothingIsRecorded() {
        writer.flush();
        long before = auditInterceptor.cost().requests();
        assertThatThrownBy(() -> fhirClient()
                        .read()
                        .resource(Patient.class)
                        .withId(ALICE)
                        .execute())
                .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.AuthenticationException.class);
        writer.flush();
        assertThat(auditInterceptor.cost().requests()).isEqualTo(before);
    }

    // -- helpers

    /** Every stored event of the token, whole (as the store keeps it), with its row id. */
    private List<AuditEvent> eventsOf(String token) {
        writer.flush();
        return store.byTokenId(jti(token)).stream().map(this::parse).toList();
    }

    private AuditEvent parse(AuditStore.StoredEvent stored) {
        AuditEvent event = fhirContext.newJsonParser().parseResource(AuditEvent.class, stored.json());
        event.setId(new org.hl7.fhir.r4.model.IdType("AuditEvent", String.valueOf(stored.id())));
        return event;
    }

    private static String jti(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static Optional<AuditEventAgentComponent> agent(AuditEvent event, String typeCode) {
        return event.getAgent().stream()
                .filter(agent ->
                        agent.getType().getCoding().stream().anyMatch(coding -> typeCode.equals(coding.getCode())))
                .findFirst();
    }

    /** Entities by role code (object-role: 1 Patient, 4 Domain Resource, 24 Query). */
    private static List<AuditEventEntityComponent> entities(AuditEvent event, String roleCode) {
        return event.getEntity().stream()
                .filter(entity -> roleCode.equals(entity.getRole().getCode()))
                .toList();
    }

    private static List<String> patients(AuditEvent event) {
        return entities(event, "1").stream()
                .map(entity -> entity.getWhat().getReference())
                .toList();
    }
}
