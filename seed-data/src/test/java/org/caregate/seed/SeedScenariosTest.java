package org.caregate.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Person;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The situations the README promises are in the data, for any loading day. The care-relationship computation here is a
 * deliberately plain reading of the access policy ("general practitioner, active CareTeam, referral sent or received,
 * Encounter in the last 12 months"), done per practitioner, to check the dataset, not to implement the policy.
 */
class SeedScenariosTest {

    private static final ZoneId ZONE = SeedDataset.DEFAULT_FACILITY_ZONE;

    @ParameterizedTest(name = "loaded on {0}")
    @ValueSource(strings = {"2026-11-21", "2028-02-29", "2026-12-31"})
    void careRelationshipsWhenLoadedThenEachPractitionerHasTheDocumentedPatients(LocalDate day) {
        PreparedSeed seed = PreparedSeed.on(day);
        assertThat(related(seed, "Practitioner/prac-north-gp", day))
                .containsExactlyInAnyOrder(
                        "pat-adult-bob",
                        "pat-adult-carol",
                        "pat-adult-alice",
                        "pat-family-11",
                        "pat-family-13",
                        "pat-family-17",
                        "pat-family-4",
                        "pat-incapacitated",
                        "pat-parent-garcia");
        assertThat(related(seed, "Practitioner/prac-south-gp", day))
                .containsExactlyInAnyOrder("pat-adult-erin", "pat-adult-frank");
        assertThat(related(seed, "Organization/org-clinic-south", day))
                .containsExactlyInAnyOrder("pat-adult-erin", "pat-adult-frank", "pat-dr-south");
        assertThat(related(seed, "Practitioner/prac-hosp-internal", day))
                .containsExactlyInAnyOrder("pat-adult-bob", "pat-incapacitated");
        assertThat(related(seed, "Practitioner/prac-hosp-radiology", day))
                .containsExactlyInAnyOrder("pat-adult-frank", "pat-incapacitated");
        assertThat(related(seed, "Organization/org-hospital", day))
                .containsExactlyInAnyOrder("pat-adult-bob", "pat-adult-frank", "pat-incapacitated");
        // the terminated practitioner still appears on a recent encounter: access must come from the role's status
        assertThat(related(seed, "Practitioner/prac-south-former", day)).containsExactlyInAnyOrder("pat-dr-south");

        // the relationships that are NOT current are there too
        assertThat(encountersOlderThan12Months(seed, day))
                .containsExactlyInAnyOrder(
                        "enc-bob-visit", "enc-carol-cardiology", "enc-dan-bronchitis", "enc-jordan-wellvisit");
    }

    @ParameterizedTest(name = "loaded on {0}")
    @ValueSource(strings = {"2026-11-21", "2028-02-29"})
    void guardianshipsWhenLoadedThenCourtGuardianIsActiveAndFormerHasEnded(LocalDate day) {
        PreparedSeed seed = PreparedSeed.on(day);
        Patient kevin = seed.get(Patient.class, "pat-incapacitated");
        Extension incapacity =
                kevin.getExtensionByUrl("https://fhir.caregate.example/StructureDefinition/legal-incapacity");
        assertThat(incapacity).isNotNull();
        assertThat(isActive(((Period) incapacity.getValue()), day)).isTrue();

        RelatedPerson court = seed.get(RelatedPerson.class, "rp-guardian-court");
        assertThat(court.getActive()).isTrue();
        assertThat(isActive(court.getPeriod(), day)).isTrue();
        assertThat(court.getRelationship())
                .anySatisfy(c -> assertThat(c.hasCoding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "GUARD"))
                        .isTrue());
        assertThat(court.getRelationship())
                .anySatisfy(c -> assertThat(c.hasCoding(
                                "https://fhir.caregate.example/CodeSystem/guardianship-basis", "court-appointed"))
                        .isTrue());

        RelatedPerson former = seed.get(RelatedPerson.class, "rp-guardian-former");
        assertThat(former.getActive()).isFalse();
        assertThat(former.getPeriod().getEnd()).isBefore(startOf(day));

        PractitionerRole terminated = seed.get(PractitionerRole.class, "role-south-former");
        assertThat(terminated.getActive()).isFalse();
        assertThat(terminated.getPeriod().getEnd()).isBefore(startOf(day));
        assertThat(seed.resources(PractitionerRole.class).filter(PractitionerRole::getActive))
                .hasSize(6);
    }

    @ParameterizedTest(name = "loaded on {0}")
    @ValueSource(strings = {"2026-11-21"})
    void clinicalDataWhenLoadedThenTheEdgeCasesThePolicyNeedsArePresent(LocalDate day) {
        PreparedSeed seed = PreparedSeed.on(day);

        Consent consent = seed.get(Consent.class, "consent-carol-no-north");
        assertThat(consent.getStatus()).isEqualTo(Consent.ConsentState.ACTIVE);
        assertThat(consent.getScope()
                        .hasCoding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"))
                .isTrue();
        assertThat(consent.getCategoryFirstRep().hasCoding("http://loinc.org", "59284-0"))
                .isTrue();
        assertThat(consent.getProvision().getType()).isEqualTo(Consent.ConsentProvisionType.DENY);
        assertThat(consent.getProvision().getActor())
                .extracting(a -> a.getReference().getReference())
                .containsExactlyInAnyOrder("Organization/org-clinic-north", "Practitioner/prac-north-gp");
        assertThat(seed.get(Patient.class, "pat-adult-carol")
                        .getGeneralPractitionerFirstRep()
                        .getReference())
                .isEqualTo("Practitioner/prac-north-gp");

        assertThat(seed.resources(DiagnosticReport.class)
                        .filter(r -> category(r).equals("RAD"))
                        .collect(Collectors.groupingBy(r -> r.getStatus().toCode(), Collectors.counting())))
                .containsEntry("preliminary", 1L)
                .containsEntry("final", 2L);
        assertThat(seed.get(DiagnosticReport.class, "dr-frank-cxr-prelim").getStatus())
                .isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        assertThat(seed.resources(Observation.class)
                        .filter(o -> o.getCategoryFirstRep()
                                .hasCoding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory"))
                        .filter(o -> o.getStatus() == Observation.ObservationStatus.PRELIMINARY))
                .extracting(o -> o.getIdElement().getIdPart())
                .containsExactly("obs-alice-hgb-followup");

        Set<String> loincCodes = seed.resources(Observation.class)
                .flatMap(o -> o.getCode().getCoding().stream())
                .map(c -> c.getCode())
                .collect(Collectors.toSet());
        assertThat(loincCodes).contains("8867-4", "85354-9", "29463-7", "8302-2", "72166-2", "4548-4");
        assertThat(seed.resources(Observation.class).filter(o -> o.getCode().hasCoding("http://loinc.org", "85354-9")))
                .allSatisfy(bp -> assertThat(bp.getComponent()).hasSize(2));

        assertThat(seed.resources(MedicationRequest.class).filter(MedicationRequest::hasMedicationReference))
                .hasSizeGreaterThanOrEqualTo(5);
        assertThat(seed.resources(MedicationRequest.class)
                        .map(m -> m.getStatus().toCode())
                        .distinct())
                .contains("active", "completed");
        assertThat(seed.resources(ClaimResponse.class)
                        .map(r -> r.getOutcome().toCode())
                        .distinct())
                .contains("complete", "partial", "queued", "error");

        ServiceRequest referral = seed.get(ServiceRequest.class, "sr-bob-cardiology");
        assertThat(referral.getCategoryFirstRep().hasCoding("http://snomed.info/sct", "3457005"))
                .isTrue();
        assertThat(referral.getIntent()).isEqualTo(ServiceRequest.ServiceRequestIntent.ORDER);

        assertThat(seed.get(Person.class, "person-nadia-haddad").getLink())
                .extracting(l -> l.getTarget().getReference())
                .containsExactlyInAnyOrder("Practitioner/prac-south-gp", "Patient/pat-dr-south");
    }

    /** Patients with a current care relationship with {@code who} (a Practitioner or an Organization reference). */
    private static Set<String> related(PreparedSeed seed, String who, LocalDate day) {
        Date yearAgo = startOf(day.minusMonths(12));
        Set<String> patients = new TreeSet<>();
        seed.resources(Patient.class)
                .filter(p -> p.getGeneralPractitioner().stream().anyMatch(r -> who.equals(r.getReference())))
                .forEach(p -> patients.add(p.getIdElement().getIdPart()));
        seed.resources(CareTeam.class)
                .filter(t -> t.getStatus() == CareTeam.CareTeamStatus.ACTIVE)
                .filter(t -> t.getParticipant().stream()
                        .anyMatch(m -> who.equals(m.getMember().getReference()) && isActive(m.getPeriod(), day)))
                .forEach(t -> patients.add(id(t.getSubject())));
        seed.resources(ServiceRequest.class)
                .filter(s -> who.equals(s.getRequester().getReference())
                        || s.getPerformer().stream().anyMatch(r -> who.equals(r.getReference())))
                .forEach(s -> patients.add(id(s.getSubject())));
        seed.resources(Encounter.class)
                .filter(e -> !e.getPeriod().getStart().before(yearAgo))
                .filter(e -> who.equals(e.getServiceProvider().getReference())
                        || e.getParticipant().stream()
                                .anyMatch(p -> who.equals(p.getIndividual().getReference())))
                .forEach(e -> patients.add(id(e.getSubject())));
        return patients;
    }

    private static Set<String> encountersOlderThan12Months(PreparedSeed seed, LocalDate day) {
        Date yearAgo = startOf(day.minusMonths(12));
        return seed.resources(Encounter.class)
                .filter(e -> e.getPeriod().getStart().before(yearAgo))
                .map(e -> e.getIdElement().getIdPart())
                .collect(Collectors.toSet());
    }

    private static boolean isActive(Period period, LocalDate day) {
        Date now = startOf(day);
        return (!period.hasStart() || !period.getStart().after(now))
                && (!period.hasEnd() || !period.getEnd().before(now));
    }

    private static String category(DiagnosticReport report) {
        return report.getCategoryFirstRep().getCodingFirstRep().getCode();
    }

    private static String id(Reference reference) {
        return reference.getReferenceElement().getIdPart();
    }

    private static Date startOf(LocalDate day) {
        return Date.from(day.atStartOfDay(ZONE).toInstant());
    }
}
