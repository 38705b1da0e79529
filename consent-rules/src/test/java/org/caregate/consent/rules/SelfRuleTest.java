package org.caregate.consent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caregate.consent.People.*;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import org.caregate.consent.AccessRequest;
import org.caregate.consent.Decision;
import org.caregate.consent.Effect;
import org.caregate.consent.PatientFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelfRuleTest {

    private final SelfRule rule = new SelfRule(false);

    @ParameterizedTest(name = "aged {0}, adolescent own access {1}: {2}")
    @CsvSource({
        "0,  false, DENY",
        "11, false, DENY",
        "12, false, DENY",
        "17, false, DENY",
        "18, false, PERMIT",
        "64, false, PERMIT",
        "11, true,  DENY",
        "12, true,  PERMIT",
        "17, true,  PERMIT",
        "18, true,  PERMIT",
    })
    void decideWhenPatientAskedAboutThemselfThenByAge(int years, boolean adolescentOwnAccess, Effect expected) {
        PatientFacts patient = patientAged(years);
        Decision decision = new SelfRule(adolescentOwnAccess).evaluate(request(self(patient), patient));
        assertThat(decision.effect()).isEqualTo(expected);
        assertThat(decision.rule()).isEqualTo("self");
    }

    @ParameterizedTest(name = "born {0}, at {1} in Los Angeles: {2}")
    @CsvSource({
        "2007-06-15, 2025-06-14T23:59, DENY",
        "2007-06-15, 2025-06-15T00:00, PERMIT",
        "2008-02-29, 2026-02-28T23:59, DENY",
        "2008-02-29, 2026-03-01T00:00, PERMIT",
    })
    void decideWhenAroundEighteenthBirthdayThenAccessStartsAtMidnightOfIt(
            LocalDate born, String localTime, Effect expected) {
        PatientFacts patient = bornOn("pat-turning-18", born);
        Instant at = inLosAngeles(localTime);
        assertThat(rule.evaluate(request(self(patient), patient, at)).effect()).isEqualTo(expected);
    }

    @Test
    void decideWhenPatientOfFifteenThenDenyPointsToHealthInformationManagement() {
        PatientFacts patient = patientAged(15);
        Decision decision = rule.evaluate(request(self(patient), patient));
        assertThat(decision.reason(Locale.ENGLISH)).contains("aged 12 to 17").contains("Health Information Management");
        assertThat(decision.reason(Locale.forLanguageTag("es")))
                .contains("de 12 a 17 años")
                .contains("Gestión de Información de Salud");
    }

    @Test
    void decideWhenAskingAboutAnotherPatientThenNotApplicable() {
        assertThat(rule.evaluate(request(self(adult(40)), adult(30))).isNotApplicable())
                .isTrue();
    }

    @Test
    void decideWhenRequesterIsNotAPatientThenNotApplicable() {
        PatientFacts patient = adult(30);
        assertThat(rule.evaluate(request(generalPractitionerOf(patient), patient))
                        .isNotApplicable())
                .isTrue();
    }

    @Test
    void decideWhenNoBirthDateThenDeny() {
        PatientFacts patient = withoutBirthDate();
        assertThat(rule.evaluate(request(self(patient), patient)).effect()).isEqualTo(Effect.DENY);
    }

    @Test
    void decideWhenDeceasedAdultUsesOwnAccountThenDeny() {
        PatientFacts patient = adult(70).withDeceased(true);
        Decision decision = rule.evaluate(request(self(patient), patient));
        assertThat(decision.effect()).isEqualTo(Effect.DENY);
        assertThat(decision.reason(Locale.ENGLISH)).contains("deceased");
    }

    @Test
    void decideWhenAdultOnOrdinaryDataThenPermitNamesSelf() {
        PatientFacts patient = adult(30);
        AccessRequest request = request(self(patient), patient);
        Decision decision = rule.evaluate(request);
        assertThat(decision.isPermit()).isTrue();
        assertThat(decision.reason(Locale.ENGLISH)).isEqualTo("You are 18 or older, so you may see your own records.");
    }
}
