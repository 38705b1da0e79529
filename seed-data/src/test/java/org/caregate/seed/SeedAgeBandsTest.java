package org.caregate.seed;

import static java.time.temporal.ChronoUnit.DAYS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Month;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The age bands the access policy depends on hold whatever the day of loading. */
class SeedAgeBandsTest {

    @ParameterizedTest(name = "loaded on {0}")
    @ValueSource(
            strings = {
                "2026-11-21",
                "2028-02-29",
                "2026-12-31",
                "2027-01-01",
                "2028-02-26",
                "2027-02-28",
                "2027-03-01",
                "2025-06-15",
                "2030-12-29"
            })
    void patientsWhenLoadedOnDayThenAgesAreExact(LocalDate day) {
        PreparedSeed seed = PreparedSeed.on(day);
        assertThat(age(seed, "pat-family-4", day)).isEqualTo(4);
        assertThat(age(seed, "pat-family-11", day)).isEqualTo(11);
        assertThat(age(seed, "pat-family-13", day)).isEqualTo(13);
        assertThat(age(seed, "pat-family-17", day)).isEqualTo(17);
        assertThat(age(seed, "pat-adult-18", day)).isEqualTo(18);
        assertThat(age(seed, "pat-incapacitated", day)).isGreaterThanOrEqualTo(18);
        assertThat(age(seed, "pat-parent-garcia", day)).isGreaterThanOrEqualTo(18);

        LocalDate twelfthBirthday = birthDate(seed, "pat-family-11").plusYears(12);
        assertThat(DAYS.between(day, twelfthBirthday)).isBetween(1L, 7L);

        // "turned 18 some weeks ago": the parent lost access recently, not today
        LocalDate eighteenthBirthday = birthDate(seed, "pat-adult-18").plusYears(18);
        assertThat(DAYS.between(eighteenthBirthday, day)).isBetween(14L, 70L);

        seed.resources(Patient.class)
                .forEach(p -> assertThat(
                                isLeapDay(birthDate(seed, p.getIdElement().getIdPart())))
                        .as("%s is born on 29 February", p.getIdElement().getIdPart())
                        .isFalse());
    }

    @ParameterizedTest(name = "loaded on {0}")
    @ValueSource(strings = {"2026-11-21", "2028-02-29", "2026-12-31"})
    void relatedPersonsWhenParentThenPeriodStartsAtTheChildsBirth(LocalDate day) {
        PreparedSeed seed = PreparedSeed.on(day);
        for (String child : List.of("4", "11", "13", "17")) {
            RelatedPerson parent = seed.get(RelatedPerson.class, "rp-garcia-for-" + child);
            assertThat(parent.getPatient().getReference()).isEqualTo("Patient/pat-family-" + child);
            assertThat(parent.getPeriod().getStartElement().getValueAsString())
                    .isEqualTo(seed.get(Patient.class, "pat-family-" + child)
                            .getBirthDateElement()
                            .getValueAsString());
            assertThat(parent.getPeriod().hasEnd()).isFalse();
        }
        assertThat(seed.get(RelatedPerson.class, "rp-lee-for-18")
                        .getPeriod()
                        .getStartElement()
                        .getValueAsString())
                .isEqualTo(seed.get(Patient.class, "pat-adult-18")
                        .getBirthDateElement()
                        .getValueAsString());
    }

    /**
     * Every birthDate placeholder of the dataset, resolved on every day of a common and a leap year: the age is exact
     * and the birthday is where the placeholder says (give or take the one day that 29 February may move it).
     */
    @Test
    void birthDatePlaceholdersWhenResolvedOnEveryDayOfTwoYearsThenAgeAndDistanceHold() {
        Pattern placeholder =
                Pattern.compile("\\$\\{birthDate:age=(\\d+),(lastBirthdayDaysAgo|nextBirthdayInDays)=(\\d+)}");
        List<String> texts = new ArrayList<>();
        for (String name : SeedDataset.BUNDLE_NAMES) {
            try (InputStream in = SeedDataset.class.getResourceAsStream("/org/caregate/seed/" + name + ".json")) {
                texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Matcher> found = new ArrayList<>();
        texts.forEach(t -> {
            Matcher m = placeholder.matcher(t);
            while (m.find()) {
                found.add(placeholder.matcher(m.group()));
            }
        });
        assertThat(found).hasSizeGreaterThanOrEqualTo(14);

        for (LocalDate day = LocalDate.of(2027, 1, 1); day.isBefore(LocalDate.of(2029, 1, 1)); day = day.plusDays(1)) {
            RelativeDatePlaceholders resolver = new RelativeDatePlaceholders(day, ZoneId.of("America/Los_Angeles"));
            for (Matcher m : found) {
                assertThat(m.matches()).isTrue();
                LocalDate birth = LocalDate.parse(resolver.resolve(m.group()));
                int age = Integer.parseInt(m.group(1));
                long days = Long.parseLong(m.group(3));
                String what = m.group() + " on " + day;
                assertThat(Period.between(birth, day).getYears()).as(what).isEqualTo(age);
                assertThat(isLeapDay(birth)).as(what).isFalse();
                if (m.group(2).equals("lastBirthdayDaysAgo")) {
                    assertThat(DAYS.between(birth.plusYears(age), day)).as(what).isBetween(days, days + 1);
                } else {
                    assertThat(DAYS.between(day, birth.plusYears(age + 1L)))
                            .as(what)
                            .isBetween(days, days + 1);
                }
            }
        }
    }

    private static int age(PreparedSeed seed, String patientId, LocalDate day) {
        return Period.between(birthDate(seed, patientId), day).getYears();
    }

    private static LocalDate birthDate(PreparedSeed seed, String patientId) {
        DateType birthDate = seed.get(Patient.class, patientId).getBirthDateElement();
        return LocalDate.of(birthDate.getYear(), birthDate.getMonth() + 1, birthDate.getDay());
    }

    private static boolean isLeapDay(LocalDate date) {
        return date.getMonth() == Month.FEBRUARY && date.getDayOfMonth() == 29;
    }
}
