package org.caregate.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The audit trail's FHIR searches as its readers use them: a patient's "who looked at my record" with every search
 * parameter, paging whose pages add up to {@code total} while new events arrive, {@code _summary=count}, and what a
 * reader is shown of events that also concern other patients.
 */
class AuditEventSearchTest extends FullStackTest {

    private static final String ALICE = "pat-adult-alice";
    private static final String ALICE_SCOPES = "openid fhirUser launch/patient patient/*.rs";

    @Autowired
    private AuditStore store;

    @Test
    void searchWhenPatientPagesThroughHerTrailThenThePagesAddUpToTotalWhileNewEventsArrive() {
        String okafor = tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null);
        for (int i = 0; i < 5; i++) {
            fhirClient(okafor).read().resource(Patient.class).withId(ALICE).execute();
        }
        IGenericClient alice = fhirClient(tokens().userToken("alice", ALICE_SCOPES, null));
        String trail = "AuditEvent?patient=" + ALICE + "&policy=" + jti(okafor);

        Bundle first = alice.search()
                .byUrl(trail + "&_count=2")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(first.getTotal()).isEqualTo(5);
        // dr.okafor looks again while alice pages: her pages still add up to the total of her first page
        fhirClient(okafor).read().resource(Patient.class).withId(ALICE).execute();
        List<AuditEvent> paged = new ArrayList<>();
        Bundle page = first;
        for (int pages = 0; page != null && pages < 10; pages++) {
            page.getEntry().forEach(entry -> paged.add((AuditEvent) entry.getResource()));
            page = page.getLink(Bundle.LINK_NEXT) == null
                    ? null
                    : alice.loadPage().next(page).execute();
        }
        assertThat(paged).hasSize(5);
        assertThat(paged).extracting(event -> event.getIdElement().getIdPart()).doesNotHaveDuplicates();
        assertThat(paged).extracting(AuditEvent::getRecorded).isSortedAccordingTo((a, b) -> b.compareTo(a));

