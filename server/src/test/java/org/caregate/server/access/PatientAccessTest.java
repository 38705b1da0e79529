package org.caregate.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import java.util.stream.Stream;
import org.caregate.consent.DataCategory;
import org.caregate.consent.Decision;
import org.caregate.consent.LabResultStatus;
import org.caregate.server.testing.FullStackTest;
import org.caregate.smart.authserver.context.AccessCheck;
import org.caregate.smart.authserver.context.PatientChoice;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Which patients each seed persona may see (seed-data/README.md, "Personas and logins"), decided with the real data in
 * the real database, at the clock's instant.
 */
class PatientAccessTest extends FullStackTest {

    static final ZoneId FACILITY_ZONE = ZoneId.of("America/Los_Angeles");
    static final Set<String> NORTH_CLINIC = Set.of(
            "pat-parent-garcia",
            "pat-family-4",
            "pat-family-11",
            "pat-family-13",
            "pat-family-17",
            "pat-adult-alice",
            "pat-adult-bob",
            "pat-incapacitated");

    @Autowired
    AccessFactsResolver facts;

    @Autowired
    PatientAccess access;

    @Autowired
    FhirPatientAccessDirectory directory;

    @Autowired
    UserAccountService accounts;

    static Stream<Arguments> personas() {
        return Stream.of(
                Arguments.of("maria", Set.of("pat-parent-garcia", "pat-family-4", "pat-family-11")),
                Arguments.of("susan", Set.of("pat-incapacitated")),
                Arguments.of("patricia", Set.of()),
                Arguments.of("karen", Set.of()),
                Arguments.of("alice", Set.of("pat-adult-alice")),
                Arguments.of("jordan", Set.of("pat-adult-18")),
                Arguments.of("lucia", Set.of()),
                Arguments.of("diego", Set.of()),
                Arguments.of("dr.okafor", NORTH_CLINIC),
                Arguments.of("linda", NORTH_CLINIC),
                Arguments.of("priya", Set.of()),
                Arguments.of("dr.haddad", Set.of("pat-adult-erin", "pat-adult-frank")),
                Arguments.of("dr.becker", Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("personas")
    void permittedPatientIdsWhenSeedPersonaThenAsDocumented(String username, Set<String> expected) {
        Instant now = clock.instant();

        Set<String> permitted = access.permittedPatientIds(facts.requesterFor(user(username), now), now);

        assertThat(permitted).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void permittedPatientIdsWhenBackendClientOfNorthClinicThenTheClinicsPatientsButNotCarol() {
        Instant now = clock.instant();

        Set<String> permitted = access.permittedPatientIds(facts.backendClient("north-etl", "org-clinic-north"), now);

        assertThat(permitted).containsExactlyInAnyOrderElementsOf(NORTH_CLINIC).doesNotContain("pat-adult-carol");
    }

    @Test
    void permittedPatientIdsWhenBackendClientOfHospitalOrSouthClinicThenTheirPatients() {
        Instant now = clock.instant();

        assertThat(access.permittedPatientIds(facts.backendClient("hospital-etl", "org-hospital"), now))
                .containsExactlyInAnyOrder("pat-adult-bob", "pat-adult-frank", "pat-incapacitated");
        assertThat(access.permittedPatientIds(facts.backendClient("south-etl", "org-clinic-south"), now))
                .containsExactlyInAnyOrder("pat-adult-erin", "pat-adult-frank", "pat-dr-south");
    }

    @Test
    void permittedPatientIdsWhenHospitalPractitionersThenTheirOwnAndTheHospitalsRelationshipsButNotCarol() {
        Instant now = clock.instant();

        // README lists the practitioners' own relationships; the policy adds those of their organization
        // (Frank's imaging visits at the hospital, Bob's referral to the hospital)
        assertThat(access.permittedPatientIds(facts.requesterFor(user("dr.park"), now), now))
                .contains("pat-adult-bob", "pat-incapacitated")
                .doesNotContain("pat-adult-carol");
        assertThat(access.permittedPatientIds(facts.requesterFor(user("dr.iyer"), now), now))
                .contains("pat-adult-frank", "pat-incapacitated")
                .doesNotContain("pat-adult-carol");
    }

    @Test
    void permittedPatientIdsWhenMateosTwelfthBirthdayStartsThenMariaLosesHimAMinuteLater() {
        LocalDate birthDate = facts.patientFacts("pat-family-11").birthDate();
        Instant birthdayStarts =
                birthDate.plusYears(12).atStartOfDay(FACILITY_ZONE).toInstant();

        clock.moveTo(birthdayStarts.minusSeconds(60));
        Instant before = clock.instant();
        assertThat(access.permittedPatientIds(facts.requesterFor(user("maria"), before), before))
                .containsExactlyInAnyOrder("pat-parent-garcia", "pat-family-4", "pat-family-11");

        clock.moveTo(birthdayStarts);
        Instant on = clock.instant();
        assertThat(access.permittedPatientIds(facts.requesterFor(user("maria"), on), on))
                .containsExactlyInAnyOrder("pat-parent-garcia", "pat-family-4");
        Decision decision = access.decide(facts.requesterFor(user("maria"), on), "pat-family-11", on);
        assertThat(decision.isDeny()).isTrue();
        assertThat(decision.rule()).isEqualTo("guardian");
    }

    @Test
    void decideWhenCarolOptedOutOfNorthClinicThenDrOkaforIsDeniedByPatientOptOut() {
        Instant now = clock.instant();

        Decision decision = access.decide(facts.requesterFor(user("dr.okafor"), now), "pat-adult-carol", now);

        assertThat(decision.isDeny()).isTrue();
        assertThat(decision.rule()).isEqualTo("patient-opt-out");
    }

    @Test
    void decideWhenLindaAsksForCarolThenHerClinicsOptOutDeniesToo() {
        Instant now = clock.instant();

        Decision decision = access.decide(facts.requesterFor(user("linda"), now), "pat-adult-carol", now);

        assertThat(decision.rule()).isEqualTo("patient-opt-out");
    }

    @Test
    void decideWhenDrHaddadAsksForHerOwnRecordThenCareRelationshipDenies() {
        Instant now = clock.instant();

        Decision decision = access.decide(facts.requesterFor(user("dr.haddad"), now), "pat-dr-south", now);

        assertThat(decision.isDeny()).isTrue();
        assertThat(decision.rule()).isEqualTo("care-relationship");
    }

    @Test
    void decideWhenDrBeckerTerminatedThenDeniedEvenForHisFormerPatient() {
        Instant now = clock.instant();

        Decision decision = access.decide(facts.requesterFor(user("dr.becker"), now), "pat-dr-south", now);

        assertThat(decision.isDeny()).isTrue();
        assertThat(decision.rule()).isEqualTo("care-relationship");
        assertThat(decision.reason(java.util.Locale.ENGLISH)).contains("ended");
    }

    @Test
    void decideWhenMariaAsksForLuciaThenGuardianDeniesForAge() {
        Instant now = clock.instant();

        Decision decision = access.decide(facts.requesterFor(user("maria"), now), "pat-family-13", now);

        assertThat(decision.isDeny()).isTrue();
        assertThat(decision.rule()).isEqualTo("guardian");
    }

    @Test
    void decideWhenSomeoneElsesPatientThenDenied() {
        Instant now = clock.instant();

        assertThat(access.decide(facts.requesterFor(user("alice"), now), "pat-adult-bob", now)
                        .isPermit())
                .isFalse();
        assertThat(access.decide(facts.requesterFor(user("priya"), now), "pat-adult-alice", now)
                        .rule())
                .isEqualTo("deny-all");
        assertThat(access.decide(facts.requesterFor(user("maria"), now), "pat-adult-alice", now)
                        .isPermit())
                .isFalse();
    }

    @Test
    void decideWhenPreliminaryLabForPatientThenReleaseHoldDeniesButPractitionerMaySee() {
        Instant now = clock.instant();
        DataCategory preliminaryLab = DataCategory.labResult(LabResultStatus.fromCode("preliminary"));

        Decision forAlice = access.decide(
                facts.requesterFor(user("alice"), now).roles().get(0), "pat-adult-alice", preliminaryLab, now);
        Decision forOkafor = access.decide(
                facts.requesterFor(user("dr.okafor"), now).roles().get(0), "pat-adult-alice", preliminaryLab, now);

        assertThat(forAlice.rule()).isEqualTo("release-hold");
        assertThat(forAlice.isDeny()).isTrue();
        assertThat(forOkafor.isPermit()).isTrue();
    }

    @Test
    void permittedPatientsWhenMariaThenChoicesWithNamesAndBirthDates() {
        Instant now = clock.instant();

        assertThat(directory.permittedPatients(user("maria"), now))
                .extracting(PatientChoice::patientId, PatientChoice::displayName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("pat-parent-garcia", "Maria Elena Garcia"),
                        org.assertj.core.groups.Tuple.tuple("pat-family-11", "Mateo Garcia"),
                        org.assertj.core.groups.Tuple.tuple("pat-family-4", "Sofia Garcia"));
        assertThat(directory.permittedPatients(user("maria"), now))
                .allSatisfy(choice -> assertThat(choice.birthDate()).isNotNull());
    }

    @Test
    void checkAccessWhenDeniedThenRuleAndEnglishReason() {
        Instant now = clock.instant();

        AccessCheck lucia = directory.checkAccess(user("maria"), "pat-family-13", now);
        AccessCheck sofia = directory.checkAccess(user("maria"), "pat-family-4", now);
        AccessCheck carol = directory.checkAccess(user("dr.okafor"), "pat-adult-carol", now);
        AccessCheck typed = directory.checkAccess(user("maria"), "Patient/pat-family-4", now);

        assertThat(lucia.permitted()).isFalse();
        assertThat(lucia.rule()).isEqualTo("guardian");
        assertThat(lucia.reason()).contains("12 to 17");
        assertThat(sofia.permitted()).isTrue();
        assertThat(sofia.rule()).isEqualTo("guardian");
        assertThat(carol)
                .extracting(AccessCheck::permitted, AccessCheck::rule)
                .containsExactly(false, "patient-opt-out");
        assertThat(typed.permitted()).isFalse();
    }

    @Test
    void checkAccessWhenAccountSuspendedThenDeniedByAccountStatus() {
        UserAccount alice = user("alice");
        UserAccount suspended = new UserAccount(
                alice.username(),
                alice.displayName(),
                alice.fhirUser(),
                alice.kind(),
                alice.organizationId(),
                alice.roles(),
                org.caregate.smart.authserver.user.UserStatus.SUSPENDED,
                alice.createdAt(),
                alice.updatedAt());

        AccessCheck check = directory.checkAccess(suspended, "pat-adult-alice", clock.instant());

        assertThat(check.permitted()).isFalse();
        assertThat(check.rule()).isEqualTo(PatientAccess.ACCOUNT_RULE);
    }

    UserAccount user(String username) {
        return accounts.find(username).orElseThrow(() -> new AssertionError("no seed account " + username));
    }
}
