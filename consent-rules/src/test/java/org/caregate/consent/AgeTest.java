package org.caregate.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgeTest {

    @ParameterizedTest(name = "born {0}, on {1}: {2} years")
    @CsvSource({
        "2013-06-15, 2025-06-14, 11",
        "2013-06-15, 2025-06-15, 12",
        "2007-06-15, 2025-06-14, 17",
        "2007-06-15, 2025-06-15, 18",
        // 29 February: birthday on 1 March in other years, on 29 February in leap years
        "2008-02-29, 2026-02-28, 17",
        "2008-02-29, 2026-03-01, 18",
        "2008-02-29, 2024-02-28, 15",
        "2008-02-29, 2024-02-29, 16",
        "2012-02-29, 2024-02-28, 11",
        "2012-02-29, 2024-02-29, 12",
        "2088-02-29, 2100-02-28, 11",
        "2088-02-29, 2100-03-01, 12",
        // a record created before birth
        "2025-07-01, 2025-06-15, 0",
    })
    void inYearsWhenBirthdayEdgesThenCountsCompletedYears(LocalDate birthDate, LocalDate today, int expected) {
        assertThat(Age.inYears(birthDate, today)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "born {0} in {1}: guardian access ends at {2}")
    @CsvSource({
        "2013-06-15, America/Los_Angeles, 2025-06-15T07:00:00Z",
        // 12th birthday on the day clocks spring forward (2025-03-09) and fall back (2025-11-02) in Los Angeles
        "2013-03-09, America/Los_Angeles, 2025-03-09T08:00:00Z",
        "2013-11-02, America/Los_Angeles, 2025-11-02T07:00:00Z",
        // 12th year 2100 is not a leap year: 1 March, not 28 February
        "2088-02-29, America/Los_Angeles, 2100-03-01T08:00:00Z",
        "2012-02-29, America/Los_Angeles, 2024-02-29T08:00:00Z",
        // Santiago skipped 00:00-01:00 on 2024-09-08: the day starts at 01:00 (-03:00)
        "2012-09-08, America/Santiago, 2024-09-08T04:00:00Z",
        "2013-06-15, UTC, 2025-06-15T00:00:00Z",
    })
    void guardianAccessEndsAtWhenTwelfthBirthdayThenStartOfThatDayInFacilityZone(
            LocalDate birthDate, ZoneId zone, Instant expected) {
        assertThat(Age.guardianAccessEndsAt(birthDate, zone)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "born {0}, at {1}: next change {2}")
    @CsvSource({
        "2015-01-10, 2025-06-15T17:00:00Z, 2027-01-10T08:00:00Z",
        "2010-01-10, 2025-06-15T17:00:00Z, 2028-01-10T08:00:00Z",
        "2013-06-15, 2025-06-15T06:59:00Z, 2025-06-15T07:00:00Z",
        "2013-06-15, 2025-06-15T07:00:00Z, 2031-06-15T07:00:00Z",
    })
    void nextAccessChangeWhenMinorThenNextTwelfthOrEighteenthBirthday(
            LocalDate birthDate, Instant at, Instant expected) {
        assertThat(Age.nextAccessChange(birthDate, at, ZoneId.of("America/Los_Angeles")))
                .contains(expected);
    }

    @Test
    void nextAccessChangeWhenAdultOrNoBirthDateThenNone() {
        ZoneId zone = ZoneId.of("America/Los_Angeles");
        Instant at = Instant.parse("2025-06-15T17:00:00Z");
        assertThat(Age.nextAccessChange(LocalDate.of(2000, 1, 1), at, zone)).isEmpty();
        assertThat(Age.nextAccessChange(null, at, zone)).isEmpty();
    }

    @ParameterizedTest(name = "{0} years: {1}")
    @CsvSource({"0, CHILD", "11, CHILD", "12, ADOLESCENT", "17, ADOLESCENT", "18, ADULT", "90, ADULT"})
    void ageBandWhenYearsThenBand(int years, AgeBand expected) {
        assertThat(AgeBand.ofYears(years)).isEqualTo(expected);
    }

    @Test
    void ageBandAtWhenUtcDateIsBirthdayButLosAngelesIsStillTheDayBeforeThenStillChild() {
        // 2025-06-15T03:00Z is 2025-06-14 20:00 in Los Angeles
        Instant at = Instant.parse("2025-06-15T03:00:00Z");
        LocalDate born = LocalDate.of(2013, 6, 15);
        assertThat(AgeBand.at(born, at, ZoneId.of("America/Los_Angeles"))).contains(AgeBand.CHILD);
        assertThat(AgeBand.at(born, at, ZoneId.of("UTC"))).contains(AgeBand.ADOLESCENT);
        assertThat(AgeBand.at(null, at, ZoneId.of("UTC"))).isEmpty();
    }
}
