package org.caregate.server.access;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.caregate.consent.BackendClientRequester;
import org.caregate.consent.CareProvider;
import org.caregate.consent.CareRelationship;
import org.caregate.consent.ConsentDirective;
import org.caregate.consent.GuardianRequester;
import org.caregate.consent.Guardianship;
import org.caregate.consent.PatientFacts;
import org.caregate.consent.PatientRequester;
import org.caregate.consent.PractitionerRequester;
import org.caregate.consent.PractitionerRequester.AccessStatus;
import org.caregate.consent.PractitionerRequester.StaffRole;
import org.caregate.consent.Requester;
import org.caregate.consent.SiteAdministratorRequester;
import org.caregate.consent.TimeRange;
import org.caregate.consent.rules.CareRelationshipRule;
import org.caregate.server.config.CareGateProperties;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserStatus;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

/**
 * Turns FHIR data into consent-rules facts: who a user is as a {@link Requester} (own record, guardianships, care
 * relationships) and what the rules need to know about a patient ({@link PatientFacts}).
 *
 * <p>Reads HAPI's data below its security interceptors, through HAPI's index tables ({@link ResourceLinkIndex}):
 * one SQL query there costs a fraction of a HAPI search, which spends several CPU-milliseconds on the JVM side (a
 * practitioner took 9 searches, ~65 ms on the seed data; now 3 queries). Every call costs a fixed number of queries
 * whatever the number of patients (see each method). Nothing is cached here: the
 * caller holds the result for the length of one request, so a change in the data counts from the next request on.
 *
 * <p>How facts are read from the data:
 * <ul>
 * <li>a user's resources carry the identifier {@value #USER_SYSTEM}{@code |<username>};</li>
 * <li>a guardianship is a {@code RelatedPerson} with such an identifier and a parent ({@code v3-RoleCode} MTH, FTH,
 * PRN, ...), guardian (GUARD) or court-appointed ({@value #GUARDIANSHIP_BASIS_SYSTEM}{@code #court-appointed})
 * relationship; other relationships (sister, emergency contact) give none; {@code active=false} means never;</li>
 * <li>care relationships of an organization are those naming the Organization itself, one of its PractitionerRoles,
 * or a Practitioner who holds an active role in it now;</li>
 * <li>a referral counts while the ServiceRequest is {@code active} or {@code on-hold}, from {@code authoredOn};</li>
 * <li>an encounter counts by its period (not cancelled or entered in error); the window is the rule's.</li>
 * </ul>
 */
@Component
public class AccessFactsResolver {

    /** The identifier system of a CareGate username on Patient, RelatedPerson and Practitioner. */
    public static final String USER_SYSTEM = "https://fhir.caregate.example/sid/user";
    /** The extension on Patient recording a declared legal incapacity ({@code valuePeriod}). */
    public static final String LEGAL_INCAPACITY_URL =
            "https://fhir.caregate.example/StructureDefinition/legal-incapacity";
    static final String GUARDIANSHIP_BASIS_SYSTEM = "https://fhir.caregate.example/CodeSystem/guardianship-basis";
    static final String CAREGATE_ROLE_SYSTEM = "https://fhir.caregate.example/CodeSystem/practitioner-role";
    static final String ROLE_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
    /** v3-RoleCode codes of a parent (natural, adoptive, step, foster). */
    static final Set<String> PARENT_CODES = Set.of("PRN", "MTH", "FTH", "NPRN", "NMTH", "NFTH", "ADOPTP", "ADOPTM",
            "ADOPTF", "STPPRN", "STPMTH", "STPFTH", "FTHFOST", "MTHFOST", "PRNFOST", "GESTM");
    static final String ACCOUNT_ROLE_SITE_ADMIN = "site-admin";
    static final String ACCOUNT_ROLE_OFFICE_STAFF = "office-staff";
    static final String ACCOUNT_ROLE_CLINICIAN = "clinician";

    private static final Set<String> REFERRAL_STATUSES = Set.of("active", "on-hold");
    private static final Set<String> IGNORED_ENCOUNTER_STATUSES = Set.of("cancelled", "entered-in-error");

