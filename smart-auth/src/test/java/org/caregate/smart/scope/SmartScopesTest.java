package org.caregate.smart.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.caregate.smart.scope.Interaction.CREATE;
import static org.caregate.smart.scope.Interaction.DELETE;
import static org.caregate.smart.scope.Interaction.READ;
import static org.caregate.smart.scope.Interaction.SEARCH;
import static org.caregate.smart.scope.Interaction.UPDATE;
import static org.caregate.smart.scope.ScopeContext.PATIENT;
import static org.caregate.smart.scope.ScopeContext.SYSTEM;
import static org.caregate.smart.scope.ScopeContext.USER;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a set of scopes permits, and whether one set covers another (refresh never widens). */
class SmartScopesTest {

    private static final String LAB = "http://terminology.hl7.org/CodeSystem/observation-category|laboratory";
    private static final String VITALS = "http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";

    @ParameterizedTest(name = "[{0}] permits {1} {2} {3}: {4}")
    @CsvSource({
        "patient/Observation.read,      PATIENT, Observation, READ,   true",
        "patient/Observation.read,      PATIENT, Observation, SEARCH, true",
        "patient/Observation.read,      PATIENT, Observation, CREATE, false",
        "patient/Observation.read,      PATIENT, Condition,   READ,   false",
        "patient/Observation.read,      USER,    Observation, READ,   false",
        "patient/Observation.write,     PATIENT, Observation, UPDATE, true",
        "patient/Observation.write,     PATIENT, Observation, READ,   false",
        "patient/Observation.r,         PATIENT, Observation, SEARCH, false",
        "patient/Observation.s,         PATIENT, Observation, READ,   false",
        "patient/*.rs,                  PATIENT, Condition,   SEARCH, true",
        "patient/*.rs,                  PATIENT, Patient,     READ,   true",
        "patient/*.rs,                  PATIENT, Patient,     DELETE, false",
        "patient/*.rs,                  SYSTEM,  Patient,     READ,   false",
        "user/*.*,                      USER,    Practitioner, DELETE, true",
        "system/*.s,                    SYSTEM,  Group,       SEARCH, true",
        "patient/Observation.rs?category=laboratory, PATIENT, Observation, SEARCH, true",
        "patient/Observation.rs?category=laboratory, PATIENT, Condition,   SEARCH, false",
        "openid fhirUser launch/patient, PATIENT, Patient,    READ,   false",
    })
    void permitsWhenScopesThenAnswer(
            String scopes, ScopeContext context, String type, Interaction interaction, boolean permitted) {
        assertThat(SmartScopeParser.parse(scopes).permits(context, type, interaction))
                .isEqualTo(permitted);
    }

    @Test
    void permitsWhenNoScopesThenNothing() {
        assertThat(SmartScopes.empty().permits(PATIENT, "Patient", READ)).isFalse();
    }

    // ---- granular filters -----------------------------------------------------------------------------------

    @Test
    void granularFiltersWhenOnlyGranularScopesThenOneFilterEach() {
        SmartScopes scopes = SmartScopeParser.parse(
                "patient/Observation.rs?category=laboratory patient/Observation.rs?category=vital-signs");

        List<GranularFilter> filters = scopes.granularFilters(PATIENT, "Observation", SEARCH);

        assertThat(filters)
                .extracting(GranularFilter::parameters)
                .containsExactly(Map.of("category", List.of(LAB)), Map.of("category", List.of(VITALS)));
        assertThat(filters)
                .extracting(f -> f.scope().value())
                .containsExactly(
                        "patient/Observation.rs?category=laboratory", "patient/Observation.rs?category=vital-signs");
    }

    @ParameterizedTest
    @CsvSource({
        "patient/Observation.rs?category=laboratory patient/Observation.rs",
        "patient/Observation.rs?category=laboratory patient/*.read",
        "patient/Observation.rs",
    })
    void granularFiltersWhenAnUngranularScopePermitsThenUnrestricted(String scopes) {
        assertThat(SmartScopeParser.parse(scopes).granularFilters(PATIENT, "Observation", READ))
                .isEmpty();
    }

    @Test
    void granularFiltersWhenUngranularScopeDoesNotPermitInteractionThenStillFiltered() {
        SmartScopes scopes = SmartScopeParser.parse("patient/Observation.rs?category=laboratory patient/Observation.c");

        assertThat(scopes.granularFilters(PATIENT, "Observation", READ)).hasSize(1);
        assertThat(scopes.granularFilters(PATIENT, "Observation", CREATE)).isEmpty();
    }

