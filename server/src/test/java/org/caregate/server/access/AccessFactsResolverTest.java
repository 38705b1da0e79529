package org.caregate.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.caregate.consent.BackendClientRequester;
import org.caregate.consent.CareProvider;
import org.caregate.consent.CareRelationship;
import org.caregate.consent.ConsentDirective;
import org.caregate.consent.GuardianRequester;
import org.caregate.consent.Guardianship;
import org.caregate.consent.PatientFacts;
import org.caregate.consent.PatientRequester;
import org.caregate.consent.PractitionerRequester;
import org.caregate.consent.PractitionerRequester.AccessStatus;
import org.caregate.consent.PractitionerRequester.StaffRole;
import org.caregate.consent.Requester;
import org.caregate.consent.SiteAdministratorRequester;
import org.caregate.server.testing.FullStackTest;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The facts read from the seed data (seed-data/README.md), and what reading them costs. */
class AccessFactsResolverTest extends FullStackTest {

    @Autowired
    AccessFactsResolver facts;

    @Autowired
    PatientAccess access;

    @Autowired
    UserAccountService accounts;

    @Test
    void requesterForWhenMariaThenHerselfAndGuardianOfHerFourChildren() {
        Instant now = clock.instant();

        List<Requester> roles = facts.requesterFor(user("maria"), now).roles();

        assertThat(roles).hasSize(2);
        assertThat(roles.get(0)).isEqualTo(new PatientRequester("pat-parent-garcia"));
        GuardianRequester guardian = (GuardianRequester) roles.get(1);
        assertThat(guardian.guardianships())
                .extracting(Guardianship::patientId)
                .containsExactlyInAnyOrder("pat-family-4", "pat-family-11", "pat-family-13", "pat-family-17");
        assertThat(guardian.guardianships()).allSatisfy(g -> {
            assertThat(g.role()).isEqualTo(Guardianship.Role.PARENT);
            assertThat(g.period().contains(now)).isTrue();
        });
    }

    @Test
    void requesterForWhenPatientWithoutChildrenThenOnlyTheirOwnRecord() {
        assertThat(facts.requesterFor(user("alice"), clock.instant()).roles())
                .containsExactly(new PatientRequester("pat-adult-alice"));
    }

    @Test
    void requesterForWhenCourtAppointedAndFormerGuardianThenOnlyTheCurrentOneIsActive() {
        Instant now = clock.instant();

        Guardianship susan = single((GuardianRequester)
                facts.requesterFor(user("susan"), now).roles().get(0));
        Guardianship patricia = single((GuardianRequester)
                facts.requesterFor(user("patricia"), now).roles().get(0));
        Guardianship karen = single((GuardianRequester)
                facts.requesterFor(user("karen"), now).roles().get(0));

        assertThat(susan.patientId()).isEqualTo("pat-incapacitated");
        assertThat(susan.role()).isEqualTo(Guardianship.Role.COURT_APPOINTED_GUARDIAN);
        assertThat(susan.period().contains(now)).isTrue();
        assertThat(patricia.role()).isEqualTo(Guardianship.Role.COURT_APPOINTED_GUARDIAN);
        assertThat(patricia.period().contains(now)).isFalse();
        assertThat(karen)
                .extracting(Guardianship::patientId, Guardianship::role)
                .containsExactly("pat-adult-18", Guardianship.Role.PARENT);
    }