    /** HAPI search-parameter paths of the references that make a care relationship. */
    static final List<String> CARE_RELATIONSHIP_PATHS = List.of("Patient.generalPractitioner",
            "CareTeam.participant.member", "ServiceRequest.requester", "ServiceRequest.performer",
            "Encounter.participant.individual", "Encounter.serviceProvider");
    static final List<String> PRACTITIONER_ROLE_PATHS = List.of("PractitionerRole.organization",
            "PractitionerRole.practitioner");

    private final ResourceLinkIndex index;
    private final ZoneId zone;
    private final Clock clock;
    /** Must not be shorter than the policy's window (it only pre-filters encounters). */
    private final java.time.Period encounterWindow = CareRelationshipRule.DEFAULT_ENCOUNTER_WINDOW;

    AccessFactsResolver(ResourceLinkIndex index, CareGateProperties properties, Clock clock) {
        this.index = index;
        this.zone = properties.facilityZone();
        this.clock = clock;
    }

    /** {@link #requesterFor(UserAccount, Instant)} now. */
    public RequesterRoles requesterFor(UserAccount user) {
        return requesterFor(user, clock.instant());
    }

    /**
     * The user as consent-rules requesters, with the facts as they are at {@code at} (which roles are active, which
     * encounters can still count).
     * <ul>
     * <li>Patient: their own record; plus, if RelatedPersons carry their username, a guardian role (1 query).</li>
     * <li>RelatedPerson: a guardian with every guardianship of their username (1 query, 2 if the fhirUser
     * resource itself lacks the identifier).</li>
     * <li>Practitioner or office staff: organization, status, own patient records and care relationships of them
     * and their organization (3 queries: roles, own records, relationships; 1 when the account or role is no longer
     * active).</li>
     * <li>Site administrator with no clinical or office role: no patient at all (no query).</li>
     * </ul>
     * A patient or related-person account that is not active gets no role.
     */
    public RequesterRoles requesterFor(UserAccount user, Instant at) {
        return switch (user.kind()) {
            case PATIENT -> patientUser(user, at);
            case RELATED_PERSON -> relatedPersonUser(user, at);
            case PRACTITIONER -> practitionerUser(user, at);
        };
    }

    /** {@link #backendClient(String, String, Instant)} now. */
    public Requester backendClient(String clientId, String organizationId) {
        return backendClient(clientId, organizationId, clock.instant());
    }

    /**
     * A backend (system) client of an organization: the care relationships held by the organization, its roles and
     * its practitioners, all recorded as the organization's (2 queries: roles, relationships).
     */
    public Requester backendClient(String clientId, String organizationId, Instant at) {
        Organization organization = organization(organizationId,
                practitionerRoles(List.of("Organization/" + organizationId)), at);
        List<CareRelationship> relationships = careRelationships(organization, null, at);
        return new BackendClientRequester(clientId, organizationId, relationships);
    }

    /** {@link #patients(Collection, Instant)} of one patient, now. */
    public PatientFacts patientFacts(String patientId) {
        return patients(List.of(patientId), clock.instant()).get(patientId).facts();
    }

    /**
     * The facts and names of these patients at {@code at}: birth date (a partial one counts as none), deceased,
     * legal incapacity in force, and their active Consent refusals (2 queries for any number of patients, none for
     * an empty collection). An id with no Patient gets {@link PatientRecord#missing}. Keys keep the given order.
     */
    public Map<String, PatientRecord> patients(Collection<String> patientIds, Instant at) {
        Map<String, PatientRecord> records = new LinkedHashMap<>();
        if (patientIds.isEmpty()) {
            return records;
        }
        List<String> ids = List.copyOf(new LinkedHashSet<>(patientIds));
        Map<String, Patient> found = index.read("Patient", ids).stream().map(Patient.class::cast)
                .collect(Collectors.toMap(p -> p.getIdElement().getIdPart(), Function.identity()));
        Map<String, List<ConsentDirective>> directives = new HashMap<>();
        List<String> patientReferences = ids.stream().map(id -> "Patient/" + id).toList();
        for (IBaseResource resource : index.referringTo(List.of("Consent.patient"), patientReferences, Instant.EPOCH)) {
            Consent consent = (Consent) resource;
            if (consent.getStatus() == Consent.ConsentState.ACTIVE) {
                directives.computeIfAbsent(idOf(consent.getPatient()), id -> new ArrayList<>())
                        .addAll(refusals(consent));
            }
        }
        for (String id : ids) {
            Patient patient = found.get(id);
            if (patient == null) {
                records.put(id, PatientRecord.missing(id));
                continue;
            }
            PatientFacts facts = new PatientFacts(id, FhirTime.fullDate(patient.getBirthDateElement()),
                    isDeceased(patient), isIncapacitated(patient, at), directives.getOrDefault(id, List.of()));
            records.put(id, new PatientRecord(facts, displayName(patient), true));
        }
        return records;
    }

