package org.caregate.smart.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.caregate.smart.scope.Interaction.CREATE;
import static org.caregate.smart.scope.Interaction.DELETE;
import static org.caregate.smart.scope.Interaction.READ;
import static org.caregate.smart.scope.Interaction.SEARCH;
import static org.caregate.smart.scope.Interaction.UPDATE;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The SMART v1/v2 scope grammar: SMART App Launch 2.2, "Scopes and Launch Context". */
class SmartScopeParserTest {

    private static final String LAB = "http://terminology.hl7.org/CodeSystem/observation-category|laboratory";
    private static final String VITALS = "http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";
    private static final String SDOH = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category|sdoh";
    private static final String PROBLEM = "http://terminology.hl7.org/CodeSystem/condition-category|problem-list-item";
    private static final String HEALTH_CONCERN =
            "http://hl7.org/fhir/us/core/CodeSystem/condition-category|health-concern";

    // ---- v1 and v2 equivalents -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "patient/Observation.read,  patient/Observation.rs",
        "patient/Observation.write, patient/Observation.cud",
        "patient/Observation.*,     patient/Observation.cruds",
        "user/Patient.read,         user/Patient.rs",
        "system/Encounter.write,    system/Encounter.cud",
        "patient/*.read,            patient/*.rs",
        "user/*.*,                  user/*.cruds",
        "system/*.write,            system/*.cud",
    })
    void parseWhenV1ThenEquivalentToV2(String v1, String v2) {
        ResourceScope old = (ResourceScope) SmartScopeParser.parseScope(v1);
        ResourceScope now = (ResourceScope) SmartScopeParser.parseScope(v2);

        assertThat(old.v1()).isTrue();
        assertThat(now.v1()).isFalse();
        assertThat(old.sameAccessAs(now)).isTrue();
        assertThat(old.toV2()).isEqualTo(v2);
        assertThat(old.value()).isEqualTo(v1);
        assertThat(old).isNotEqualTo(now);
    }

    @Test
    void parseWhenV1ReadThenEquivalentToV2Rs() {
        SmartScopes v1 = SmartScopeParser.parse("patient/Observation.read");
        SmartScopes v2 = SmartScopeParser.parse("patient/Observation.rs");

        assertThat(v1.covers(v2)).isTrue();
        assertThat(v2.covers(v1)).isTrue();
        assertThat(v1.resourceScopes().get(0).interactions()).containsExactly(READ, SEARCH);
    }

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @MethodSource
    void parseWhenResourceScopeThenFields(
            String scope, ScopeContext context, String type, Set<Interaction> interactions) {
        ResourceScope parsed = (ResourceScope) SmartScopeParser.parseScope(scope);

        assertThat(parsed.context()).isEqualTo(context);
        assertThat(parsed.resourceType()).isEqualTo(type);
        assertThat(parsed.interactions()).containsExactlyElementsOf(interactions);
        assertThat(parsed.parameters()).isEmpty();
        assertThat(parsed.value()).isEqualTo(scope);
    }

    static Stream<Arguments> parseWhenResourceScopeThenFields() {
        return Stream.of(
                Arguments.of("patient/Observation.r", ScopeContext.PATIENT, "Observation", EnumSet.of(READ)),
                Arguments.of("patient/Observation.s", ScopeContext.PATIENT, "Observation", EnumSet.of(SEARCH)),
                Arguments.of("user/Condition.cu", ScopeContext.USER, "Condition", EnumSet.of(CREATE, UPDATE)),
                Arguments.of("user/Patient.rus", ScopeContext.USER, "Patient", EnumSet.of(READ, UPDATE, SEARCH)),
                Arguments.of("system/*.cruds", ScopeContext.SYSTEM, "*", EnumSet.allOf(Interaction.class)),
                Arguments.of("system/Group.d", ScopeContext.SYSTEM, "Group", EnumSet.of(DELETE)),
                Arguments.of(
                        "patient/MedicationRequest.rs",
                        ScopeContext.PATIENT,
                        "MedicationRequest",
                        EnumSet.of(READ, SEARCH)),
                Arguments.of("patient/List.rs", ScopeContext.PATIENT, "List", EnumSet.of(READ, SEARCH)));
    }

    @ParameterizedTest
    @CsvSource({
        "launch,           LaunchScope",
        "launch/patient,   LaunchScope",
        "launch/encounter, LaunchScope",
        "openid,           IdentityScope",
        "fhirUser,         IdentityScope",
        "profile,          IdentityScope",
        "offline_access,   AccessDurationScope",
        "online_access,    AccessDurationScope",
    })
    void parseScopeWhenNonResourceScopeThenItsKind(String scope, String kind) {
        SmartScope parsed = SmartScopeParser.parseScope(scope);

        assertThat(parsed.getClass().getSimpleName()).isEqualTo(kind);
        assertThat(parsed.value()).isEqualTo(scope);
    }

    @Test
    void parseWhenAppLaunchScopeStringThenEveryKindFound() {
        SmartScopes scopes = SmartScopeParser.parse(
                "  launch/patient openid fhirUser offline_access\tpatient/Observation.rs   patient/Patient.read ");

        assertThat(scopes.hasLaunchPatient()).isTrue();
        assertThat(scopes.hasLaunchEncounter()).isFalse();
        assertThat(scopes.hasLaunch()).isFalse();
        assertThat(scopes.hasOpenId()).isTrue();
        assertThat(scopes.hasFhirUser()).isTrue();
        assertThat(scopes.hasOfflineAccess()).isTrue();
        assertThat(scopes.hasOnlineAccess()).isFalse();
        assertThat(scopes.resourceScopes())
                .extracting(ResourceScope::value)
                .containsExactly("patient/Observation.rs", "patient/Patient.read");
        assertThat(scopes.toScopeString())
                .isEqualTo("launch/patient openid fhirUser offline_access patient/Observation.rs patient/Patient.read");
    }

    @Test
    void parseWhenDuplicatesThenKeptOnceInOriginalOrder() {
        SmartScopes scopes = SmartScopeParser.parse("openid patient/Patient.rs openid patient/Patient.rs launch");

        assertThat(scopes.size()).isEqualTo(3);
        assertThat(scopes.toScopeString()).isEqualTo("openid patient/Patient.rs launch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t \n"})
    void parseWhenBlankThenNoScopes(String blank) {
        assertThat(SmartScopeParser.parse(blank).isEmpty()).isTrue();
        assertThat(SmartScopeParser.parse((String) null).isEmpty()).isTrue();
    }

    @Test
    void parseWhenListWithBlanksThenBlanksSkipped() {
        SmartScopes scopes = SmartScopeParser.parse(List.of("openid", " ", "patient/Patient.rs"));

        assertThat(scopes.values()).containsExactly("openid", "patient/Patient.rs");
    }

    @Test
    void equalsWhenSameScopesInAnotherOrderThenEqual() {
        assertThat(SmartScopeParser.parse("openid patient/Patient.rs"))
                .isEqualTo(SmartScopeParser.parse("patient/Patient.rs openid"))
                .hasSameHashCodeAs(SmartScopeParser.parse("patient/Patient.rs openid"));
    }

    // ---- granular scopes ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void parseWhenGranularThenCategoriesAsSystemAndCode(String scope, List<String> categories) {
        ResourceScope parsed = (ResourceScope) SmartScopeParser.parseScope(scope);

        assertThat(parsed.v1()).isFalse();
        assertThat(parsed.isGranular()).isTrue();
        assertThat(parsed.parameters()).containsExactly(Map.entry("category", categories));
    }

    static Stream<Arguments> parseWhenGranularThenCategoriesAsSystemAndCode() {
        return Stream.of(
                Arguments.of("patient/Observation.rs?category=" + LAB, List.of(LAB)),
                Arguments.of("patient/Observation.rs?category=laboratory", List.of(LAB)),
                Arguments.of("patient/Observation.rs?category=vital-signs", List.of(VITALS)),
                Arguments.of("patient/Observation.rs?category=sdoh", List.of(SDOH)),
                Arguments.of("patient/Observation.rs?category=" + SDOH, List.of(SDOH)),
                Arguments.of("user/Observation.rs?category=laboratory," + VITALS, List.of(LAB, VITALS)),
                Arguments.of("patient/Observation.rs?category=laboratory,laboratory", List.of(LAB)),
                Arguments.of("patient/Condition.rs?category=" + PROBLEM, List.of(PROBLEM)),
                Arguments.of("patient/Condition.rs?category=health-concern", List.of(HEALTH_CONCERN)),
                Arguments.of(
                        "system/Condition.s?category=encounter-diagnosis",
                        List.of("http://terminology.hl7.org/CodeSystem/condition-category|encounter-diagnosis")));
    }

    @Test
    void toV2WhenGranularThenCanonicalParameters() {
        ResourceScope parsed =
                (ResourceScope) SmartScopeParser.parseScope("patient/Observation.rs?category=laboratory");

        assertThat(parsed.toV2()).isEqualTo("patient/Observation.rs?category=" + LAB);
        assertThat(parsed.value()).isEqualTo("patient/Observation.rs?category=laboratory");
    }

    // ---- invalid scopes, each with its reason ---------------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "patient/Observation.sr;          in the order c, r, u, d, s",
                "patient/Observation.rr;          at most once each",
                "patient/Observation.crx;         'x' is not a permission",
                "patient/Observation.READ;        'R' is not a permission",
                "patient/Observation.;            no permissions after '.'",
                "patient/Observation;             no permissions after the resource type",
                "patient/.rs;                     no resource type",
                "patient/;                        no resource type",
                "patient/Observations.rs;         'Observations' is not a FHIR R4 resource type",
                "patient/observation.rs;          did you mean Observation?",
                "patient/Foo.read;                'Foo' is not a FHIR R4 resource type",
                "patient/NutritionIntake.rs;      'NutritionIntake' is not a FHIR R4 resource type",
                "Patient/Observation.rs;          unknown context 'Patient/'",
                "practitioner/Observation.rs;     unknown context 'practitioner/'",
                "/Observation.rs;                 unknown context '/'",
                "launch/practitioner;             unknown launch context",
                "Launch;                          unknown scope",
                "openId;                          unknown scope",
                "fhiruser;                        unknown scope",
                "smart/orchestrate_launch;        unknown context 'smart/'",
                "read;                            unknown scope",
                "patient/Observation.read?category=laboratory; search parameters ('?') are a SMART v2 feature; write .rs",
                "patient/Observation.rs?;         nothing follows '?'",
                "patient/Observation.rs?code=http://loinc.org|1234-5; search parameter 'code' is not supported",
                "patient/Observation.rs?category; 'category' is not of the form name=value",
                "patient/Observation.rs?=laboratory; '=laboratory' is not of the form name=value",
                "patient/Observation.rs?category=; category has no value",
                "patient/Observation.rs?category=laboratory&category=vital-signs; given twice",
                "patient/Observation.rs?category=laboratory&; '' is not of the form name=value",
                "patient/Observation.rs?category=imaging-study; 'imaging-study' is not a supported Observation category",
                "patient/Observation.rs?category=http://example.org|laboratory; 'http://example.org|laboratory' is not a supported",
                "patient/Observation.rs?category=laboratory,; '' is not a supported Observation category",
                "patient/Condition.rs?category=laboratory; 'laboratory' is not a supported Condition category",
                "patient/Encounter.rs?category=laboratory; category is not supported on Encounter",
                "patient/*.rs?category=laboratory; the wildcard '*' cannot be narrowed",
            })
    void parseScopeWhenInvalidThenReasonGiven(String scope, String reason) {
        assertThatThrownBy(() -> SmartScopeParser.parseScope(scope))
                .isInstanceOfSatisfying(InvalidScopeException.class, e -> {
                    assertThat(e.scope()).isEqualTo(scope);
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.getMessage()).startsWith("invalid scope \"" + scope + "\": ");
                });
    }

    @Test
    void parseWhenOneScopeInvalidThenWholeStringRefusedNamingIt() {
        assertThatThrownBy(() -> SmartScopeParser.parse("openid patient/Observation.rs user/Foo.read launch"))
                .isInstanceOfSatisfying(
                        InvalidScopeException.class, e -> assertThat(e.scope()).isEqualTo("user/Foo.read"));
    }

    @Test
    void resourceTypesWhenCountedThenAllOfR4() {
        assertThat(R4ResourceTypes.all())
                .hasSize(146)
                .contains("Patient", "Observation", "List", "Group", "Binary", "Bundle", "VisionPrescription")
                .doesNotContain("Resource", "DomainResource", "NutritionIntake");
    }
}
