package org.caregate.consent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caregate.consent.People.*;

import java.time.Period;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.caregate.consent.AccessPolicy;
import org.caregate.consent.CareProvider;
import org.caregate.consent.ConsentDirective;
import org.caregate.consent.DataCategory;
import org.caregate.consent.Decision;
import org.caregate.consent.Effect;
import org.caregate.consent.GuardianRequester;
import org.caregate.consent.LabResultStatus;
import org.caregate.consent.PatientFacts;
import org.caregate.consent.PractitionerRequester;
import org.caregate.consent.SiteAdministratorRequester;
import org.junit.jupiter.api.Test;

/** The product policy as a whole: how the rules combine. */
class CareGatePolicyTest {

    private final AccessPolicy policy = CareGatePolicy.standard();

    @Test
    void decideWhenGuardianOfElevenAndTwelveYearOldThenPermittedSetHoldsOnlyTheElevenYearOld() {
        PatientFacts eleven = child(11);
        PatientFacts twelve = child(12);
        GuardianRequester parent = guardianOf(eleven, twelve);
        Map<String, PatientFacts> facts = Map.of(eleven.id(), eleven, twelve.id(), twelve);

        Map<String, Decision> decisions = parent.candidatePatientIds().stream()
                .collect(Collectors.toMap(Function.identity(), id -> policy.decide(request(parent, facts.get(id)))));

        assertThat(decisions.get(eleven.id()).isPermit()).isTrue();
        assertThat(decisions.get(twelve.id()).isPermit()).isFalse();
        assertThat(decisions.get(twelve.id()).rule()).isEqualTo("guardian");
    }

    @Test
    void decideWhenGuardianOfThirteenYearOldThenDenyNamesGuardianAndHealthInformationManagement() {
        PatientFacts teen = child(13);
        Decision decision = policy.decide(request(guardianOf(teen), teen));
        assertThat(decision.effect()).isEqualTo(Effect.DENY);
        assertThat(decision.rule()).isEqualTo("guardian");
        assertThat(decision.reason(Locale.ENGLISH)).contains("Health Information Management");
        assertThat(decision.reason(Locale.forLanguageTag("es")))
                .contains("Departamento de Gestión de Información de Salud");
    }

    @Test
    void decideWhenGuardianOfThirteenYearOldAsksForPreliminaryLabThenAgeReasonWinsOverHold() {
        PatientFacts teen = child(13);
        Decision decision = policy.decide(
                request(guardianOf(teen), teen).withData(DataCategory.labResult(LabResultStatus.PRELIMINARY)));
        assertThat(decision.rule()).isEqualTo("guardian");
    }

    @Test
    void decideWhenPatientOptedOutOfPractitionerWithCareRelationshipThenDeny() {
        PatientFacts patient =
                adult(45).withConsentDirectives(ConsentDirective.refuse(CareProvider.practitioner(PRACTITIONER_ID)));
        PractitionerRequester practitioner = generalPractitionerOf(patient);
        Decision decision = policy.decide(request(practitioner, patient));
        assertThat(decision.effect()).isEqualTo(Effect.DENY);
        assertThat(decision.rule()).isEqualTo("patient-opt-out");
        assertThat(policy.decide(request(practitioner, adult(45))).isPermit()).isTrue();
    }

    @Test
    void decideWhenGuardianOfChildAsksForUnreleasedRadiologyReportThenHeldBack() {
        PatientFacts child = child(7);
        GuardianRequester parent = guardianOf(child);
        assertThat(policy.decide(request(parent, child)).isPermit()).isTrue();
        Decision held = policy.decide(request(parent, child).withData(DataCategory.radiologyReport(false)));
        assertThat(held.effect()).isEqualTo(Effect.DENY);
        assertThat(held.rule()).isEqualTo("release-hold");
        assertThat(policy.decide(request(parent, child).withData(DataCategory.radiologyReport(true)))
                        .isPermit())
                .isTrue();
    }

    @Test
    void decideWhenPractitionerAsksForUnreleasedResultsThenPermit() {
        PatientFacts patient = adult(60);
        PractitionerRequester practitioner = generalPractitionerOf(patient);
        assertThat(policy.decide(request(practitioner, patient).withData(DataCategory.radiologyReport(false)))
                        .isPermit())
                .isTrue();
        assertThat(policy.decide(request(practitioner, patient)
                                .withData(DataCategory.labResult(LabResultStatus.PRELIMINARY)))
                        .isPermit())
                .isTrue();
    }

    @Test
    void decideWhenSiteAdministratorThenDeniedByDefault() {
        Decision decision = policy.decide(request(new SiteAdministratorRequester("admin"), adult(30)));
        assertThat(decision.effect()).isEqualTo(Effect.DENY);
        assertThat(decision.rule()).isEqualTo("deny-all");
    }

    @Test
    void decideWhenPatientAsksAboutSomeoneElseThenDeniedByDefault() {
        assertThat(policy.decide(request(self(adult(30)), adult(31))).rule()).isEqualTo("deny-all");
    }

    @Test
    void decideWhenAdolescentOwnAccessEnabledThenFifteenYearOldSeesOwnRecords() {
        PatientFacts teen = child(15);
        assertThat(policy.decide(request(self(teen), teen)).isPermit()).isFalse();
        AccessPolicy allowing =
                CareGatePolicy.standard(CareGatePolicy.Options.defaults().withAdolescentOwnAccess(true));
        assertThat(allowing.decide(request(self(teen), teen)).isPermit()).isTrue();
        assertThat(allowing.decide(request(guardianOf(teen), teen)).isPermit()).isFalse();
    }

    @Test
    void decideWhenEncounterWindowOptionShortenedThenOlderEncounterNoLongerCounts() {
        PatientFacts patient = adult(50);
        PractitionerRequester practitioner = practitionerWith(org.caregate.consent.CareRelationship.encounter(
                patient.id(),
                CareProvider.practitioner(PRACTITIONER_ID),
                org.caregate.consent.TimeRange.from(monthsAgo(4))));
        assertThat(policy.decide(request(practitioner, patient)).isPermit()).isTrue();
        AccessPolicy threeMonths =
                CareGatePolicy.standard(CareGatePolicy.Options.defaults().withEncounterWindow(Period.ofMonths(3)));
        assertThat(threeMonths.decide(request(practitioner, patient)).isPermit())
                .isFalse();
    }
}