    /** How many SQL queries this resolver has run since start (for tests and benchmarks). */
    long searchCount() {
        return index.queryCount();
    }

    // --- patients and related persons ------------------------------------------------------------------------

    private RequesterRoles patientUser(UserAccount user, Instant at) {
        if (!user.isActive()) {
            return RequesterRoles.none();
        }
        PatientRequester self = new PatientRequester(user.fhirUserId());
        List<Guardianship> guardianships = guardianships(relatedPersonsOf(user.username()));
        return guardianships.isEmpty()
                ? RequesterRoles.of(self)
                : new RequesterRoles(List.of(self, new GuardianRequester(guardianships)));
    }

    private RequesterRoles relatedPersonUser(UserAccount user, Instant at) {
        if (!user.isActive()) {
            return RequesterRoles.none();
        }
        List<RelatedPerson> relatedPersons = new ArrayList<>(relatedPersonsOf(user.username()));
        boolean fhirUserFound = relatedPersons.stream()
                .anyMatch(rp -> rp.getIdElement().getIdPart().equals(user.fhirUserId()));
        if (!fhirUserFound) {
            index.read("RelatedPerson", List.of(user.fhirUserId()))
                    .forEach(resource -> relatedPersons.add((RelatedPerson) resource));
        }
        return RequesterRoles.of(new GuardianRequester(guardianships(relatedPersons)));
    }

    private List<RelatedPerson> relatedPersonsOf(String username) {
        return index.withIdentifier("RelatedPerson", USER_SYSTEM, username).stream()
                .map(RelatedPerson.class::cast).toList();
    }

    private List<Guardianship> guardianships(List<RelatedPerson> relatedPersons) {
        List<Guardianship> guardianships = new ArrayList<>();
        for (RelatedPerson relatedPerson : relatedPersons) {
            String patientId = idOf(relatedPerson.getPatient(), "Patient");
            Optional<Guardianship.Role> role = guardianshipRole(relatedPerson.getRelationship());
            if (patientId == null || role.isEmpty()) {
                continue;
            }
            TimeRange period = relatedPerson.hasActive() && !relatedPerson.getActive()
                    ? FhirTime.NEVER
                    : FhirTime.range(relatedPerson.getPeriod(), zone);
            guardianships.add(new Guardianship(patientId, role.get(), period));
        }
        return guardianships;
    }

    static Optional<Guardianship.Role> guardianshipRole(List<CodeableConcept> relationships) {
        boolean courtAppointed = false;
        boolean guardian = false;
        boolean parent = false;
        for (CodeableConcept relationship : relationships) {
            courtAppointed |= relationship.hasCoding(GUARDIANSHIP_BASIS_SYSTEM, "court-appointed");
            guardian |= relationship.hasCoding(ROLE_CODE_SYSTEM, "GUARD");
            parent |= relationship.getCoding().stream().anyMatch(
                    c -> ROLE_CODE_SYSTEM.equals(c.getSystem()) && PARENT_CODES.contains(c.getCode()));
        }
        if (courtAppointed) {
            return Optional.of(Guardianship.Role.COURT_APPOINTED_GUARDIAN);
        }
        if (guardian) {
            return Optional.of(Guardianship.Role.LEGAL_GUARDIAN);
        }
        return parent ? Optional.of(Guardianship.Role.PARENT) : Optional.empty();
    }

    // --- practitioners, staff and organizations --------------------------------------------------------------

