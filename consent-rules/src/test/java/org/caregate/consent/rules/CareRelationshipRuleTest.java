package org.caregate.consent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caregate.consent.People.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Period;
import java.util.Locale;
import java.util.stream.Stream;
import org.caregate.consent.CareProvider;
import org.caregate.consent.CareRelationship;
import org.caregate.consent.CareRelationship.Kind;
import org.caregate.consent.Decision;
import org.caregate.consent.Effect;
import org.caregate.consent.PatientFacts;
import org.caregate.consent.PractitionerRequester;
import org.caregate.consent.PractitionerRequester.AccessStatus;
import org.caregate.consent.TimeRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CareRelationshipRuleTest {

    private static final PatientFacts PATIENT = adult(52);
    private static final CareProvider ME = CareProvider.practitioner(PRACTITIONER_ID);
    private static final CareProvider MY_ORGANIZATION = CareProvider.organization(ORGANIZATION_ID);
    private static final CareProvider SOMEONE_ELSE = CareProvider.practitioner("prac-other");
    private static final CareProvider OTHER_ORGANIZATION = CareProvider.organization(OTHER_ORGANIZATION_ID);

    private final CareRelationshipRule rule = new CareRelationshipRule(Period.ofMonths(12));

    static Stream<Arguments> relationships() {
        TimeRange ended = TimeRange.until(monthsAgo(1));
        TimeRange current = TimeRange.from(monthsAgo(6));
        TimeRange future = TimeRange.from(NOW.plusSeconds(86_400));
        return Stream.of(
                arguments("general practitioner", rel(Kind.GENERAL_PRACTITIONER, ME, null), Effect.PERMIT),
                arguments(
                        "organization is general practitioner",
                        rel(Kind.GENERAL_PRACTITIONER, MY_ORGANIZATION, null),
                        Effect.PERMIT),
                arguments("active care team participant", rel(Kind.CARE_TEAM, ME, current), Effect.PERMIT),
                arguments("care team participation ended", rel(Kind.CARE_TEAM, ME, ended), Effect.DENY),
                arguments("care team participation not started", rel(Kind.CARE_TEAM, ME, future), Effect.DENY),
                arguments("referral sent", rel(Kind.REFERRAL_SENT, ME, current), Effect.PERMIT),
                arguments(
                        "referral received by the organization",
                        rel(Kind.REFERRAL_RECEIVED, MY_ORGANIZATION, current),
                        Effect.PERMIT),
                arguments("referral closed", rel(Kind.REFERRAL_RECEIVED, MY_ORGANIZATION, ended), Effect.DENY),
                arguments("encounter 11 months ago", encounter(ME, 11), Effect.PERMIT),
                arguments("encounter 13 months ago", encounter(ME, 13), Effect.DENY),
                arguments("encounter of the organization 11 months ago", encounter(MY_ORGANIZATION, 11), Effect.PERMIT),
                arguments(
                        "encounter in progress, started 2 days ago",
                        CareRelationship.encounter(PATIENT.id(), ME, TimeRange.from(NOW.minusSeconds(2 * 86_400))),
                        Effect.PERMIT),
                arguments(
                        "encounter planned for tomorrow",
                        CareRelationship.encounter(PATIENT.id(), ME, future),
                        Effect.DENY),
                arguments(
                        "another practitioner's general practice",
                        rel(Kind.GENERAL_PRACTITIONER, SOMEONE_ELSE, null),
                        Effect.DENY),
                arguments(
                        "another organization's care team", rel(Kind.CARE_TEAM, OTHER_ORGANIZATION, null), Effect.DENY),
                arguments(
                        "relationship with another patient",
                        CareRelationship.of("pat-other", Kind.GENERAL_PRACTITIONER, ME),
                        Effect.DENY));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("relationships")
    void decideWhenPractitionerThenPermitOnlyWithActiveCareRelationship(
            String description, CareRelationship relationship, Effect expected) {
        Decision decision = rule.evaluate(request(practitionerWith(relationship), PATIENT));
        assertThat(decision.effect()).isEqualTo(expected);
        assertThat(decision.rule()).isEqualTo("care-relationship");
    }

    @Test
    void decideWhenEncounterWindowConfiguredToSixMonthsThenEightMonthOldEncounterNoLongerCounts() {
        PractitionerRequester practitioner = practitionerWith(encounter(ME, 8));
        assertThat(new CareRelationshipRule(Period.ofMonths(6))
                        .evaluate(request(practitioner, PATIENT))
                        .isDeny())
                .isTrue();
        assertThat(rule.evaluate(request(practitioner, PATIENT)).isPermit()).isTrue();
    }

    @Test
    void decideWhenPractitionerIsAlsoThePatientThenDenyDespiteCareRelationship() {
        PractitionerRequester practitioner = generalPractitionerOf(PATIENT).withOwnPatientIds(PATIENT.id());
        Decision decision = rule.evaluate(request(practitioner, PATIENT));
        assertThat(decision.effect()).isEqualTo(Effect.DENY);
        assertThat(decision.reason(Locale.ENGLISH)).contains("your own records");
    }

    @Test
    void decideWhenPractitionerTerminatedThenDenyDespiteCareRelationship() {
        PractitionerRequester practitioner = generalPractitionerOf(PATIENT).withStatus(AccessStatus.TERMINATED);
        Decision decision = rule.evaluate(request(practitioner, PATIENT));
        assertThat(decision.effect()).isEqualTo(Effect.DENY);
        assertThat(decision.reason(Locale.ENGLISH)).contains("Your access has ended");
    }

    @Test
    void decideWhenPractitionerSuspendedThenDenyDespiteCareRelationship() {
        PractitionerRequester practitioner = generalPractitionerOf(PATIENT).withStatus(AccessStatus.SUSPENDED);
        assertThat(rule.evaluate(request(practitioner, PATIENT)).reason(Locale.ENGLISH))
                .contains("suspended");
    }

    @Test
    void decideWhenOfficeStaffOfTheOrganizationThenSameAccessAsPractitioner() {
        PractitionerRequester staff = new PractitionerRequester(
                "prac-front-desk",
                ORGANIZATION_ID,
                PractitionerRequester.StaffRole.OFFICE_STAFF,
                AccessStatus.ACTIVE,
                java.util.Set.of(),
                java.util.List.of(rel(Kind.CARE_TEAM, MY_ORGANIZATION, null)));
        assertThat(rule.evaluate(request(staff, PATIENT)).isPermit()).isTrue();
    }

    @Test
    void decideWhenPermittedThenReasonNamesTheRelationshipInBothLanguages() {
        Decision decision = rule.evaluate(request(generalPractitionerOf(PATIENT), PATIENT));
        assertThat(decision.reason(Locale.ENGLISH)).contains("(general practitioner)");
        assertThat(decision.reason(Locale.forLanguageTag("es"))).contains("(médico de cabecera)");
    }

    @Test
    void decideWhenRequesterIsNotAPractitionerThenNotApplicable() {
        assertThat(rule.evaluate(request(self(PATIENT), PATIENT)).isNotApplicable())
                .isTrue();
        assertThat(rule.evaluate(request(
                                backendClientWith(rel(Kind.GENERAL_PRACTITIONER, MY_ORGANIZATION, null)), PATIENT))
                        .isNotApplicable())
                .isTrue();
    }

    private static CareRelationship rel(Kind kind, CareProvider provider, TimeRange period) {
        return new CareRelationship(PATIENT.id(), kind, provider, period);
    }

    private static CareRelationship encounter(CareProvider provider, int monthsAgo) {
        return CareRelationship.encounter(
                PATIENT.id(),
                provider,
                TimeRange.between(monthsAgo(monthsAgo), monthsAgo(monthsAgo).plusSeconds(1800)));
    }
}