    @Test
    void requesterForWhenDrHaddadThenActivePractitionerOfSouthClinicWithHerOwnRecordSetApart() {
        PractitionerRequester haddad = practitioner("dr.haddad");

        assertThat(haddad.practitionerId()).isEqualTo("prac-south-gp");
        assertThat(haddad.organizationId()).isEqualTo("org-clinic-south");
        assertThat(haddad.role()).isEqualTo(StaffRole.PRACTITIONER);
        assertThat(haddad.status()).isEqualTo(AccessStatus.ACTIVE);
        assertThat(haddad.ownPatientIds()).containsExactly("pat-dr-south");
        assertThat(haddad.careRelationships())
                .contains(
                        CareRelationship.of(
                                "pat-adult-frank",
                                CareRelationship.Kind.GENERAL_PRACTITIONER,
                                CareProvider.practitioner("prac-south-gp")),
                        CareRelationship.of(
                                "pat-dr-south",
                                CareRelationship.Kind.GENERAL_PRACTITIONER,
                                CareProvider.organization("org-clinic-south")));
        assertThat(haddad.careRelationships())
                .anySatisfy(r -> assertThat(r)
                        .extracting(CareRelationship::patientId, CareRelationship::kind, CareRelationship::provider)
                        .containsExactly(
                                "pat-adult-frank",
                                CareRelationship.Kind.REFERRAL_SENT,
                                CareProvider.practitioner("prac-south-gp")));
        assertThat(haddad.careRelationships())
                .anySatisfy(r -> assertThat(r)
                        .extracting(CareRelationship::patientId, CareRelationship::kind)
                        .containsExactly("pat-adult-erin", CareRelationship.Kind.CARE_TEAM));
        assertThat(haddad.candidatePatientIds()).doesNotContain("pat-dr-south", "pat-adult-dan");
    }

    @Test
    void requesterForWhenCareTeamParticipationEndedThenItsPeriodEndsToo() {
        Instant now = clock.instant();
        BackendClientRequester south = (BackendClientRequester) facts.backendClient("south", "org-clinic-south", now);

        // Becker's role has ended, so his participation is no longer attributed to the clinic; the clinic's own
        // participation in Erin's team remains
        assertThat(south.careRelationships())
                .filteredOn(r -> r.kind() == CareRelationship.Kind.CARE_TEAM)
                .allSatisfy(r -> assertThat(r.period().contains(now)).isTrue())
                .extracting(CareRelationship::patientId)
                .contains("pat-adult-erin");
    }

    @Test
    void requesterForWhenOfficeStaffThenOfficeStaffOfTheirClinic() {
        PractitionerRequester linda = practitioner("linda");

        assertThat(linda.role()).isEqualTo(StaffRole.OFFICE_STAFF);
        assertThat(linda.organizationId()).isEqualTo("org-clinic-north");
        assertThat(linda.status()).isEqualTo(AccessStatus.ACTIVE);
        assertThat(linda.careRelationships())
                .extracting(CareRelationship::provider)
                .containsOnly(CareProvider.organization("org-clinic-north"));
    }

    @Test
    void requesterForWhenTerminatedThenTerminatedWithoutReadingRelationships() {
        long before = facts.searchCount();

        PractitionerRequester becker = practitioner("dr.becker");

        assertThat(becker.status()).isEqualTo(AccessStatus.TERMINATED);
        assertThat(becker.organizationId()).isEqualTo("org-clinic-south");
        assertThat(becker.careRelationships()).isEmpty();
        assertThat(facts.searchCount() - before).isEqualTo(1);
    }

    @Test
    void requesterForWhenActiveAccountButRoleEndedThenTerminated() {
        UserAccount becker = user("dr.becker");
        UserAccount activeAccount = new UserAccount(
                becker.username(),
                becker.displayName(),
                becker.fhirUser(),
                becker.kind(),
                becker.organizationId(),
                becker.roles(),
                org.caregate.smart.authserver.user.UserStatus.ACTIVE,
                becker.createdAt(),
                becker.updatedAt());

        Requester requester =
                facts.requesterFor(activeAccount, clock.instant()).roles().get(0);

        assertThat(((PractitionerRequester) requester).status()).isEqualTo(AccessStatus.TERMINATED);
    }

    @Test
    void requesterForWhenSiteAdministratorThenNoPatients() {
        assertThat(facts.requesterFor(user("priya"), clock.instant()).roles())
                .containsExactly(new SiteAdministratorRequester("priya"));
    }

    @Test
    void patientFactsWhenKevinThenAdultRecordedAsIncapacitated() {
        PatientFacts kevin = facts.patientFacts("pat-incapacitated");

        assertThat(kevin.incapacitated()).isTrue();
        assertThat(kevin.deceased()).isFalse();
        assertThat(kevin.birthDate()).isNotNull();
        assertThat(kevin.consentDirectives()).isEmpty();
    }

