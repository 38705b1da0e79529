package org.caregate.consent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caregate.consent.People.*;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import org.caregate.consent.Decision;
import org.caregate.consent.Effect;
import org.caregate.consent.GuardianRequester;
import org.caregate.consent.Guardianship;
import org.caregate.consent.PatientFacts;
import org.caregate.consent.TimeRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuardianRuleTest {

    private final GuardianRule rule = new GuardianRule();

    @ParameterizedTest(name = "parent of a patient aged {0}: {1}")
    @CsvSource({"0, PERMIT", "5, PERMIT", "11, PERMIT", "12, DENY", "13, DENY", "17, DENY", "18, DENY", "40, DENY"})
    void decideWhenParentThenByAgeOfChild(int years, Effect expected) {
        PatientFacts child = child(years);
        Decision decision = rule.evaluate(request(guardianOf(child), child));
        assertThat(decision.effect()).isEqualTo(expected);
        assertThat(decision.rule()).isEqualTo("guardian");
    }

    @Test
    void decideWhenGuardianOfThirteenYearOldThenDenyPointsToHealthInformationManagement() {
        PatientFacts teen = child(13);
        Decision decision = rule.evaluate(request(guardianOf(teen), teen));
        assertThat(decision.effect()).isEqualTo(Effect.DENY);
        assertThat(decision.reason(Locale.ENGLISH))
                .contains("Online access is not available for patients aged 12 to 17")
                .contains("request a copy of the records from Health Information Management");
        assertThat(decision.reason(Locale.forLanguageTag("es")))
                .contains("no está disponible para pacientes de 12 a 17 años")
                .contains("solicitar una copia de los registros al Departamento de Gestión de Información de Salud "
                        + "(Health Information Management)");
    }

    @ParameterizedTest(name = "born {0}, at {1} in {2}: {3}")
    @CsvSource({
        // the last minute before the 12th birthday and the first minute of it
        "2013-06-15, 2025-06-14T23:59:00Z, America/Los_Angeles, PERMIT",
        "2013-06-15, 2025-06-15T06:59:00Z, America/Los_Angeles, PERMIT",
        "2013-06-15, 2025-06-15T07:00:00Z, America/Los_Angeles, DENY",
        // already the birthday in UTC, still the day before in Los Angeles
        "2013-06-15, 2025-06-15T03:00:00Z, America/Los_Angeles, PERMIT",
        "2013-06-15, 2025-06-15T03:00:00Z, UTC,                 DENY",
        // 12th birthday on the day clocks spring forward (2025-03-09, PST until 02:00)
        "2013-03-09, 2025-03-09T07:59:00Z, America/Los_Angeles, PERMIT",
        "2013-03-09, 2025-03-09T08:00:00Z, America/Los_Angeles, DENY",
        // 12th birthday on the day clocks fall back (2025-11-02, PDT until 02:00)
        "2013-11-02, 2025-11-02T06:59:00Z, America/Los_Angeles, PERMIT",
        "2013-11-02, 2025-11-02T07:00:00Z, America/Los_Angeles, DENY",
        // born 29 February: 12th birthday in a leap year, and in 2100 which is not one (1 March)
        "2012-02-29, 2024-02-29T07:59:00Z, America/Los_Angeles, PERMIT",
        "2012-02-29, 2024-02-29T08:00:00Z, America/Los_Angeles, DENY",
        "2088-02-29, 2100-03-01T07:59:00Z, America/Los_Angeles, PERMIT",
        "2088-02-29, 2100-03-01T08:00:00Z, America/Los_Angeles, DENY",
    })
    void decideWhenAroundTwelfthBirthdayThenAccessEndsAtMidnightInFacilityZone(
            LocalDate born, Instant at, ZoneId zone, Effect expected) {
        PatientFacts child = bornOn("pat-turning-12", born);
        var request = new org.caregate.consent.AccessRequest(
                guardianOf(child), child, org.caregate.consent.DataCategory.ordinary(), at, zone);
        assertThat(rule.evaluate(request).effect()).isEqualTo(expected);
    }

    @Test
    void decideWhenGuardianOfElevenAndTwelveYearOldThenOnlyTheElevenYearOld() {
        PatientFacts eleven = child(11);
        PatientFacts twelve = child(12);
        GuardianRequester parent = guardianOf(eleven, twelve);
        assertThat(rule.evaluate(request(parent, eleven)).isPermit()).isTrue();
        assertThat(rule.evaluate(request(parent, twelve)).isDeny()).isTrue();
    }

    @Test
    void decideWhenNoBirthDateThenDeny() {
        PatientFacts patient = withoutBirthDate();
        Decision decision = rule.evaluate(request(guardianOf(patient), patient));
        assertThat(decision.effect()).isEqualTo(Effect.DENY);
        assertThat(decision.reason(Locale.ENGLISH)).contains("birth date is not recorded");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "court-appointed guardian of incapacitated adult - active guardianship,   COURT_APPOINTED_GUARDIAN, true,  2024-01-01T00:00:00Z, ,                     PERMIT",
        "court-appointed guardian of incapacitated adult - guardianship ended,    COURT_APPOINTED_GUARDIAN, true,  2020-01-01T00:00:00Z, 2025-01-01T00:00:00Z, DENY",
        "court-appointed guardian of incapacitated adult - ends at this instant,  COURT_APPOINTED_GUARDIAN, true,  2020-01-01T00:00:00Z, 2025-06-15T17:00:00Z, DENY",
        "court-appointed guardian of incapacitated adult - starts at this instant,COURT_APPOINTED_GUARDIAN, true,  2025-06-15T17:00:00Z, ,                     PERMIT",
        "court-appointed guardian of incapacitated adult - not started yet,       COURT_APPOINTED_GUARDIAN, true,  2025-07-01T00:00:00Z, ,                     DENY",
        "court-appointed guardian - patient not recorded as incapacitated,        COURT_APPOINTED_GUARDIAN, false, 2024-01-01T00:00:00Z, ,                     DENY",
        "parent of an incapacitated adult child,                                  PARENT,                   true,  , ,                                         DENY",
        "legal guardian of an incapacitated adult,                                LEGAL_GUARDIAN,           true,  , ,                                         DENY",
    })
    void decideWhenGuardianOfAdultThenOnlyActiveCourtAppointedGuardianOfIncapacitatedAdult(
            String description,
            Guardianship.Role role,
            boolean incapacitated,
            Instant start,
            Instant end,
            Effect expected) {
        PatientFacts adult = adult(34).withIncapacitated(incapacitated);
        GuardianRequester guardian =
                GuardianRequester.of(new Guardianship(adult.id(), role, new TimeRange(start, end)));
        assertThat(rule.evaluate(request(guardian, adult)).effect()).isEqualTo(expected);
    }

    @Test
    void decideWhenParentGuardianshipEndedThenDenyEvenForYoungChild() {
        PatientFacts child = child(6);
        GuardianRequester formerGuardian = GuardianRequester.of(new Guardianship(
                child.id(), Guardianship.Role.LEGAL_GUARDIAN, TimeRange.until(inLosAngeles("2025-01-01T00:00"))));
        Decision decision = rule.evaluate(request(formerGuardian, child));
        assertThat(decision.effect()).isEqualTo(Effect.DENY);
        assertThat(decision.reason(Locale.ENGLISH)).contains("not active");
    }

    @Test
    void decideWhenGuardianshipRecordedAgainAfterAGapThenTheActiveOneCounts() {
        PatientFacts child = child(6);
        GuardianRequester guardian = GuardianRequester.of(
                new Guardianship(
                        child.id(),
                        Guardianship.Role.LEGAL_GUARDIAN,
                        TimeRange.until(inLosAngeles("2022-01-01T00:00"))),
                new Guardianship(
                        child.id(),
                        Guardianship.Role.LEGAL_GUARDIAN,
                        TimeRange.from(inLosAngeles("2024-01-01T00:00"))));
        assertThat(rule.evaluate(request(guardian, child)).isPermit()).isTrue();
    }

    @Test
    void decideWhenNotAGuardianOfThisPatientThenNotApplicable() {
        assertThat(rule.evaluate(request(guardianOf(child(4)), child(5))).isNotApplicable())
                .isTrue();
        assertThat(rule.evaluate(request(self(child(5)), child(5))).isNotApplicable())
                .isTrue();
    }

    @Test
    void decideWhenDeceasedChildThenSameAsLivingChild() {
        PatientFacts child = child(7).withDeceased(true);
        assertThat(rule.evaluate(request(guardianOf(child), child)).isPermit()).isTrue();
    }
}
