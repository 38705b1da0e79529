package org.caregate.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A span of time, as used for guardianships, care relationships and consent directives.
 * The start is <b>inclusive</b> and the end <b>exclusive</b>; a {@code null} start or end means open on that side.
 *
 * <p>FHIR {@code Period.end} is inclusive and often a date only: convert a date-only period with
 * {@link #ofDates(LocalDate, LocalDate, ZoneId)}, which makes the whole last day part of the range.
 *
 * @param start the first instant in the range, or {@code null} for "since always"
 * @param end   the first instant after the range, or {@code null} for "until further notice"
 */
public record TimeRange(Instant start, Instant end) {

    private static final TimeRange ALWAYS = new TimeRange(null, null);

    public TimeRange {
        if (start != null && end != null && end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
    }

    /** A range open on both sides. */
    public static TimeRange always() {
        return ALWAYS;
    }

    /** From {@code start} (inclusive), with no end. */
    public static TimeRange from(Instant start) {
        return new TimeRange(start, null);
    }

    /** Since always, until {@code end} (exclusive). */
    public static TimeRange until(Instant end) {
        return new TimeRange(null, end);
    }

    /** From {@code start} (inclusive) until {@code end} (exclusive). */
    public static TimeRange between(Instant start, Instant end) {
        return new TimeRange(start, end);
    }

    /**
     * Whole days in the facility zone: from 00:00 on {@code firstDay} until 00:00 on the day after {@code lastDay},
     * i.e. both days inclusive. Either day may be {@code null} (open).
     */
    public static TimeRange ofDates(LocalDate firstDay, LocalDate lastDay, ZoneId zone) {
        return new TimeRange(
                firstDay == null ? null : firstDay.atStartOfDay(zone).toInstant(),
                lastDay == null ? null : lastDay.plusDays(1).atStartOfDay(zone).toInstant());
    }

    /** Whether {@code instant} is in the range: {@code start <= instant < end}. */
    public boolean contains(Instant instant) {
        return (start == null || !instant.isBefore(start)) && (end == null || instant.isBefore(end));
    }
}