    private RequesterRoles practitionerUser(UserAccount user, Instant at) {
        String practitionerId = user.fhirUserId();
        Set<String> accountRoles = user.roles();
        boolean clinical = accountRoles.contains(ACCOUNT_ROLE_CLINICIAN)
                || accountRoles.contains(ACCOUNT_ROLE_OFFICE_STAFF);
        if (!clinical && accountRoles.contains(ACCOUNT_ROLE_SITE_ADMIN)) {
            return RequesterRoles.of(new SiteAdministratorRequester(user.username()));
        }
        // the practitioner's own roles and the roles of their organization, in one query
        List<String> roleTargets = new ArrayList<>(List.of("Practitioner/" + practitionerId));
        if (user.organizationId() != null) {
            roleTargets.add("Organization/" + user.organizationId());
        }
        List<PractitionerRole> roles = practitionerRoles(roleTargets);
        List<PractitionerRole> ownRoles = roles.stream()
                .filter(r -> practitionerId.equals(idOf(r.getPractitioner(), "Practitioner"))).toList();
        String organizationId = user.organizationId() != null ? user.organizationId()
                : ownRoles.stream().filter(r -> isActive(r, at)).map(r -> idOf(r.getOrganization(), "Organization"))
                        .filter(id -> id != null).findFirst()
                        .orElseGet(() -> ownRoles.stream().map(r -> idOf(r.getOrganization(), "Organization"))
                                .filter(id -> id != null).findFirst().orElse(null));
        if (organizationId == null) {
            // a practitioner account with no organization cannot act for anyone
            return RequesterRoles.of(new SiteAdministratorRequester(user.username()));
        }
        List<PractitionerRole> rolesHere = ownRoles.stream()
                .filter(r -> organizationId.equals(idOf(r.getOrganization(), "Organization"))).toList();
        AccessStatus status = accessStatus(user.status(), rolesHere.stream().anyMatch(r -> isActive(r, at)));
        StaffRole staffRole = accountRoles.contains(ACCOUNT_ROLE_OFFICE_STAFF) || rolesHere.stream()
                .anyMatch(r -> r.getCode().stream().anyMatch(c -> c.hasCoding(CAREGATE_ROLE_SYSTEM, "office-staff")))
                ? StaffRole.OFFICE_STAFF : StaffRole.PRACTITIONER;
        if (status != AccessStatus.ACTIVE) {
            // the rule denies everything: no need to read relationships
            return RequesterRoles.of(new PractitionerRequester(practitionerId, organizationId, staffRole, status,
                    Set.of(), List.of()));
        }
        Set<String> ownPatientIds = index.withIdentifier("Patient", USER_SYSTEM, user.username()).stream()
                .map(p -> p.getIdElement().getIdPart()).collect(Collectors.toSet());
        Organization organization = user.organizationId() != null
                ? organization(organizationId, roles, at)
                : organization(organizationId, practitionerRoles(List.of("Organization/" + organizationId)), at);
        List<CareRelationship> relationships = careRelationships(organization, practitionerId, at);
        return RequesterRoles.of(new PractitionerRequester(practitionerId, organizationId, staffRole, status,
                ownPatientIds, relationships));
    }

    private static AccessStatus accessStatus(UserStatus accountStatus, boolean hasActiveRole) {
        return switch (accountStatus) {
            case SUSPENDED -> AccessStatus.SUSPENDED;
            case TERMINATED -> AccessStatus.TERMINATED;
            case ACTIVE -> hasActiveRole ? AccessStatus.ACTIVE : AccessStatus.TERMINATED;
        };
    }

    private boolean isActive(PractitionerRole role, Instant at) {
        return (!role.hasActive() || role.getActive()) && FhirTime.range(role.getPeriod(), zone).contains(at);
    }

    /** PractitionerRoles naming one of these practitioners or organizations (one query). */
    private List<PractitionerRole> practitionerRoles(List<String> targets) {
        return index.referringTo(PRACTITIONER_ROLE_PATHS, targets, Instant.EPOCH).stream()
                .map(PractitionerRole.class::cast).toList();
    }

    /** An organization with its roles (any status) and the practitioners holding an active role in it now. */
    private record Organization(String id, Map<String, String> practitionerOfRole, Set<String> activePractitioners) {
    }

    private Organization organization(String organizationId, List<PractitionerRole> roles, Instant at) {
        Map<String, String> practitionerOfRole = new HashMap<>();
        Set<String> active = new LinkedHashSet<>();
        for (PractitionerRole role : roles) {
            if (!organizationId.equals(idOf(role.getOrganization(), "Organization"))) {
                continue;
            }
            String practitioner = idOf(role.getPractitioner(), "Practitioner");
            practitionerOfRole.put(role.getIdElement().getIdPart(), practitioner == null ? "" : practitioner);
            if (practitioner != null && isActive(role, at)) {
                active.add(practitioner);
            }
        }
        return new Organization(organizationId, practitionerOfRole, active);
    }

