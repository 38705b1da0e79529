package org.caregate.consent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.caregate.consent.AccessPolicy;
import org.caregate.consent.AccessRequest;
import org.caregate.consent.BackendClientRequester;
import org.caregate.consent.CareProvider;
import org.caregate.consent.CareRelationship;
import org.caregate.consent.ConsentDirective;
import org.caregate.consent.DataCategory;
import org.caregate.consent.Decision;
import org.caregate.consent.GuardianRequester;
import org.caregate.consent.Guardianship;
import org.caregate.consent.LabResultStatus;
import org.caregate.consent.PatientFacts;
import org.caregate.consent.PatientRequester;
import org.caregate.consent.PractitionerRequester;
import org.caregate.consent.Requester;
import org.caregate.consent.SiteAdministratorRequester;
import org.caregate.consent.TimeRange;

/** Invariants of the product policy over generated requesters, patients, instants and zones. */
class PolicyPropertiesTest {

    private static final List<String> PATIENT_IDS = List.of("pat-a", "pat-b");
    private static final Set<String> PERMITTING_RULES =
            Set.of("self", "guardian", "care-relationship", "backend-client");
    private static final Instant FROM = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2101-01-01T00:00:00Z");

    @Property
    void noGuardianIsEverPermittedAPatientAgedTwelveToSeventeen(
            @ForAll("instants") Instant at,
            @ForAll("zones") ZoneId zone,
            @ForAll("daysOld") int daysOld,
            @ForAll("guardians") GuardianRequester guardian,
            @ForAll boolean incapacitated,
            @ForAll boolean deceased,
            @ForAll("dataCategories") DataCategory data,
            @ForAll("policies") AccessPolicy policy) {
        LocalDate today = LocalDate.ofInstant(at, zone);
        LocalDate birthDate = today.minusDays(daysOld);
        int age = Period.between(birthDate, today).getYears(); // an oracle independent of Age
        Assume.that(age >= 12 && age <= 17);
        PatientFacts patient = new PatientFacts("pat-a", birthDate, deceased, incapacitated, List.of());

        Decision decision = policy.decide(new AccessRequest(guardian, patient, data, at, zone));

        assertThat(decision.isPermit())
                .as("%s aged %d at %s in %s: %s", guardian, age, at, zone, decision)
                .isFalse();
    }

    @Property
    void everyDecisionNamesItsRuleAndEveryPermitComesFromAPermittingRule(
            @ForAll("requests") AccessRequest request, @ForAll("policies") AccessPolicy policy) {
        Decision decision = policy.decide(request);
        assertThat(decision).isNotNull();
        assertThat(decision.isNotApplicable())
                .as("the product policy always decides")
                .isFalse();
        assertThat(decision.rule()).isNotBlank();
        if (decision.isPermit()) {
            assertThat(decision.rule()).isIn(PERMITTING_RULES);
        }
    }

    @Property
    void everyDecisionHasAReasonInEnglishAndInSpanish(
            @ForAll("requests") AccessRequest request, @ForAll("policies") AccessPolicy policy) {
        Decision decision = policy.decide(request);
        String english = decision.reason(Locale.ENGLISH);
        String spanish = decision.reason(Locale.forLanguageTag("es"));
        assertThat(english).isNotBlank().endsWith(".");
        assertThat(spanish).isNotBlank().endsWith(".").isNotEqualTo(english);
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs()
                .between(FROM.getEpochSecond(), TO.getEpochSecond())
                .map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(
                        "America/Los_Angeles",
                        "UTC",
                        "America/Santiago",
                        "Pacific/Kiritimati",
                        "Pacific/Pago_Pago",
                        "Europe/Madrid")
                .map(ZoneId::of);
    }

    @Provide
    Arbitrary<Integer> daysOld() {
        return Arbitraries.integers().between(12 * 365 - 3, 18 * 366 + 3);
    }

    @Provide
    Arbitrary<AccessPolicy> policies() {
        return Combinators.combine(
                        Arbitraries.of(true, false), Arbitraries.integers().between(1, 24))
                .as((adolescents, months) ->
                        CareGatePolicy.standard(new CareGatePolicy.Options(adolescents, Period.ofMonths(months))));
    }

    @Provide
    Arbitrary<DataCategory> dataCategories() {
        return Arbitraries.oneOf(
                Arbitraries.just(DataCategory.ordinary()),
                Arbitraries.of(true, false).map(DataCategory::radiologyReport),
                Arbitraries.of(LabResultStatus.class).map(DataCategory::labResult));
    }

    @Provide
    Arbitrary<TimeRange> periods() {
        Arbitrary<Instant> bound = instants().injectNull(0.4);
        return Combinators.combine(bound, bound)
                .as((a, b) -> a == null || b == null || !b.isBefore(a) ? new TimeRange(a, b) : new TimeRange(b, a));
    }

    @Provide
    Arbitrary<GuardianRequester> guardians() {
        Arbitrary<Guardianship> guardianship = Combinators.combine(
                        Arbitraries.of(PATIENT_IDS), Arbitraries.of(Guardianship.Role.class), periods())
                .as(Guardianship::new);
        return guardianship.list().ofMinSize(1).ofMaxSize(3).map(GuardianRequester::new);
    }

    @Provide
    Arbitrary<AccessRequest> requests() {
        Arbitrary<CareProvider> providers = Arbitraries.of(
                CareProvider.practitioner("prac-1"), CareProvider.practitioner("prac-2"),
                CareProvider.organization("org-1"), CareProvider.organization("org-2"));
        Arbitrary<List<CareRelationship>> relationships = Combinators.combine(
                        Arbitraries.of(PATIENT_IDS), Arbitraries.of(CareRelationship.Kind.class), providers, periods())
                .as(CareRelationship::new)
                .list()
                .ofMaxSize(3);
        Arbitrary<Requester> practitioners = Combinators.combine(
                        Arbitraries.of("prac-1", "prac-2"),
                        Arbitraries.of("org-1", "org-2"),
                        Arbitraries.of(PractitionerRequester.StaffRole.class),
                        Arbitraries.of(PractitionerRequester.AccessStatus.class),
                        Arbitraries.subsetOf(PATIENT_IDS),
                        relationships)
                .as(PractitionerRequester::new);
        Arbitrary<Requester> requesters = Arbitraries.oneOf(
                Arbitraries.of(PATIENT_IDS).map(PatientRequester::new),
                guardians().map(Requester.class::cast),
                practitioners,
                Combinators.combine(Arbitraries.of("org-1", "org-2"), relationships)
                        .as((org, rels) -> new BackendClientRequester("client", org, rels)),
                Arbitraries.just(new SiteAdministratorRequester("admin")));
        Arbitrary<PatientFacts> patients = Combinators.combine(
                        Arbitraries.of(PATIENT_IDS),
                        Arbitraries.integers().between(0, 100 * 366).injectNull(0.1),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Combinators.combine(providers, periods())
                                .as(ConsentDirective::new)
                                .list()
                                .ofMaxSize(2))
                .as((id, daysBeforeTo, deceased, incapacitated, directives) -> new PatientFacts(
                        id,
                        daysBeforeTo == null ? null : LocalDate.of(2100, 1, 1).minusDays(daysBeforeTo),
                        deceased,
                        incapacitated,
                        directives));
        return Combinators.combine(requesters, patients, dataCategories(), instants(), zones())
                .as(AccessRequest::new);
    }
}
