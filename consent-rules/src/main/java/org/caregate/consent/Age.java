package org.caregate.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * Ages and birthdays as the access policy counts them.
 * <ul>
 * <li>A day is a calendar day in the facility time zone: "today" is {@code LocalDate.ofInstant(instant, zone)}.</li>
 * <li>A birthday starts at 00:00 (or, on a day that skips midnight for daylight saving, the first instant of the day).</li>
 * <li>Someone born on 29 February has their birthday on 1 March in years that are not leap years (unlike
 * {@link LocalDate#plusYears(long)}, which gives 28 February).</li>
 * <li>Before the birth date (a record created ahead of birth) the age is 0.</li>
 * </ul>
 */
public final class Age {

    /** The age at which a guardian's access ends and the patient's adolescence starts. */
    public static final int ADOLESCENCE = 12;
    /** The age of majority: own online access starts. */
    public static final int ADULTHOOD = 18;

    private static final MonthDay LEAP_DAY = MonthDay.of(Month.FEBRUARY, 29);

    private Age() {}

    /** "Today" at {@code instant} in the facility {@code zone}. */
    public static LocalDate today(Instant instant, ZoneId zone) {
        return LocalDate.ofInstant(instant, zone);
    }

    /** The date of the birthday in {@code year}: 1 March for a 29 February birth in a non-leap year. */
    public static LocalDate birthdayIn(LocalDate birthDate, int year) {
        if (MonthDay.from(birthDate).equals(LEAP_DAY) && !java.time.Year.isLeap(year)) {
            return LocalDate.of(year, Month.MARCH, 1);
        }
        return birthDate.withYear(year);
    }

    /** The date on which the person turns {@code years} old. */
    public static LocalDate birthday(LocalDate birthDate, int years) {
        return birthdayIn(birthDate, birthDate.getYear() + years);
    }

    /** Completed years on {@code today}; 0 before the birth date. */
    public static int inYears(LocalDate birthDate, LocalDate today) {
        Objects.requireNonNull(birthDate, "birthDate");
        int years = today.getYear() - birthDate.getYear();
        if (today.isBefore(birthdayIn(birthDate, today.getYear()))) {
            years--;
        }
        return Math.max(years, 0);
    }

    /** Completed years at {@code instant} in the facility {@code zone}. */
    public static int inYears(LocalDate birthDate, Instant instant, ZoneId zone) {
        return inYears(birthDate, today(instant, zone));
    }

    /** The instant at which the person turns {@code years} old in the facility {@code zone}. */
    public static Instant turns(LocalDate birthDate, int years, ZoneId zone) {
        return birthday(birthDate, years).atStartOfDay(zone).toInstant();
    }

    /** The instant a parent's or guardian's access ends: the start of the 12th birthday in the facility zone. */
    public static Instant guardianAccessEndsAt(LocalDate birthDate, ZoneId zone) {
        return turns(birthDate, ADOLESCENCE, zone);
    }

    /**
     * The next instant after {@code instant} at which the patient's {@link AgeBand} changes (the start of the 12th or
     * the 18th birthday), or empty for an adult or an unknown birth date. Useful to bound how long a decision stays
     * valid (e.g. a cache or a token lifetime).
     */
    public static Optional<Instant> nextAccessChange(LocalDate birthDate, Instant instant, ZoneId zone) {
        if (birthDate == null) {
            return Optional.empty();
        }
        for (int years : new int[] {ADOLESCENCE, ADULTHOOD}) {
            Instant change = turns(birthDate, years, zone);
            if (change.isAfter(instant)) {
                return Optional.of(change);
            }
        }
        return Optional.empty();
    }
}
