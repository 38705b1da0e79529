package org.caregate.consent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caregate.consent.People.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.caregate.consent.CareProvider;
import org.caregate.consent.ConsentDirective;
import org.caregate.consent.Effect;
import org.caregate.consent.PatientFacts;
import org.caregate.consent.Requester;
import org.caregate.consent.TimeRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PatientOptOutRuleTest {

    private static final PatientFacts PATIENT = adult(38);

    private final PatientOptOutRule rule = new PatientOptOutRule();

    static Stream<Arguments> table() {
        Requester practitioner = generalPractitionerOf(PATIENT);
        Requester backend = backendClientWith();
        ConsentDirective refuseMe = ConsentDirective.refuse(CareProvider.practitioner(PRACTITIONER_ID));
        ConsentDirective refuseMyOrganization = ConsentDirective.refuse(CareProvider.organization(ORGANIZATION_ID));
        ConsentDirective refuseOther = ConsentDirective.refuse(CareProvider.organization(OTHER_ORGANIZATION_ID));
        ConsentDirective refusalEnded =
                new ConsentDirective(CareProvider.practitioner(PRACTITIONER_ID), TimeRange.until(monthsAgo(1)));
        ConsentDirective refusalCurrent = new ConsentDirective(
                CareProvider.practitioner(PRACTITIONER_ID), TimeRange.between(monthsAgo(1), NOW.plusSeconds(3600)));
        return Stream.of(
                arguments("practitioner refused by name", practitioner, refuseMe, Effect.DENY),
                arguments("practitioner's organization refused", practitioner, refuseMyOrganization, Effect.DENY),
                arguments("another organization refused", practitioner, refuseOther, Effect.NOT_APPLICABLE),
                arguments("refusal ended last month", practitioner, refusalEnded, Effect.NOT_APPLICABLE),
                arguments("refusal with a current period", practitioner, refusalCurrent, Effect.DENY),
                arguments("backend client's organization refused", backend, refuseMyOrganization, Effect.DENY),
                arguments(
                        "backend client, a practitioner of its organization refused",
                        backend,
                        refuseMe,
                        Effect.NOT_APPLICABLE),
                arguments("patient themself", self(PATIENT), refuseMyOrganization, Effect.NOT_APPLICABLE),
                arguments("guardian", guardianOf(PATIENT), refuseMyOrganization, Effect.NOT_APPLICABLE));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("table")
    void decideWhenPatientRefusedSharingThenDenyThoseRefusedWhileItHolds(
            String description, Requester requester, ConsentDirective directive, Effect expected) {
        var decision = rule.evaluate(request(requester, PATIENT.withConsentDirectives(directive)));
        assertThat(decision.effect()).isEqualTo(expected);
        assertThat(decision.rule()).isEqualTo("patient-opt-out");
    }
}
