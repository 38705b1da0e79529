package org.caregate.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.caregate.consent.Guardianship;
import org.caregate.consent.TimeRange;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.Test;

/** FHIR dates and relationship codes as facts (no Spring). */
class FhirTimeTest {

    static final ZoneId LA = ZoneId.of("America/Los_Angeles");

    @Test
    void rangeWhenDateOnlyEndThenTheWholeLastDayIsIncluded() {
        Period period = new Period();
        period.getStartElement().setValueAsString("2024-01-10");
        period.getEndElement().setValueAsString("2024-03-31");

        TimeRange range = FhirTime.range(period, LA);

        assertThat(range.start())
                .isEqualTo(LocalDate.of(2024, 1, 10).atStartOfDay(LA).toInstant());
        assertThat(range.end())
                .isEqualTo(LocalDate.of(2024, 4, 1).atStartOfDay(LA).toInstant());
    }

    @Test
    void rangeWhenPartialDatesThenWholeMonthAndYear() {
        Period period = new Period();
        period.getStartElement().setValueAsString("2024-02");
        period.getEndElement().setValueAsString("2025");

        TimeRange range = FhirTime.range(period, LA);

        assertThat(range.start())
                .isEqualTo(LocalDate.of(2024, 2, 1).atStartOfDay(LA).toInstant());
        assertThat(range.end())
                .isEqualTo(LocalDate.of(2026, 1, 1).atStartOfDay(LA).toInstant());
    }

    @Test
    void rangeWhenDateTimeThenExactInstantsAndMissingPeriodIsAlways() {
        Period period = new Period();
        period.getStartElement().setValueAsString("2024-05-01T09:00:00-07:00");
        period.getEndElement().setValueAsString("2024-05-01T09:30:00-07:00");

        TimeRange range = FhirTime.range(period, LA);

        assertThat(range.start()).isEqualTo(Instant.parse("2024-05-01T16:00:00Z"));
        assertThat(range.contains(Instant.parse("2024-05-01T16:30:00Z"))).isTrue();
        assertThat(range.contains(Instant.parse("2024-05-01T16:30:01Z"))).isFalse();
        assertThat(FhirTime.range(null, LA)).isEqualTo(TimeRange.always());
        assertThat(FhirTime.range(new Period(), LA)).isEqualTo(TimeRange.always());
    }

    @Test
    void rangeWhenEndBeforeStartThenNever() {
        Period period = new Period();
        period.getStartElement().setValueAsString("2024-05-02");
        period.getEndElement().setValueAsString("2024-04-01");

        assertThat(FhirTime.range(period, LA)).isEqualTo(FhirTime.NEVER);
        assertThat(FhirTime.NEVER.contains(Instant.EPOCH)).isFalse();
    }

    @Test
    void fullDateWhenPartialBirthDateThenNone() {
        assertThat(FhirTime.fullDate(new DateType("2014-11-24"))).isEqualTo(LocalDate.of(2014, 11, 24));
        assertThat(FhirTime.fullDate(new DateType("2014-11"))).isNull();
        assertThat(FhirTime.fullDate(new DateType("2014"))).isNull();
        assertThat(FhirTime.fullDate(new DateType())).isNull();
    }

    @Test
    void guardianshipRoleWhenRelationshipCodesThenParentGuardianCourtAppointedOrNone() {
        String roleCode = AccessFactsResolver.ROLE_CODE_SYSTEM;
        CodeableConcept mother =
                new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(roleCode, "MTH", null));
        CodeableConcept guardian =
                new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(roleCode, "GUARD", null));
        CodeableConcept court = new CodeableConcept()
                .addCoding(new org.hl7.fhir.r4.model.Coding(
                        AccessFactsResolver.GUARDIANSHIP_BASIS_SYSTEM, "court-appointed", null));
        CodeableConcept sister =
                new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(roleCode, "SIS", null));

        assertThat(AccessFactsResolver.guardianshipRole(List.of(mother))).contains(Guardianship.Role.PARENT);
        assertThat(AccessFactsResolver.guardianshipRole(List.of(guardian))).contains(Guardianship.Role.LEGAL_GUARDIAN);
        assertThat(AccessFactsResolver.guardianshipRole(List.of(guardian, court, sister)))
                .contains(Guardianship.Role.COURT_APPOINTED_GUARDIAN);
        assertThat(AccessFactsResolver.guardianshipRole(List.of(sister))).isEmpty();
    }
}
