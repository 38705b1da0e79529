package org.caregate.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small value types: time ranges, decisions, localized text, lab statuses, ids. */
class ValuesTest {

    @Test
    void containsWhenStartInclusiveEndExclusiveThenOnlyInstantsInside() {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        Instant end = Instant.parse("2025-02-01T00:00:00Z");
        TimeRange range = TimeRange.between(start, end);
        assertThat(range.contains(start.minusSeconds(1))).isFalse();
        assertThat(range.contains(start)).isTrue();
        assertThat(range.contains(end.minusSeconds(1))).isTrue();
        assertThat(range.contains(end)).isFalse();
        assertThat(TimeRange.always().contains(end)).isTrue();
    }

    @Test
    void ofDatesWhenLastDayGivenThenWholeLastDayIncluded() {
        TimeRange range = TimeRange.ofDates(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31), People.LA);
        assertThat(range.contains(People.inLosAngeles("2025-01-31T23:59"))).isTrue();
        assertThat(range.contains(People.inLosAngeles("2025-02-01T00:00"))).isFalse();
        assertThat(range.contains(People.inLosAngeles("2024-12-31T23:59"))).isFalse();
    }

    @Test
    void timeRangeWhenEndBeforeStartThenRejected() {
        assertThatThrownBy(() ->
                        TimeRange.between(Instant.parse("2025-02-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"es, spanish", "es-MX, spanish", "en, english", "en-US, english", "fr, english"})
    void reasonWhenLocaleThenSpanishOnlyForSpanish(String languageTag, String expected) {
        Decision decision = Decision.deny("some-rule", LocalizedText.of("english", "spanish"));
        assertThat(decision.reason(Locale.forLanguageTag(languageTag))).isEqualTo(expected);
    }

    @Test
    void reasonWhenNoLocaleThenEnglish() {
        assertThat(LocalizedText.of("english", "spanish").in(null)).isEqualTo("english");
    }

    @Test
    void notApplicableWhenCreatedThenNamesRuleAndIsNeitherPermitNorDeny() {
        Decision decision = Decision.notApplicable("guardian");
        assertThat(decision.rule()).isEqualTo("guardian");
        assertThat(decision.isPermit()).isFalse();
        assertThat(decision.isDeny()).isFalse();
        assertThat(decision.reason(Locale.ENGLISH)).contains("guardian");
        assertThat(decision.reason(Locale.forLanguageTag("es"))).startsWith("La regla");
    }

    @Test
    void decisionWhenRuleBlankOrReasonBlankThenRejected() {
        assertThatThrownBy(() -> Decision.permit(" ", LocalizedText.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalizedText.of("a", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}: final={1}")
    @CsvSource({
        "final, true",
        "amended, true",
        "corrected, true",
        "appended, true",
        "FINAL, true",
        "registered, false",
        "partial, false",
        "preliminary, false",
        "cancelled, false",
        "entered-in-error, false",
        "unknown, false",
        "in-progress-something, false"
    })
    void labResultStatusWhenFhirCodeThenFinalOnlyForFinalAndLaterChanges(String code, boolean expected) {
        assertThat(LabResultStatus.fromCode(code).isFinal()).isEqualTo(expected);
    }

    @Test
    void idsWhenTypedReferenceInsteadOfLogicalIdThenRejected() {
        assertThatThrownBy(() -> PatientFacts.of("Patient/pat-family-4", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bare logical id");
        assertThat(PatientFacts.of("pat-family-4", null).id()).isEqualTo("pat-family-4");
    }

    @Test
    void candidatePatientIdsWhenPractitionerIsAlsoAPatientThenOwnRecordLeftOut() {
        PractitionerRequester practitioner = People.practitionerWith(
                        CareRelationship.of(
                                "pat-a", CareRelationship.Kind.CARE_TEAM, CareProvider.organization("org-x")),
                        CareRelationship.of(
                                "pat-self", CareRelationship.Kind.ENCOUNTER, CareProvider.organization("org-x")))
                .withOwnPatientIds("pat-self");
        assertThat(practitioner.candidatePatientIds()).containsExactly("pat-a");
        assertThat(People.guardianOf(People.child(3), People.child(9)).candidatePatientIds())
                .containsExactlyInAnyOrder("pat-aged-3", "pat-aged-9");
    }
}
