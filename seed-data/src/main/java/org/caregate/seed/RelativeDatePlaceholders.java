package org.caregate.seed;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the date placeholders of the seed bundles against the day of loading, on the JSON text before it is parsed.
 *
 * <p>The dataset must keep its meaning whenever it is loaded: a child written as "age 11, turning 12 in 3 days" must
 * be exactly that on the loading day. So dates are written as placeholders, relative to the loading day
 * (today's date in the facility time zone, chosen by the caller):
 *
 * <table>
 *   <caption>Placeholder syntax</caption>
 *   <tr><th>placeholder</th><th>becomes</th></tr>
 *   <tr><td>{@code ${birthDate:age=11,nextBirthdayInDays=3}}</td>
 *       <td>a FHIR {@code date}: the person is exactly 11 on the loading day and turns 12 three days later
 *       ({@code nextBirthdayInDays} 1..364)</td></tr>
 *   <tr><td>{@code ${birthDate:age=18,lastBirthdayDaysAgo=35}}</td>
 *       <td>a FHIR {@code date}: the person turned 18 thirty-five days before the loading day
 *       ({@code lastBirthdayDaysAgo} 0..364; 0 = the birthday is the loading day)</td></tr>
 *   <tr><td>{@code ${date:-30d}}, {@code ${date:+1y}}, {@code ${date:-3y-1d}}, {@code ${date:+0d}}</td>
 *       <td>a FHIR {@code date}: the loading day moved by the offset</td></tr>
 *   <tr><td>{@code ${dateTime:-2h}}, {@code ${dateTime:-3d@09:30}}, {@code ${dateTime:-1d@14:00+45min}}</td>
 *       <td>a FHIR {@code dateTime} (also a valid {@code instant}) with seconds and the zone offset, e.g.
 *       {@code 2026-11-18T09:30:00-08:00}: the loading day's date moved by the calendar terms ({@code y mo w d}),
 *       at the {@code @HH:mm} local time (default 00:00, the start of the loading day), then moved by the clock
 *       terms ({@code h min})</td></tr>
 * </table>
 *
 * <p>An offset is one or more signed terms, each a whole number and a unit: {@code y} years, {@code mo} months,
 * {@code w} weeks, {@code d} days, and for {@code dateTime} only {@code h} hours and {@code min} minutes. Terms are
 * applied from left to right. Because {@code dateTime} counts from the start of the loading day, any negative offset
 * is in the past whatever the time of loading.
 *
 * <p>Birth dates never fall on 29 February: where the arithmetic would produce one (a birthday on 29 February of a
 * leap loading year), a past birthday moves to 28 February and a future one to 1 March, so the age on the loading day
 * stays exact and the distance to the birthday changes by one day at most.
 *
 * <p>An unknown placeholder or a malformed one is an {@link IllegalArgumentException} that quotes it.
 */
public final class RelativeDatePlaceholders {

    /** Any {@code ${...}} in the text; the kinds are checked after matching so that no unknown placeholder slips through. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private static final Pattern BIRTH_DATE =
            Pattern.compile("age=(\\d{1,3}),(lastBirthdayDaysAgo|nextBirthdayInDays)=(\\d{1,3})");
    private static final Pattern TERM = Pattern.compile("([+-])(\\d{1,4})(y|mo|w|d|h|min)");
    private static final Pattern DATE_TIME =
            Pattern.compile("((?:[+-]\\d{1,4}(?:y|mo|w|d))*)" + "(?:@(\\d{2}:\\d{2}))?((?:[+-]\\d{1,4}(?:h|min))*)");
    private static final DateTimeFormatter DATE_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private final LocalDate loadingDay;
    private final ZoneId facilityZone;

    /**
     * @param loadingDay   today's date in the facility time zone
     * @param facilityZone the zone that {@code dateTime} values are written in
     */
    public RelativeDatePlaceholders(LocalDate loadingDay, ZoneId facilityZone) {
        this.loadingDay = Objects.requireNonNull(loadingDay, "loadingDay");
        this.facilityZone = Objects.requireNonNull(facilityZone, "facilityZone");
    }

    /** Replaces every placeholder in {@code text}; the result contains no {@code ${}. */
    public String resolve(String text) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(resolveOne(matcher.group(1))));
        }
        matcher.appendTail(out);
        if (out.indexOf("${") >= 0) {
            throw new IllegalArgumentException("unterminated placeholder near: "
                    + out.substring(out.indexOf("${"), Math.min(out.length(), out.indexOf("${") + 40)));
        }
        return out.toString();
    }

    /** Resolves the body of one placeholder, e.g. {@code date:-30d}. */
    String resolveOne(String body) {
        int colon = body.indexOf(':');
        String kind = colon < 0 ? body : body.substring(0, colon);
        String argument = colon < 0 ? "" : body.substring(colon + 1);
        try {
            return switch (kind) {
                case "birthDate" -> birthDate(argument).toString();
                case "date" -> date(argument).toString();
                case "dateTime" -> DATE_TIME_FORMAT.format(dateTime(argument));
                default -> throw new IllegalArgumentException("unknown placeholder kind '" + kind + "'");
            };
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("bad placeholder ${" + body + "}: " + e.getMessage(), e);
        }
    }

    private LocalDate birthDate(String argument) {
        Matcher m = BIRTH_DATE.matcher(argument);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected age=N,lastBirthdayDaysAgo=D or age=N,nextBirthdayInDays=D");
        }
        int age = Integer.parseInt(m.group(1));
        int days = Integer.parseInt(m.group(3));
        if (m.group(2).equals("lastBirthdayDaysAgo")) {
            require(days <= 364, "lastBirthdayDaysAgo must be 0..364");
            LocalDate lastBirthday = loadingDay.minusDays(days);
            LocalDate birth = lastBirthday.minusYears(age);
            return isLeapDay(birth) ? birth.minusDays(1) : birth;
        }
        require(days >= 1 && days <= 364, "nextBirthdayInDays must be 1..364");
        LocalDate nextBirthday = loadingDay.plusDays(days);
        LocalDate birth = nextBirthday.minusYears(age + 1L);
        // minusYears turns 29 Feb into 28 Feb in a common year; that birthday would come a day early (on the loading
        // day itself when days == 1), so a birthday that is due after a 29 February moves to 1 March instead.
        if (isLeapDay(nextBirthday) || isLeapDay(birth)) {
            return LocalDate.of(birth.getYear(), Month.MARCH, 1);
        }
        return birth;
    }

    private LocalDate date(String argument) {
        require(!argument.isEmpty(), "an offset such as -30d or +1y is required");
        LocalDate date = loadingDay;
        int consumed = 0;
        Matcher m = TERM.matcher(argument);
        while (m.lookingAt()) {
            date = plus(date, sign(m) * Long.parseLong(m.group(2)), m.group(3));
            consumed = m.end();
            m.region(consumed, argument.length());
        }
        require(consumed == argument.length(), "offset terms are [+-]N followed by y, mo, w or d");
        return date;
    }

    private ZonedDateTime dateTime(String argument) {
        Matcher whole = DATE_TIME.matcher(argument);
        require(
                !argument.isEmpty() && whole.matches(),
                "expected calendar terms (y mo w d), an optional @HH:mm, then clock terms (h min)");
        LocalDate date = whole.group(1).isEmpty() ? loadingDay : date(whole.group(1));
        LocalTime time = whole.group(2) == null ? LocalTime.MIDNIGHT : LocalTime.parse(whole.group(2));
        ZonedDateTime result = ZonedDateTime.of(date, time, facilityZone);
        Matcher m = TERM.matcher(whole.group(3));
        while (m.find()) {
            long amount = sign(m) * Long.parseLong(m.group(2));
            result = m.group(3).equals("h") ? result.plusHours(amount) : result.plusMinutes(amount);
        }
        return result;
    }

    private static LocalDate plus(LocalDate date, long amount, String unit) {
        return switch (unit) {
            case "y" -> date.plusYears(amount);
            case "mo" -> date.plusMonths(amount);
            case "w" -> date.plusWeeks(amount);
            case "d" -> date.plusDays(amount);
            default -> throw new IllegalArgumentException("unit '" + unit + "' is not allowed in a date");
        };
    }

    private static int sign(Matcher term) {
        return term.group(1).equals("-") ? -1 : 1;
    }

    private static boolean isLeapDay(LocalDate date) {
        return date.getMonth() == Month.FEBRUARY && date.getDayOfMonth() == 29;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