    /**
     * Care relationships naming the organization, its roles or its active practitioners (one query). A reference
     * to {@code practitionerId} (or a role of theirs) is recorded as theirs; every other one as the organization's.
     */
    private List<CareRelationship> careRelationships(Organization organization, String practitionerId, Instant at) {
        ProviderIndex providers = new ProviderIndex(organization, practitionerId);
        // Encounters that may still count: ended (or, with no end, started) within the window, with a day's margin
        Instant encountersSince = at.atZone(zone).minus(encounterWindow).minusDays(1).toInstant();
        List<IBaseResource> referring = index.referringTo(CARE_RELATIONSHIP_PATHS, providers.references(),
                encountersSince);
        List<CareRelationship> relationships = new ArrayList<>();
        for (IBaseResource resource : referring) {
            if (resource instanceof Patient patient) {
                for (Reference gp : patient.getGeneralPractitioner()) {
                    providers.providerOf(gp).ifPresent(provider -> relationships.add(CareRelationship.of(
                            patient.getIdElement().getIdPart(), CareRelationship.Kind.GENERAL_PRACTITIONER, provider)));
                }
            } else if (resource instanceof CareTeam team) {
                careTeam(team, providers, relationships);
            } else if (resource instanceof ServiceRequest referral) {
                referral(referral, providers, relationships);
            } else if (resource instanceof Encounter encounter) {
                encounter(encounter, providers, relationships);
            }
        }
        return relationships.stream().distinct().toList();
    }

    private void careTeam(CareTeam team, ProviderIndex providers, List<CareRelationship> relationships) {
        String patientId = idOf(team.getSubject(), "Patient");
        if (patientId == null || team.getStatus() != CareTeam.CareTeamStatus.ACTIVE) {
            return;
        }
        TimeRange teamPeriod = FhirTime.range(team.getPeriod(), zone);
        for (CareTeam.CareTeamParticipantComponent participant : team.getParticipant()) {
            providers.providerOf(participant.getMember()).ifPresent(provider -> relationships.add(
                    new CareRelationship(patientId, CareRelationship.Kind.CARE_TEAM, provider,
                            FhirTime.intersection(teamPeriod, FhirTime.range(participant.getPeriod(), zone)))));
        }
    }

    private void referral(ServiceRequest referral, ProviderIndex providers, List<CareRelationship> relationships) {
        String patientId = idOf(referral.getSubject(), "Patient");
        if (patientId == null || !referral.hasStatus()
                || !REFERRAL_STATUSES.contains(referral.getStatus().toCode())) {
            return;
        }
        TimeRange period = referral.hasAuthoredOn()
                ? TimeRange.from(referral.getAuthoredOn().toInstant()) : TimeRange.always();
        providers.providerOf(referral.getRequester()).ifPresent(provider -> relationships.add(
                new CareRelationship(patientId, CareRelationship.Kind.REFERRAL_SENT, provider, period)));
        for (Reference performer : referral.getPerformer()) {
            providers.providerOf(performer).ifPresent(provider -> relationships.add(
                    new CareRelationship(patientId, CareRelationship.Kind.REFERRAL_RECEIVED, provider, period)));
        }
    }

    private void encounter(Encounter encounter, ProviderIndex providers, List<CareRelationship> relationships) {
        String patientId = idOf(encounter.getSubject(), "Patient");
        if (patientId == null || (encounter.hasStatus()
                && IGNORED_ENCOUNTER_STATUSES.contains(encounter.getStatus().toCode()))) {
            return;
        }
        TimeRange period = FhirTime.range(encounter.getPeriod(), zone);
        providers.providerOf(encounter.getServiceProvider()).ifPresent(
                provider -> relationships.add(CareRelationship.encounter(patientId, provider, period)));
        for (Encounter.EncounterParticipantComponent participant : encounter.getParticipant()) {
            providers.providerOf(participant.getIndividual()).ifPresent(
                    provider -> relationships.add(CareRelationship.encounter(patientId, provider, period)));
        }
    }

    /** Maps the references found in the data to the provider that holds the relationship. */
    private static final class ProviderIndex {
        private final Organization organization;
        private final String practitionerId;

        ProviderIndex(Organization organization, String practitionerId) {
            this.organization = organization;
            this.practitionerId = practitionerId;
        }

