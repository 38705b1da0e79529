package org.caregate.consent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caregate.consent.People.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Locale;
import java.util.stream.Stream;
import org.caregate.consent.DataCategory;
import org.caregate.consent.Effect;
import org.caregate.consent.LabResultStatus;
import org.caregate.consent.PatientFacts;
import org.caregate.consent.Requester;
import org.caregate.consent.SiteAdministratorRequester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReleaseHoldRuleTest {

    private static final PatientFacts ADULT = adult(30);
    private static final PatientFacts CHILD = child(6);

    private final ReleaseHoldRule rule = new ReleaseHoldRule();

    static Stream<Arguments> table() {
        Requester patient = self(ADULT);
        Requester guardian = guardianOf(CHILD);
        Requester practitioner = generalPractitionerOf(ADULT);
        Requester backend = backendClientWith();
        DataCategory unreleased = DataCategory.radiologyReport(false);
        DataCategory released = DataCategory.radiologyReport(true);
        DataCategory preliminary = DataCategory.labResult(LabResultStatus.PRELIMINARY);
        DataCategory registered = DataCategory.labResult(LabResultStatus.REGISTERED);
        DataCategory finalResult = DataCategory.labResult(LabResultStatus.FINAL);
        DataCategory corrected = DataCategory.labResult(LabResultStatus.CORRECTED);
        return Stream.of(
                arguments("patient", patient, ADULT, unreleased, Effect.DENY),
                arguments("patient", patient, ADULT, released, Effect.NOT_APPLICABLE),
                arguments("patient", patient, ADULT, preliminary, Effect.DENY),
                arguments("patient", patient, ADULT, registered, Effect.DENY),
                arguments("patient", patient, ADULT, finalResult, Effect.NOT_APPLICABLE),
                arguments("patient", patient, ADULT, corrected, Effect.NOT_APPLICABLE),
                arguments("patient", patient, ADULT, DataCategory.ordinary(), Effect.NOT_APPLICABLE),
                arguments("guardian", guardian, CHILD, unreleased, Effect.DENY),
                arguments("guardian", guardian, CHILD, preliminary, Effect.DENY),
                arguments("guardian", guardian, CHILD, released, Effect.NOT_APPLICABLE),
                arguments("guardian", guardian, CHILD, finalResult, Effect.NOT_APPLICABLE),
                arguments("practitioner", practitioner, ADULT, unreleased, Effect.NOT_APPLICABLE),
                arguments("practitioner", practitioner, ADULT, preliminary, Effect.NOT_APPLICABLE),
                arguments("backend client", backend, ADULT, unreleased, Effect.NOT_APPLICABLE),
                arguments("backend client", backend, ADULT, registered, Effect.NOT_APPLICABLE),
                arguments(
                        "site administrator",
                        new SiteAdministratorRequester("admin"),
                        ADULT,
                        unreleased,
                        Effect.NOT_APPLICABLE));
    }

    @ParameterizedTest(name = "{0}, {3}: {4}")
    @MethodSource("table")
    void decideWhenResultNotReleasedThenHeldBackFromPatientsAndGuardiansOnly(
            String who, Requester requester, PatientFacts patient, DataCategory data, Effect expected) {
        var decision = rule.evaluate(request(requester, patient).withData(data));
        assertThat(decision.effect()).isEqualTo(expected);
        assertThat(decision.rule()).isEqualTo("release-hold");
    }

    @Test
    void decideWhenRadiologyReportUnreleasedThenReasonSaysSoInBothLanguages() {
        var decision = rule.evaluate(request(self(ADULT), ADULT).withData(DataCategory.radiologyReport(false)));
        assertThat(decision.reason(Locale.ENGLISH)).contains("radiology report has not been released");
        assertThat(decision.reason(Locale.forLanguageTag("es"))).contains("informe de radiología");
    }
}
