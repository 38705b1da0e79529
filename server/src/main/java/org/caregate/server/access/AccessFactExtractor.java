package org.caregate.server.access;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.caregate.consent.Guardianship;
import org.caregate.consent.TimeRange;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * Reads the {@link AccessFact}s out of one FHIR resource: what the consent rules need and nothing else. The types
 * that carry facts are {@link #INDEXED_TYPES}; any other resource has none.
 *
 * <p>How the data is read (the conventions of CareGate's data, see docs/DESIGN.md "Access facts"):
 * <ul>
 * <li>a user's resources carry the identifier {@value AccessFactsResolver#USER_SYSTEM}{@code |<username>};</li>
 * <li>a guardianship is a RelatedPerson with a parent, guardian or court-appointed relationship
 * ({@link AccessFactsResolver#guardianshipRole}); {@code active=false} means never;</li>
 * <li>a CareTeam counts while {@code active}, by the intersection of its period and the participant's;</li>
 * <li>a referral counts while the ServiceRequest is {@code active} or {@code on-hold}, from {@code authoredOn};</li>
 * <li>an encounter counts by its period unless cancelled or entered in error (the window is the rule's);</li>
 * <li>a Consent refuses while {@code active} with a {@code deny} provision, for each actor, over its period.</li>
 * </ul>
 * Periods are turned into instants in the facility zone (a date-only end includes its whole day).
 */
final class AccessFactExtractor {

    /** The resource types whose writes can change an access decision. */
    static final Set<String> INDEXED_TYPES = Set.of(
            "Patient",
            "RelatedPerson",
            "Practitioner",
            "PractitionerRole",
            "CareTeam",
            "ServiceRequest",
            "Encounter",
            "Consent");

    private static final Set<String> REFERRAL_STATUSES = Set.of("active", "on-hold");
    private static final Set<String> IGNORED_ENCOUNTER_STATUSES = Set.of("cancelled", "entered-in-error");

    private final ZoneId zone;

    AccessFactExtractor(ZoneId zone) {
        this.zone = zone;
    }

    /** The facts of this resource (its id must be set), empty for a type that carries none. */
    List<AccessFact> factsOf(IBaseResource resource) {
        String source = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        Facts facts = new Facts(source);
        if (resource instanceof Patient patient) {
            patient(patient, facts);
        } else if (resource instanceof RelatedPerson relatedPerson) {
            relatedPerson(relatedPerson, facts);
        } else if (resource instanceof Practitioner practitioner) {
            users(practitioner.getIdentifier(), null, facts);
        } else if (resource instanceof PractitionerRole role) {
            role(role, facts);
        } else if (resource instanceof CareTeam team) {
            careTeam(team, facts);
        } else if (resource instanceof ServiceRequest referral) {
            referral(referral, facts);
        } else if (resource instanceof Encounter encounter) {
            encounter(encounter, facts);
        } else if (resource instanceof Consent consent) {
            consent(consent, facts);
        }
        return facts.list;
    }

    private void patient(Patient patient, Facts facts) {
        String id = patient.getIdElement().getIdPart();
        facts.add(
                AccessFact.Kind.PATIENT,
                id,
                null,
                null,
                TimeRange.always(),
                new PatientDetail(
                                FhirTime.fullDate(patient.getBirthDateElement()),
                                isDeceased(patient),
                                AccessFactsResolver.displayName(patient))
                        .encode());
        for (Extension extension : patient.getExtensionsByUrl(AccessFactsResolver.LEGAL_INCAPACITY_URL)) {
            if (extension.getValue() instanceof Period period) {
                facts.add(AccessFact.Kind.INCAPACITY, id, null, null, FhirTime.range(period, zone), null);
            }
        }
        for (Reference gp : patient.getGeneralPractitioner()) {
            provider(gp)
                    .ifPresent(party ->
                            facts.add(AccessFact.Kind.GENERAL_PRACTITIONER, id, party, null, TimeRange.always(), null));
        }
        users(patient.getIdentifier(), id, facts);
    }

    private void relatedPerson(RelatedPerson relatedPerson, Facts facts) {
        users(relatedPerson.getIdentifier(), null, facts);
        String patientId = idOf(relatedPerson.getPatient(), "Patient");
        Optional<Guardianship.Role> role = AccessFactsResolver.guardianshipRole(relatedPerson.getRelationship());
        if (patientId == null || role.isEmpty()) {
            return;
        }
        TimeRange period = relatedPerson.hasActive() && !relatedPerson.getActive()
                ? FhirTime.NEVER
                : FhirTime.range(relatedPerson.getPeriod(), zone);
        facts.add(
                AccessFact.Kind.GUARDIANSHIP,
                patientId,
                null,
                null,
                period,
                role.get().name());
    }

    private static void users(List<Identifier> identifiers, String patientId, Facts facts) {
        for (Identifier identifier : identifiers) {
            if (AccessFactsResolver.USER_SYSTEM.equals(identifier.getSystem()) && identifier.hasValue()) {
                facts.add(
                        AccessFact.Kind.USER,
                        patientId,
                        "user:" + identifier.getValue(),
                        null,
                        TimeRange.always(),
                        null);
            }
        }
    }

    private void role(PractitionerRole role, Facts facts) {
        String organization = idOf(role.getOrganization(), "Organization");
        if (organization == null) {
            return;
        }
        String practitioner = idOf(role.getPractitioner(), "Practitioner");
        boolean officeStaff = role.getCode().stream()
                .anyMatch(c -> c.hasCoding(AccessFactsResolver.CAREGATE_ROLE_SYSTEM, "office-staff"));
        boolean active = !role.hasActive() || role.getActive();
        facts.add(
                AccessFact.Kind.ROLE,
                null,
                practitioner == null ? null : "Practitioner/" + practitioner,
                "Organization/" + organization,
                FhirTime.range(role.getPeriod(), zone),
                (active ? "active" : "inactive") + (officeStaff ? ",office-staff" : ""));
    }

    private void careTeam(CareTeam team, Facts facts) {
        String patientId = idOf(team.getSubject(), "Patient");
        if (patientId == null || team.getStatus() != CareTeam.CareTeamStatus.ACTIVE) {
            return;
        }
        TimeRange teamPeriod = FhirTime.range(team.getPeriod(), zone);
        for (CareTeam.CareTeamParticipantComponent participant : team.getParticipant()) {
            TimeRange period = FhirTime.intersection(teamPeriod, FhirTime.range(participant.getPeriod(), zone));
            provider(participant.getMember())
                    .ifPresent(party -> facts.add(AccessFact.Kind.CARE_TEAM, patientId, party, null, period, null));
        }
    }

    private void referral(ServiceRequest referral, Facts facts) {
        String patientId = idOf(referral.getSubject(), "Patient");
        if (patientId == null
                || !referral.hasStatus()
                || !REFERRAL_STATUSES.contains(referral.getStatus().toCode())) {
            return;
        }
        TimeRange period = referral.hasAuthoredOn()
                ? TimeRange.from(referral.getAuthoredOn().toInstant())
                : TimeRange.always();
        provider(referral.getRequester())
                .ifPresent(party -> facts.add(AccessFact.Kind.REFERRAL_SENT, patientId, party, null, period, null));
        for (Reference performer : referral.getPerformer()) {
            provider(performer)
                    .ifPresent(party ->
                            facts.add(AccessFact.Kind.REFERRAL_RECEIVED, patientId, party, null, period, null));
        }
    }

    private void encounter(Encounter encounter, Facts facts) {
        String patientId = idOf(encounter.getSubject(), "Patient");
        if (patientId == null
                || (encounter.hasStatus()
                        && IGNORED_ENCOUNTER_STATUSES.contains(
                                encounter.getStatus().toCode()))) {
            return;
        }
        TimeRange period = FhirTime.range(encounter.getPeriod(), zone);
        provider(encounter.getServiceProvider())
                .ifPresent(party -> facts.add(AccessFact.Kind.ENCOUNTER, patientId, party, null, period, null));
        for (Encounter.EncounterParticipantComponent participant : encounter.getParticipant()) {
            provider(participant.getIndividual())
                    .ifPresent(party -> facts.add(AccessFact.Kind.ENCOUNTER, patientId, party, null, period, null));
        }
    }

    private void consent(Consent consent, Facts facts) {
        String patientId = idOf(consent.getPatient(), "Patient");
        Consent.ProvisionComponent provision = consent.getProvision();
        if (patientId == null
                || consent.getStatus() != Consent.ConsentState.ACTIVE
                || provision.getType() != Consent.ConsentProvisionType.DENY) {
            return;
        }
        TimeRange period = FhirTime.range(provision.getPeriod(), zone);
        for (Consent.provisionActorComponent actor : provision.getActor()) {
            provider(actor.getReference())
                    .filter(party -> !party.startsWith("PractitionerRole/"))
                    .ifPresent(
                            party -> facts.add(AccessFact.Kind.CONSENT_REFUSAL, patientId, party, null, period, null));
        }
    }

    private static boolean isDeceased(Patient patient) {
        if (!patient.hasDeceased()) {
            return false;
        }
        return patient.getDeceased() instanceof BooleanType flag
                ? flag.booleanValue()
                : patient.getDeceased() instanceof DateTimeType;
    }

    /** {@code Type/id} of a reference to a Practitioner, PractitionerRole or Organization, else empty. */
    private static Optional<String> provider(Reference reference) {
        if (reference == null || !reference.hasReference()) {
            return Optional.empty();
        }
        String type = reference.getReferenceElement().getResourceType();
        String id = reference.getReferenceElement().getIdPart();
        if (id == null
                || !("Practitioner".equals(type) || "PractitionerRole".equals(type) || "Organization".equals(type))) {
            return Optional.empty();
        }
        return Optional.of(type + "/" + id);
    }

    /** The bare id of a reference to {@code type}, or {@code null}. */
    static String idOf(Reference reference, String type) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        return type.equals(reference.getReferenceElement().getResourceType())
                ? reference.getReferenceElement().getIdPart()
                : null;
    }

    private static final class Facts {
        private final String source;
        private final List<AccessFact> list = new ArrayList<>();

        Facts(String source) {
            this.source = source;
        }

        void add(
                AccessFact.Kind kind, String patientId, String party, String context, TimeRange period, String detail) {
            list.add(new AccessFact(source, kind, patientId, party, context, period.start(), period.end(), detail));
        }
    }
}