        Optional<CareProvider> providerOf(Reference reference) {
            if (reference == null || !reference.hasReference()) {
                return Optional.empty();
            }
            String type = reference.getReferenceElement().getResourceType();
            String id = reference.getReferenceElement().getIdPart();
            if (type == null || id == null) {
                return Optional.empty();
            }
            return switch (type) {
                case "Organization" -> organization.id().equals(id)
                        ? Optional.of(CareProvider.organization(id)) : Optional.empty();
                case "Practitioner" -> forPractitioner(id, organization.activePractitioners().contains(id));
                case "PractitionerRole" -> organization.practitionerOfRole().containsKey(id)
                        ? forPractitioner(organization.practitionerOfRole().get(id), true) : Optional.empty();
                default -> Optional.empty();
            };
        }

        private Optional<CareProvider> forPractitioner(String id, boolean ofThisOrganization) {
            if (id.equals(practitionerId)) {
                return Optional.of(CareProvider.practitioner(id));
            }
            return ofThisOrganization ? Optional.of(CareProvider.organization(organization.id())) : Optional.empty();
        }

        /** {@code Type/id} of the organization, its roles, its active practitioners and the requester. */
        List<String> references() {
            Set<String> references = new LinkedHashSet<>();
            references.add("Organization/" + organization.id());
            if (practitionerId != null) {
                references.add("Practitioner/" + practitionerId);
            }
            organization.activePractitioners().forEach(id -> references.add("Practitioner/" + id));
            organization.practitionerOfRole().keySet().forEach(id -> references.add("PractitionerRole/" + id));
            return List.copyOf(references);
        }
    }

    // --- patient facts ---------------------------------------------------------------------------------------

    private List<ConsentDirective> refusals(Consent consent) {
        Consent.ProvisionComponent provision = consent.getProvision();
        if (provision.getType() != Consent.ConsentProvisionType.DENY) {
            return List.of();
        }
        TimeRange period = FhirTime.range(provision.getPeriod(), zone);
        List<ConsentDirective> directives = new ArrayList<>();
        for (Consent.provisionActorComponent actor : provision.getActor()) {
            Reference reference = actor.getReference();
            String type = reference.getReferenceElement().getResourceType();
            String id = reference.getReferenceElement().getIdPart();
            if (id == null) {
                continue;
            }
            if ("Organization".equals(type)) {
                directives.add(new ConsentDirective(CareProvider.organization(id), period));
            } else if ("Practitioner".equals(type)) {
                directives.add(new ConsentDirective(CareProvider.practitioner(id), period));
            }
        }
        return directives;
    }

    private static boolean isDeceased(Patient patient) {
        if (!patient.hasDeceased()) {
            return false;
        }
        return patient.getDeceased() instanceof BooleanType flag ? flag.booleanValue()
                : patient.getDeceased() instanceof DateTimeType;
    }

    private boolean isIncapacitated(Patient patient, Instant at) {
        for (Extension extension : patient.getExtensionsByUrl(LEGAL_INCAPACITY_URL)) {
            if (extension.getValue() instanceof Period period && FhirTime.range(period, zone).contains(at)) {
                return true;
            }
        }
        return false;
    }

    static String displayName(Patient patient) {
        List<HumanName> names = patient.getName();
        HumanName chosen = names.stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
                .or(() -> names.stream().filter(n -> n.getUse() == HumanName.NameUse.USUAL).findFirst())
                .or(() -> names.stream().findFirst())
                .orElse(null);
        if (chosen != null) {
            if (chosen.hasGiven() || chosen.hasFamily()) {
                String given = chosen.getGiven().stream().map(StringType::getValue).collect(Collectors.joining(" "));
                return (given + " " + (chosen.hasFamily() ? chosen.getFamily() : "")).trim();
            }
            if (chosen.hasText()) {
                return chosen.getText();
            }
        }
        return patient.getIdElement().getIdPart();
    }

    // --- searching -------------------------------------------------------------------------------------------

    private static String idOf(Reference reference) {
        return idOf(reference, null);
    }

    /** The bare id of a reference to {@code type} (any type if {@code null}), or {@code null}. */
    private static String idOf(Reference reference, String type) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        String referenceType = reference.getReferenceElement().getResourceType();
        if (type != null && !type.equals(referenceType)) {
            return null;
        }
        return reference.getReferenceElement().getIdPart();
    }
}