        Bundle count = alice.search()
                .byUrl(trail + "&_summary=count")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(count.getTotal()).isEqualTo(6);
        assertThat(count.getEntry()).isEmpty();
        Bundle oldestFirst = alice.search()
                .byUrl(trail + "&_sort=date&_count=1")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(((AuditEvent) oldestFirst.getEntryFirstRep().getResource()).getRecorded())
                .isEqualTo(paged.get(paged.size() - 1).getRecorded());
    }

    @Test
    void searchWhenFilteredByEachParameterThenOnlyMatchingEvents() {
        String okafor = tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null);
        fhirClient(okafor).read().resource(Patient.class).withId(ALICE).execute();
        fhirClient(okafor)
                .search()
                .byUrl("Observation?patient=" + ALICE)
                .returnBundle(Bundle.class)
                .execute();
        IGenericClient alice = fhirClient(tokens().userToken("alice", ALICE_SCOPES, null));
        String trail = "AuditEvent?patient=" + ALICE + "&policy=" + jti(okafor) + "&_summary=count";

        assertThat(total(alice, trail)).isEqualTo(2);
        assertThat(total(alice, trail + "&subtype=read")).isEqualTo(1);
        assertThat(total(alice, trail + "&subtype=http://hl7.org/fhir/restful-interaction|search-type"))
                .isEqualTo(1);
        assertThat(total(alice, trail + "&type=http://terminology.hl7.org/CodeSystem/audit-event-type|rest"))
                .isEqualTo(2);
        assertThat(total(alice, trail + "&type=rest&outcome=0")).isEqualTo(2);
        assertThat(total(alice, trail + "&outcome=4")).isZero();
        assertThat(total(alice, trail + "&action=R")).isEqualTo(1);
        assertThat(total(alice, trail + "&agent=Practitioner/prac-north-gp")).isEqualTo(2);
        assertThat(total(alice, trail + "&agent=Organization/org-clinic-north")).isEqualTo(2);
        assertThat(total(alice, trail + "&agent=Practitioner/prac-south-gp")).isZero();
        assertThat(total(alice, trail + "&entity=Patient/" + ALICE)).isEqualTo(2);
        assertThat(total(alice, trail + "&date=ge2000-01-01")).isEqualTo(2);
        assertThat(total(alice, trail + "&date=lt2000-01-01")).isZero();
        // a patient she may not see matches nothing, whatever happened to them
        assertThat(total(alice, "AuditEvent?patient=pat-adult-bob&_summary=count"))
                .isZero();
        assertThat(total(alice, "AuditEvent?entity=Patient/pat-adult-bob&_summary=count"))
                .isZero();
    }

    @Test
    void searchWhenAnEventAlsoConcernsAnotherPatientThenThePatientSeesOnlyHerselfInIt() {
        String okafor = tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null);
        fhirClient(okafor)
                .search()
                .byUrl("Observation?patient=" + ALICE + ",pat-adult-bob&_count=50")
                .returnBundle(Bundle.class)
                .execute();
        IGenericClient alice = fhirClient(tokens().userToken("alice", ALICE_SCOPES, null));

        Bundle trail = alice.search()
                .byUrl("AuditEvent?patient=" + ALICE + "&policy=" + jti(okafor))
                .returnBundle(Bundle.class)
                .execute();

        assertThat(trail.getEntry()).hasSize(1);
        AuditEvent event = (AuditEvent) trail.getEntryFirstRep().getResource();
        String query = event.getEntity().stream()
                .filter(entity -> "24".equals(entity.getRole().getCode()))
                .map(entity -> new String(entity.getQuery(), StandardCharsets.UTF_8))
                .findFirst()
                .orElseThrow();
        assertThat(query).contains("patient=" + ALICE + ",[redacted]").contains("_count=50");
        assertThat(fhirContext.newJsonParser().encodeResourceToString(trail)).doesNotContain("pat-adult-bob");

        // the same event stored whole, for the hospital's privacy office
        long id = Long.parseLong(event.getIdElement().getIdPart());
        AuditEvent whole = fhirContext
                .newJsonParser()
                .parseResource(AuditEvent.class, store.read(id).orElseThrow().json());
        assertThat(whole.getEntity())
                .anySatisfy(entity -> assertThat(entity.hasQuery()
                                && new String(entity.getQuery(), StandardCharsets.UTF_8).contains("pat-adult-bob"))
                        .isTrue());
    }

    @Test
    void readWhenTheEventIsAboutAnotherPatientThenNotFoundLikeAMissingOne() {
        String okafor = tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null);
        fhirClient(okafor)
                .read()
                .resource(Patient.class)
                .withId("pat-adult-bob")
                .execute();
        String bobsEvent = String.valueOf(store.byTokenId(jti(okafor)).get(0).id());
        IGenericClient alice = fhirClient(tokens().userToken("alice", ALICE_SCOPES, null));

        assertThatThrownBy(() -> alice.read()
                        .resource(AuditEvent.class)
                        .withId(bobsEvent)
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> alice.read()
                        .resource(AuditEvent.class)
                        .withId("999999999")
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void readWhenTheEventIsAboutThePatientThenShownWithItsSearchResultId() {
        String okafor = tokens().userToken("dr.okafor", "openid fhirUser user/*.rs", null);
        fhirClient(okafor).read().resource(Patient.class).withId(ALICE).execute();
        IGenericClient alice = fhirClient(tokens().userToken("alice", ALICE_SCOPES, null));
        AuditEvent found = (AuditEvent) alice.search()
                .byUrl("AuditEvent?patient=" + ALICE + "&policy=" + jti(okafor))
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource();

        AuditEvent read = alice.read()
                .resource(AuditEvent.class)
                .withId(found.getIdElement().getIdPart())
                .execute();

        assertThat(read.getRecorded()).isEqualTo(found.getRecorded());
        assertThat(read.getMeta().getVersionId()).isEqualTo("1");
        assertThat(read.getRecorded()).isBeforeOrEqualTo(new Date());
    }

    private static int total(IGenericClient client, String url) {
        return client.search().byUrl(url).returnBundle(Bundle.class).execute().getTotal();
    }

    private static String jti(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }
}
