package org.caregate.server.panel;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.caregate.server.security.PatientPanels;
import org.caregate.server.testing.FullStackTest;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.caregate.smart.authserver.user.UserStatus;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A general practitioner with a panel far larger than the seed data's (2,000 patients by default,
 * {@code -Dcaregate.test.large-panel=10000} for the benchmark's size): searches are narrowed by a server-side panel
 * (a Group), return the right first and second pages with an exact total, and carry no patient ids in their links.
 *
 * <p>The panel belongs to an organisation of its own ({@code org-large-panel}), so no persona of the seed data gains
 * a patient. Its patients stay in the database for the rest of the run: this class's package sorts after the
 * leak test's, which reads every patient of the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargePanelTest extends FullStackTest {

    private static final int PANEL = Integer.getInteger("caregate.test.large-panel", 2000);
    private static final String GP = "prac-large-panel-gp";

    @Autowired
    IFhirSystemDao<Bundle, ?> systemDao;

    @Autowired
    UserAccountService accounts;

    @Autowired
    PatientPanels panels;

    private IGenericClient gp;

    @BeforeAll
    void loadAPanel() throws InterruptedException {
        List<Resource> resources = new ArrayList<>();
        resources.add(new Organization().setName("Large panel clinic (test)").setId("org-large-panel"));
        Practitioner practitioner = new Practitioner();
        practitioner.setId(GP);
        practitioner.addIdentifier(new Identifier()
                .setSystem("https://fhir.caregate.example/sid/user")
                .setValue("large.panel.gp"));
        practitioner.addName().setFamily("Panel").addGiven("Grace");
        resources.add(practitioner);
        PractitionerRole role = new PractitionerRole()
                .setActive(true)
                .setPractitioner(new Reference("Practitioner/" + GP))
                .setOrganization(new Reference("Organization/org-large-panel"));
        role.setId("role-large-panel-gp");
        resources.add(role);
        for (int i = 0; i < PANEL; i++) {
            Patient patient = new Patient().setGender(Enumerations.AdministrativeGender.UNKNOWN);
            patient.setId("lp-" + i);
            patient.addName().setFamily("Panel" + i).addGiven("Test");
            patient.addGeneralPractitioner(new Reference("Practitioner/" + GP));
            resources.add(patient);
            Observation observation = new Observation()
                    .setStatus(Observation.ObservationStatus.FINAL)
                    .setSubject(new Reference("Patient/lp-" + i));
            observation.setId("lp-obs-" + i);
            observation.getCode().setText("large panel test: weight");
            resources.add(observation);
        }
        for (int from = 0; from < resources.size(); from += 1000) {
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            for (Resource resource : resources.subList(from, Math.min(resources.size(), from + 1000))) {
                transaction
                        .addEntry()
                        .setResource(resource)
                        .getRequest()
                        .setMethod(Bundle.HTTPVerb.PUT)
                        .setUrl(resource.fhirType() + "/"
                                + resource.getIdElement().getIdPart());
            }
            systemDao.transaction(new SystemRequestDetails(), transaction);
        }
        accounts.createOrUpdate(
                "large.panel.gp",
                "large.panel.gp-dev-password",
                "Dr. Grace Panel",
                "Practitioner/" + GP,
                UserKind.PRACTITIONER,
                "org-large-panel",
                Set.of("clinician"),
                UserStatus.ACTIVE);
        // the first search of a new panel and its storage take seconds on a busy machine (figures: the benchmark)
        fhirContext.getRestfulClientFactory().setSocketTimeout(120_000);
        gp = fhirClient(tokens().userToken("large.panel.gp", "openid fhirUser user/*.rs", null));
        // the first search narrows by ids and has the panel stored in the background; later ones join it
        Bundle byIds = gp.search()
                .byUrl("Patient?_count=20&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(byIds.getTotal()).isEqualTo(PANEL);
        assertThat(panels.awaitStored(Duration.ofMinutes(5))).as("panel stored").isTrue();
    }

    @Test
    void searchPatientsThenTheRightFirstAndSecondPagesOfThePanel() {
        Bundle first = gp.search()
                .byUrl("Patient?_count=20&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();
        Bundle second = gp.loadPage().next(first).execute();

        assertPagesOfThePanel(first, second, "Patient/lp-");
    }

    @Test
    void searchObservationsThenTheRightFirstAndSecondPagesOfThePanel() {
        Bundle first = gp.search()
                .byUrl("Observation?_count=20&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();
        Bundle second = gp.loadPage().next(first).execute();

        assertPagesOfThePanel(first, second, "Observation/lp-obs-");
        // the chain names its type: without it HAPI's SQL pairs every link of every target (seconds at 10,000)
        assertThat(URLDecoder.decode(first.getLink(Bundle.LINK_SELF).getUrl(), StandardCharsets.UTF_8))
                .contains("patient:Patient._has:Group:member:_id=cg-panel-");
    }

    @Test
    void searchAPatientOutsideThePanelThenNothing() {
        Bundle alice = gp.search()
                .byUrl("Patient?_id=pat-adult-alice&_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(alice.getEntry()).isEmpty();
        assertThat(alice.getTotal()).isZero();
    }

    @Test
    void searchGroupsThenThePanelIsNeverShown() {
        Bundle groups = gp.search()
                .byUrl("Group?_total=accurate")
                .returnBundle(Bundle.class)
                .execute();

        assertThat(groups.getEntry()).isEmpty();
        assertThat(groups.getTotal()).isZero();
    }

    private static void assertPagesOfThePanel(Bundle first, Bundle second, String idPrefix) {
        assertThat(first.getTotal()).isEqualTo(PANEL);
        List<String> firstIds = ids(first);
        List<String> secondIds = ids(second);
        assertThat(firstIds).hasSize(20).allMatch(id -> id.startsWith(idPrefix));
        assertThat(secondIds).hasSize(20).allMatch(id -> id.startsWith(idPrefix));
        Set<String> both = new HashSet<>(firstIds);
        both.addAll(secondIds);
        assertThat(both).hasSize(40);
        assertThat(URLDecoder.decode(first.getLink(Bundle.LINK_SELF).getUrl(), StandardCharsets.UTF_8))
                .contains("_has:Group:member:_id=cg-panel-");
        for (Bundle page : List.of(first, second)) {
            for (Bundle.BundleLinkComponent link : page.getLink()) {
                assertThat(link.getUrl())
                        .as(link.getRelation() + " link")
                        .doesNotContain("lp-")
                        .hasSizeLessThan(600);
            }
        }
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .filter(entry -> entry.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE)
                .map(entry -> entry.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
    }
}
