package org.caregate.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelativeDatePlaceholdersTest {

    private static final ZoneId LA = ZoneId.of("America/Los_Angeles");

    @ParameterizedTest(name = "{1} on {0} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2026-11-21 | date:+0d                                   | 2026-11-21
            2026-11-21 | date:-30d                                  | 2026-10-22
            2026-11-21 | date:+1y                                   | 2027-11-21
            2026-11-21 | date:-14mo                                 | 2025-09-21
            2026-11-21 | date:-3y-1d                                | 2023-11-20
            2026-11-21 | date:-2w                                   | 2026-11-07
            2028-02-29 | date:-1y                                   | 2027-02-28
            2026-12-31 | date:+1d                                   | 2027-01-01
            2026-11-21 | dateTime:-2h                               | 2026-11-20T22:00:00-08:00
            2026-11-21 | dateTime:-3d@09:30                         | 2026-11-18T09:30:00-08:00
            2026-11-21 | dateTime:-1d@14:00+45min                   | 2026-11-20T14:45:00-08:00
            2026-07-04 | dateTime:+0d@08:00                         | 2026-07-04T08:00:00-07:00
            2026-11-21 | birthDate:age=11,nextBirthdayInDays=3      | 2014-11-24
            2026-11-21 | birthDate:age=18,lastBirthdayDaysAgo=35    | 2008-10-17
            2026-11-21 | birthDate:age=4,lastBirthdayDaysAgo=0      | 2022-11-21
            2026-12-31 | birthDate:age=11,nextBirthdayInDays=3      | 2015-01-03
            """)
    void resolveOneWhenValidThenDate(LocalDate loadingDay, String placeholder, String expected) {
        assertThat(new RelativeDatePlaceholders(loadingDay, LA).resolveOne(placeholder))
                .isEqualTo(expected);
    }

    @Test
    void resolveWhenBirthdayWouldBeLeapDayThenPastMovesToFebruary28AndFutureToMarch1() {
        // 29 Feb 2028 minus 4 years is 29 Feb 2024: a past birthday moves back a day, the age stays 4
        assertThat(new RelativeDatePlaceholders(LocalDate.of(2028, 2, 29), LA)
                        .resolveOne("birthDate:age=4,lastBirthdayDaysAgo=0"))
                .isEqualTo("2024-02-28");
        // next birthday on 29 Feb 2028 with age 11: born 2016-02-29 would be a leap-day birth; 1 March keeps age 11
        assertThat(new RelativeDatePlaceholders(LocalDate.of(2028, 2, 26), LA)
                        .resolveOne("birthDate:age=11,nextBirthdayInDays=3"))
                .isEqualTo("2016-03-01");
        // and the same with a common birth year: minusYears would give 28 Feb, a day early (today, for 1 day)
        assertThat(new RelativeDatePlaceholders(LocalDate.of(2028, 2, 28), LA)
                        .resolveOne("birthDate:age=12,nextBirthdayInDays=1"))
                .isEqualTo("2015-03-01");
    }

    @Test
    void resolveWhenTextHasPlaceholdersThenReplacesAllAndLeavesTheRest() {
        String text = "{\"birthDate\":\"${birthDate:age=4,lastBirthdayDaysAgo=1}\",\"x\":\"${date:-1d}\",\"$\":\"{}\"}";
        assertThat(new RelativeDatePlaceholders(LocalDate.of(2026, 11, 21), LA).resolve(text))
                .isEqualTo("{\"birthDate\":\"2022-11-20\",\"x\":\"2026-11-20\",\"$\":\"{}\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ${time:-1d}
            ${date:}
            ${date:-1h}
            ${date:yesterday}
            ${dateTime:@9:30}
            ${birthDate:age=4}
            ${birthDate:age=11,nextBirthdayInDays=0}
            ${birthDate:age=11,lastBirthdayDaysAgo=365}
            ${date:-1d
            """)
    void resolveWhenPlaceholderMalformedThenFailsNamingIt(String text) {
        assertThatThrownBy(() -> new RelativeDatePlaceholders(LocalDate.of(2026, 11, 21), LA).resolve(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.length() > 12 ? text.substring(2, 12) : text.substring(2));
    }
}