    @Test
    void granularFiltersWhenNothingPermitsThenRefusesToAnswer() {
        SmartScopes scopes = SmartScopeParser.parse("patient/Observation.rs?category=laboratory");

        assertThatThrownBy(() -> scopes.granularFilters(PATIENT, "Condition", READ))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                LAB + ";                         true",
                LAB + "," + VITALS + ";          true",
                VITALS + ";                      false",
                "http://example.org|laboratory; false",
                "laboratory;                     false",
                ";                               false",
            })
    void matchesWhenResourceCategoriesThenAnswer(String resourceCategories, boolean matches) {
        GranularFilter filter = SmartScopeParser.parse("patient/Observation.rs?category=laboratory")
                .granularFilters(PATIENT, "Observation", READ)
                .get(0);
        List<String> categories = resourceCategories == null ? List.of() : List.of(resourceCategories.split(","));

        assertThat(filter.matches(Map.of("category", categories))).isEqualTo(matches);
    }

    @Test
    void matchesWhenResourceHasNoValuesForParameterThenNoMatch() {
        GranularFilter filter = SmartScopeParser.parse("patient/Observation.rs?category=laboratory")
                .granularFilters(PATIENT, "Observation", READ)
                .get(0);

        assertThat(filter.matches(Map.of())).isFalse();
    }

    // ---- covers ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "[{0}] covers [{1}]: {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                // same, subsets, v1/v2 spellings
                "patient/Observation.rs;                 patient/Observation.rs;   true",
                "patient/Observation.read;               patient/Observation.rs;   true",
                "patient/Observation.rs;                 patient/Observation.read; true",
                "patient/Observation.rs;                 patient/Observation.r;    true",
                "patient/Observation.r;                  patient/Observation.rs;   false",
                "patient/Observation.r patient/Observation.s; patient/Observation.rs; true",
                "patient/Observation.*;                  patient/Observation.write; true",
                "patient/Observation.write;              patient/Observation.*;    false",
                "patient/Observation.rs;                 ;                         true",
                // context and type
                "patient/Observation.rs;                 user/Observation.rs;      false",
                "user/Observation.rs;                    patient/Observation.rs;   false",
                "patient/Observation.rs;                 patient/Condition.rs;     false",
                "patient/*.rs;                           patient/Condition.rs;     true",
                "patient/*.read;                         patient/*.rs;             true",
                "patient/Observation.rs;                 patient/*.rs;             false",
                "patient/Observation.rs patient/Condition.rs; patient/*.rs;        false",
                // granular
                "patient/Observation.rs;                 patient/Observation.rs?category=laboratory; true",
                "patient/*.rs;                           patient/Observation.rs?category=laboratory; true",
                "patient/Observation.rs?category=laboratory; patient/Observation.rs;                  false",
                "patient/Observation.rs?category=laboratory; patient/Observation.r?category=" + LAB + "; true",
                "patient/Observation.rs?category=laboratory; patient/Observation.rs?category=vital-signs; false",
                "patient/Observation.rs?category=laboratory,vital-signs; patient/Observation.rs?category=vital-signs; true",
                "patient/Observation.rs?category=laboratory; patient/Observation.rs?category=laboratory,vital-signs; false",
                // non-resource scopes must be there verbatim
                "openid fhirUser launch/patient offline_access patient/*.rs; openid fhirUser patient/Patient.rs; true",
                "openid patient/*.rs;                    offline_access;           false",
                "launch/patient patient/*.rs;            launch;                   false",
                "online_access;                          offline_access;           false",
                "profile;                                fhirUser;                 false",
            })
    void coversWhenGrantedAndRequestedThenAnswer(String granted, String requested, boolean covers) {
        assertThat(SmartScopeParser.parse(granted).covers(SmartScopeParser.parse(requested)))
                .isEqualTo(covers);
    }

    @Test
    void resourceScopeCoversWhenSingleScopeThenComparesContextTypeInteractionsAndParameters() {
        ResourceScope broad = (ResourceScope) SmartScopeParser.parseScope("user/*.cruds");
        ResourceScope narrow = (ResourceScope) SmartScopeParser.parseScope("user/Observation.rs?category=laboratory");

        assertThat(broad.covers(narrow)).isTrue();
        assertThat(narrow.covers(broad)).isFalse();
    }

    @Test
    void resourceScopeWhenBuiltDirectlyThenDefensiveCopies() {
        ResourceScope scope =
                new ResourceScope(SYSTEM, "Patient", Set.of(SEARCH, READ), Map.of(), false, "system/Patient.rs");

        assertThat(scope.interactions()).containsExactly(READ, SEARCH);
        assertThatThrownBy(() -> scope.interactions().add(DELETE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new ResourceScope(USER, "Patient", Set.of(), Map.of(), false, "user/Patient."))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(scope.permits(SYSTEM, "Patient", UPDATE)).isFalse();
    }
}