    @Test
    void patientFactsWhenCarolThenHerRefusalOfNorthClinicAndDrOkafor() {
        PatientFacts carol = facts.patientFacts("pat-adult-carol");

        assertThat(carol.consentDirectives())
                .extracting(ConsentDirective::refused)
                .containsExactlyInAnyOrder(
                        CareProvider.organization("org-clinic-north"), CareProvider.practitioner("prac-north-gp"));
        assertThat(carol.consentDirectives())
                .allSatisfy(
                        d -> assertThat(d.period().contains(clock.instant())).isTrue());
        assertThat(carol.incapacitated()).isFalse();
    }

    @Test
    void patientsWhenSeveralIdsAndAnUnknownOneThenOneQueryAndAMissingRecord() {
        long before = facts.searchCount();

        var records = facts.patients(List.of("pat-family-4", "pat-adult-bob", "pat-no-such"), clock.instant());

        assertThat(facts.searchCount() - before).isEqualTo(1);
        assertThat(records.keySet()).containsExactly("pat-family-4", "pat-adult-bob", "pat-no-such");
        assertThat(records.get("pat-family-4").displayName()).isEqualTo("Sofia Garcia");
        assertThat(records.get("pat-no-such").exists()).isFalse();
        assertThat(records.get("pat-no-such").birthDate()).isNull();
    }

    @Test
    void searchesWhenResolvingEachKindOfRequesterThenAFixedNumberWhateverThePatients() {
        Instant now = clock.instant();

        assertThat(searchesFor(() -> facts.requesterFor(user("alice"), now))).isEqualTo(1);
        assertThat(searchesFor(() -> facts.requesterFor(user("maria"), now))).isEqualTo(1);
        assertThat(searchesFor(() -> facts.requesterFor(user("susan"), now))).isEqualTo(1);
        assertThat(searchesFor(() -> facts.requesterFor(user("priya"), now))).isZero();
        assertThat(searchesFor(() -> facts.requesterFor(user("dr.okafor"), now)))
                .isEqualTo(2);
        assertThat(searchesFor(() -> facts.requesterFor(user("linda"), now))).isEqualTo(2);
        assertThat(searchesFor(() -> facts.backendClient("north", "org-clinic-north", now)))
                .isEqualTo(2);
        RequesterRoles okafor = facts.requesterFor(user("dr.okafor"), now);
        assertThat(searchesFor(() -> access.permittedPatientIds(okafor, now))).isEqualTo(1);
    }

    @Test
    void costWhenResolvingAndDecidingThenPrintedForTheRecord() {
        Instant now = clock.instant();
        for (int i = 0; i < 20; i++) { // warm up
            access.permittedPatientIds(facts.requesterFor(user("dr.okafor"), now), now);
            access.permittedPatientIds(facts.requesterFor(user("maria"), now), now);
        }
        for (String username : List.of("alice", "maria", "susan", "dr.okafor", "linda", "dr.haddad")) {
            UserAccount account = user(username);
            int runs = 50;
            long resolveNanos = 0;
            long decideNanos = 0;
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                RequesterRoles requester = facts.requesterFor(account, now);
                long resolved = System.nanoTime();
                access.permittedPatientIds(requester, now);
                decideNanos += System.nanoTime() - resolved;
                resolveNanos += resolved - start;
            }
            System.out.printf(
                    "access cost %-10s requesterFor %.2f ms, permittedPatientIds %.2f ms (mean of %d)%n",
                    username, resolveNanos / 1e6 / runs, decideNanos / 1e6 / runs, runs);
        }
    }

    private long searchesFor(Runnable call) {
        long before = facts.searchCount();
        call.run();
        return facts.searchCount() - before;
    }

    private PractitionerRequester practitioner(String username) {
        List<Requester> roles =
                facts.requesterFor(user(username), clock.instant()).roles();
        assertThat(roles).hasSize(1);
        return (PractitionerRequester) roles.get(0);
    }

    private static Guardianship single(GuardianRequester guardian) {
        assertThat(guardian.guardianships()).hasSize(1);
        return guardian.guardianships().get(0);
    }

    UserAccount user(String username) {
        return accounts.find(username).orElseThrow(() -> new AssertionError("no seed account " + username));
    }
}
