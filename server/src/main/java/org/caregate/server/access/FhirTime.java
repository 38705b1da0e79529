package org.caregate.server.access;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import org.caregate.consent.TimeRange;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Period;

/**
 * FHIR dates and periods as consent-rules wants them. A FHIR {@code Period.end} is inclusive and often a date only
 * (R4 2.24.0.9 "Period"): a date-only or partial end includes its whole last day, month or year in the facility zone.
 */
final class FhirTime {

    /** A range that contains no instant: a record that is not in use. */
    static final TimeRange NEVER = TimeRange.between(Instant.EPOCH, Instant.EPOCH);

    private FhirTime() {}

    /** The period as a half-open range; an empty or missing period is {@link TimeRange#always()}. */
    static TimeRange range(Period period, ZoneId zone) {
        if (period == null || period.isEmpty()) {
            return TimeRange.always();
        }
        Instant start = period.hasStart() ? firstInstant(period.getStartElement(), zone) : null;
        Instant end = period.hasEnd() ? instantAfter(period.getEndElement(), zone) : null;
        if (start != null && end != null && end.isBefore(start)) {
            return NEVER; // malformed period: never in force rather than an exception on every request
        }
        return new TimeRange(start, end);
    }

    /** The intersection of two ranges ({@link #NEVER} if they do not overlap). */
    static TimeRange intersection(TimeRange a, TimeRange b) {
        Instant start = later(a.start(), b.start());
        Instant end = earlier(a.end(), b.end());
        if (start != null && end != null && end.isBefore(start)) {
            return NEVER;
        }
        return new TimeRange(start, end);
    }

    /** A full date (day precision or finer, read as a calendar date); {@code null} for a partial or missing one. */
    static LocalDate fullDate(BaseDateTimeType value) {
        if (value == null || value.isEmpty() || value.getValueAsString() == null) {
            return null;
        }
        String text = value.getValueAsString();
        return text.length() >= 10 ? LocalDate.parse(text.substring(0, 10)) : null;
    }

    private static Instant firstInstant(BaseDateTimeType value, ZoneId zone) {
        String text = value.getValueAsString();
        if (text == null) {
            return null;
        }
        return switch (text.length()) {
            case 4 -> Year.parse(text).atDay(1).atStartOfDay(zone).toInstant();
            case 7 -> YearMonth.parse(text).atDay(1).atStartOfDay(zone).toInstant();
            case 10 -> LocalDate.parse(text).atStartOfDay(zone).toInstant();
            default -> value.getValue().toInstant();
        };
    }

    private static Instant instantAfter(BaseDateTimeType value, ZoneId zone) {
        String text = value.getValueAsString();
        if (text == null) {
            return null;
        }
        return switch (text.length()) {
            case 4 -> Year.parse(text).plusYears(1).atDay(1).atStartOfDay(zone).toInstant();
            case 7 ->
                YearMonth.parse(text).plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
            case 10 -> LocalDate.parse(text).plusDays(1).atStartOfDay(zone).toInstant();
            // a dateTime end is inclusive to its precision (seconds or milliseconds): the next millisecond is out
            default -> value.getValue().toInstant().plusMillis(1);
        };
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
