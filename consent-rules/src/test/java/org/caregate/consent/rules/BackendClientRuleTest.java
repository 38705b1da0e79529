package org.caregate.consent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caregate.consent.People.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Period;
import java.util.stream.Stream;
import org.caregate.consent.CareProvider;
import org.caregate.consent.CareRelationship;
import org.caregate.consent.CareRelationship.Kind;
import org.caregate.consent.Decision;
import org.caregate.consent.Effect;
import org.caregate.consent.PatientFacts;
import org.caregate.consent.TimeRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackendClientRuleTest {

    private static final PatientFacts PATIENT = adult(45);
    private static final CareProvider MY_ORGANIZATION = CareProvider.organization(ORGANIZATION_ID);

    private final BackendClientRule rule = new BackendClientRule(Period.ofMonths(12));

    static Stream<Arguments> relationships() {
        return Stream.of(
                arguments(
                        "organization is general practitioner",
                        CareRelationship.of(PATIENT.id(), Kind.GENERAL_PRACTITIONER, MY_ORGANIZATION),
                        Effect.PERMIT),
                arguments(
                        "organization's active care team",
                        CareRelationship.of(PATIENT.id(), Kind.CARE_TEAM, MY_ORGANIZATION),
                        Effect.PERMIT),
                arguments(
                        "organization's encounter 11 months ago",
                        CareRelationship.encounter(PATIENT.id(), MY_ORGANIZATION, TimeRange.from(monthsAgo(11))),
                        Effect.PERMIT),
                arguments(
                        "organization's encounter 13 months ago",
                        CareRelationship.encounter(
                                PATIENT.id(), MY_ORGANIZATION, TimeRange.between(monthsAgo(13), monthsAgo(13))),
                        Effect.DENY),
                arguments(
                        "organization's referral closed",
                        new CareRelationship(
                                PATIENT.id(), Kind.REFERRAL_SENT, MY_ORGANIZATION, TimeRange.until(monthsAgo(2))),
                        Effect.DENY),
                arguments(
                        "another organization's patient",
                        CareRelationship.of(
                                PATIENT.id(),
                                Kind.GENERAL_PRACTITIONER,
                                CareProvider.organization(OTHER_ORGANIZATION_ID)),
                        Effect.DENY),
                arguments(
                        "relationship held by a practitioner, not the organization",
                        CareRelationship.of(
                                PATIENT.id(), Kind.GENERAL_PRACTITIONER, CareProvider.practitioner(PRACTITIONER_ID)),
                        Effect.DENY));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("relationships")
    void decideWhenBackendClientThenPermitOnlyOrganizationsPatients(
            String description, CareRelationship relationship, Effect expected) {
        Decision decision = rule.evaluate(request(backendClientWith(relationship), PATIENT));
        assertThat(decision.effect()).isEqualTo(expected);
        assertThat(decision.rule()).isEqualTo("backend-client");
    }

    @Test
    void decideWhenRequesterIsNotABackendClientThenNotApplicable() {
        assertThat(rule.evaluate(request(generalPractitionerOf(PATIENT), PATIENT))
                        .isNotApplicable())
                .isTrue();
    }
}
