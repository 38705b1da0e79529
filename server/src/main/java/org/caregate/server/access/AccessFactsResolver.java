package org.caregate.server.access;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

/**
 * Turns CareGate's access index into consent-rules facts: who a user is as a {@link Requester} (own record,
 * guardianships, care relationships) and what the rules need to know about a patient ({@link PatientFacts}).
 *
 * <p>Reads only {@link AccessIndex} (CareGate's own tables, kept by {@link AccessIndexMaintainer} in the transaction
 * of every FHIR write), never HAPI's tables or searches: a fixed, small number of indexed queries per call whatever
 * the number of patients (see each method). How facts are read out of FHIR resources is
 * {@link AccessFactExtractor}'s. Nothing is cached here ({@link AccessDecisions} caches whole decisions).
 *
 * <p>Every method that reads time-bound facts also notes, in a {@link Horizon}, the first instant after the one it
 * decided for at which one of those facts starts or stops counting: until then, decisions made from them stay right.
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
    static final Set<String> PARENT_CODES = Set.of(
            "PRN", "MTH", "FTH", "NPRN", "NMTH", "NFTH", "ADOPTP", "ADOPTM", "ADOPTF", "STPPRN", "STPMTH", "STPFTH",
            "FTHFOST", "MTHFOST", "PRNFOST", "GESTM");

    static final String ACCOUNT_ROLE_SITE_ADMIN = "site-admin";
    static final String ACCOUNT_ROLE_OFFICE_STAFF = "office-staff";
    static final String ACCOUNT_ROLE_CLINICIAN = "clinician";

    private final AccessIndex index;
    private final ZoneId zone;
    private final Clock clock;
    /** Must not be shorter than the policy's window (it only pre-filters encounters). */
    private final java.time.Period encounterWindow = CareRelationshipRule.DEFAULT_ENCOUNTER_WINDOW;

    AccessFactsResolver(AccessIndex index, CareGateProperties properties, Clock clock) {
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
     * <li>RelatedPerson: a guardian with every guardianship of their username and of their fhirUser (1 query).</li>
     * <li>Practitioner or office staff: organization, status, own patient records and care relationships of them
     * and their organization (2 queries: roles and own records, relationships; 3 when the account names no
     * organization; 1 when the account or role is no longer active).</li>
     * <li>Site administrator with no clinical or office role: no patient at all (no query).</li>
     * </ul>
     * A patient or related-person account that is not active gets no role.
     */
    public RequesterRoles requesterFor(UserAccount user, Instant at) {
        return requesterFor(user, new Horizon(at, zone));
    }

    RequesterRoles requesterFor(UserAccount user, Horizon horizon) {
        return switch (user.kind()) {
            case PATIENT -> patientUser(user, horizon);
            case RELATED_PERSON -> relatedPersonUser(user, horizon);
            case PRACTITIONER -> practitionerUser(user, horizon);
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
        return backendClient(clientId, organizationId, new Horizon(at, zone));
    }

    Requester backendClient(String clientId, String organizationId, Horizon horizon) {
        Organization organization = organization(
                organizationId, index.rolesAndOwnRecords(null, "Organization/" + organizationId, null), horizon);
        List<CareRelationship> relationships = careRelationships(organization, null, horizon);
        return new BackendClientRequester(clientId, organizationId, relationships);
    }

    /** {@link #patients(Collection, Instant)} of one patient, now. */
    public PatientFacts patientFacts(String patientId) {
        return patients(List.of(patientId), clock.instant()).get(patientId).facts();
    }

    /**
     * The facts and names of these patients at {@code at}: birth date (a partial one counts as none), deceased,
     * legal incapacity in force, and their active Consent refusals (1 query for any number of patients, none for
     * an empty collection). An id with no Patient gets {@link PatientRecord#missing}. Keys keep the given order.
     */
    public Map<String, PatientRecord> patients(Collection<String> patientIds, Instant at) {
        return patients(patientIds, new Horizon(at, zone));
    }

    Map<String, PatientRecord> patients(Collection<String> patientIds, Horizon horizon) {
        Map<String, PatientRecord> records = new LinkedHashMap<>();
        if (patientIds.isEmpty()) {
            return records;
        }
        Map<String, PatientDetail> found = new HashMap<>();
        Set<String> incapacitated = new HashSet<>();
        Map<String, List<ConsentDirective>> directives = new HashMap<>();
        for (AccessFact fact : index.patients(patientIds)) {
            switch (fact.kind()) {
                case PATIENT -> found.put(fact.patientId(), PatientDetail.decode(fact.detail()));
                case INCAPACITY -> {
                    horizon.consider(fact.period());
                    if (fact.period().contains(horizon.at())) {
                        incapacitated.add(fact.patientId());
                    }
                }
                case CONSENT_REFUSAL -> {
                    horizon.consider(fact.period());
                    directives
                            .computeIfAbsent(fact.patientId(), id -> new ArrayList<>())
                            .add(new ConsentDirective(provider(fact.party()), fact.period()));
                }
                default -> {}
            }
        }
        for (String id : patientIds) {
            PatientDetail patient = found.get(id);
            if (patient == null) {
                records.put(id, PatientRecord.missing(id));
                continue;
            }
            PatientFacts facts = new PatientFacts(
                    id,
                    patient.birthDate(),
                    patient.deceased(),
                    incapacitated.contains(id),
                    directives.getOrDefault(id, List.of()));
            records.put(id, new PatientRecord(facts, patient.displayName(), true));
        }
        return records;
    }

    /** How many SQL queries this resolver has run since start (for tests and benchmarks). */
    long searchCount() {
        return index.queryCount();
    }

    // --- patients and related persons ------------------------------------------------------------------------

    private RequesterRoles patientUser(UserAccount user, Horizon horizon) {
        if (!user.isActive()) {
            return RequesterRoles.none();
        }
        PatientRequester self = new PatientRequester(user.fhirUserId());
        List<Guardianship> guardianships = guardianships(index.ofUser(user.username(), null), horizon);
        return guardianships.isEmpty()
                ? RequesterRoles.of(self)
                : new RequesterRoles(List.of(self, new GuardianRequester(guardianships)));
    }

    private RequesterRoles relatedPersonUser(UserAccount user, Horizon horizon) {
        if (!user.isActive()) {
            return RequesterRoles.none();
        }
        return RequesterRoles.of(
                new GuardianRequester(guardianships(index.ofUser(user.username(), user.fhirUserId()), horizon)));
    }

    private static List<Guardianship> guardianships(List<AccessFact> facts, Horizon horizon) {
        List<Guardianship> guardianships = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AccessFact fact : facts) {
            if (fact.kind() == AccessFact.Kind.GUARDIANSHIP && seen.add(fact.source() + "|" + fact.patientId())) {
                horizon.consider(fact.period());
                guardianships.add(
                        new Guardianship(fact.patientId(), Guardianship.Role.valueOf(fact.detail()), fact.period()));
            }
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
            parent |= relationship.getCoding().stream()
                    .anyMatch(c -> ROLE_CODE_SYSTEM.equals(c.getSystem()) && PARENT_CODES.contains(c.getCode()));
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

    private RequesterRoles practitionerUser(UserAccount user, Horizon horizon) {
        String practitionerId = user.fhirUserId();
        Set<String> accountRoles = user.roles();
        boolean clinical =
                accountRoles.contains(ACCOUNT_ROLE_CLINICIAN) || accountRoles.contains(ACCOUNT_ROLE_OFFICE_STAFF);
        if (!clinical && accountRoles.contains(ACCOUNT_ROLE_SITE_ADMIN)) {
            return RequesterRoles.of(new SiteAdministratorRequester(user.username()));
        }
        String practitioner = "Practitioner/" + practitionerId;
        // the practitioner's own roles, the roles of their organization and their own patient records, in one query
        List<AccessFact> facts = index.rolesAndOwnRecords(
                practitioner,
                user.organizationId() == null ? null : "Organization/" + user.organizationId(),
                user.username());
        List<AccessFact> ownRoles = facts.stream()
                .filter(f -> f.kind() == AccessFact.Kind.ROLE && practitioner.equals(f.party()))
                .toList();
        ownRoles.forEach(role -> horizon.consider(role.period()));
        String organizationId = user.organizationId() != null
                ? user.organizationId()
                : ownRoles.stream()
                        .filter(r -> isActive(r, horizon.at()))
                        .map(AccessFactsResolver::organizationOf)
                        .findFirst()
                        .orElseGet(() -> ownRoles.stream()
                                .map(AccessFactsResolver::organizationOf)
                                .findFirst()
                                .orElse(null));
        if (organizationId == null) {
            // a practitioner account with no organization cannot act for anyone
            return RequesterRoles.of(new SiteAdministratorRequester(user.username()));
        }
        List<AccessFact> rolesHere = ownRoles.stream()
                .filter(r -> organizationId.equals(organizationOf(r)))
                .toList();
        AccessStatus status = accessStatus(user.status(), rolesHere.stream().anyMatch(r -> isActive(r, horizon.at())));
        StaffRole staffRole = accountRoles.contains(ACCOUNT_ROLE_OFFICE_STAFF)
                        || rolesHere.stream().anyMatch(r -> r.detail().contains("office-staff"))
                ? StaffRole.OFFICE_STAFF
                : StaffRole.PRACTITIONER;
        if (status != AccessStatus.ACTIVE) {
            // the rule denies everything: no need to read relationships
            return RequesterRoles.of(
                    new PractitionerRequester(practitionerId, organizationId, staffRole, status, Set.of(), List.of()));
        }
        Set<String> ownPatientIds = facts.stream()
                .filter(f -> f.kind() == AccessFact.Kind.USER && f.patientId() != null)
                .map(AccessFact::patientId)
                .collect(Collectors.toSet());
        Organization organization = organization(
                organizationId,
                user.organizationId() != null
                        ? facts
                        : index.rolesAndOwnRecords(null, "Organization/" + organizationId, null),
                horizon);
        List<CareRelationship> relationships = careRelationships(organization, practitionerId, horizon);
        return RequesterRoles.of(new PractitionerRequester(
                practitionerId, organizationId, staffRole, status, ownPatientIds, relationships));
    }

    private static AccessStatus accessStatus(UserStatus accountStatus, boolean hasActiveRole) {
        return switch (accountStatus) {
            case SUSPENDED -> AccessStatus.SUSPENDED;
            case TERMINATED -> AccessStatus.TERMINATED;
            case ACTIVE -> hasActiveRole ? AccessStatus.ACTIVE : AccessStatus.TERMINATED;
        };
    }

    private static boolean isActive(AccessFact role, Instant at) {
        return role.detail().startsWith("active") && role.period().contains(at);
    }

    private static String organizationOf(AccessFact role) {
        return role.context().substring("Organization/".length());
    }

    /** An organization with its roles (any status) and the practitioners holding an active role in it now. */
    private record Organization(String id, Map<String, String> practitionerOfRole, Set<String> activePractitioners) {}

    private static Organization organization(String organizationId, List<AccessFact> facts, Horizon horizon) {
        Map<String, String> practitionerOfRole = new HashMap<>();
        Set<String> active = new LinkedHashSet<>();
        String organization = "Organization/" + organizationId;
        for (AccessFact role : facts) {
            if (role.kind() != AccessFact.Kind.ROLE || !organization.equals(role.context())) {
                continue;
            }
            horizon.consider(role.period());
            String practitioner = role.party() == null ? null : role.party().substring("Practitioner/".length());
            practitionerOfRole.put(role.sourceId(), practitioner == null ? "" : practitioner);
            if (practitioner != null && isActive(role, horizon.at())) {
                active.add(practitioner);
            }
        }
        return new Organization(organizationId, practitionerOfRole, active);
    }

    /**
     * Care relationships naming the organization, its roles or its active practitioners (one query). A reference
     * to {@code practitionerId} (or a role of theirs) is recorded as theirs; every other one as the organization's.
     */
    private List<CareRelationship> careRelationships(
            Organization organization, String practitionerId, Horizon horizon) {
        ProviderIndex providers = new ProviderIndex(organization, practitionerId);
        Instant at = horizon.at();
        // Encounters that may still count: ended (or, with no end, started) within the window, with a day's margin
        Instant encountersSince =
                at.atZone(zone).minus(encounterWindow).minusDays(1).toInstant();
        List<CareRelationship> relationships = new ArrayList<>();
        for (AccessFact fact : index.careRelationships(providers.references())) {
            TimeRange period = fact.period();
            if (fact.kind() == AccessFact.Kind.ENCOUNTER) {
                Instant last = period.end() != null ? period.end() : period.start();
                if (last == null || last.isBefore(encountersSince)) {
                    continue;
                }
                horizon.consider(period.start());
                horizon.consider(last.atZone(zone).plus(encounterWindow).toInstant());
            } else {
                horizon.consider(period);
            }
            CareRelationship.Kind kind =
                    CareRelationship.Kind.valueOf(fact.kind().name());
            providers
                    .providerOf(fact.party())
                    .ifPresent(provider ->
                            relationships.add(new CareRelationship(fact.patientId(), kind, provider, period)));
        }
        return relationships.stream().distinct().toList();
    }

    /** Maps the references found in the data to the provider that holds the relationship. */
    private static final class ProviderIndex {
        private final Organization organization;
        private final String practitionerId;

        ProviderIndex(Organization organization, String practitionerId) {
            this.organization = organization;
            this.practitionerId = practitionerId;
        }

        Optional<CareProvider> providerOf(String reference) {
            int slash = reference.indexOf('/');
            String type = reference.substring(0, slash);
            String id = reference.substring(slash + 1);
            return switch (type) {
                case "Organization" ->
                    organization.id().equals(id) ? Optional.of(CareProvider.organization(id)) : Optional.empty();
                case "Practitioner" ->
                    forPractitioner(id, organization.activePractitioners().contains(id));
                case "PractitionerRole" ->
                    organization.practitionerOfRole().containsKey(id)
                            ? forPractitioner(organization.practitionerOfRole().get(id), true)
                            : Optional.empty();
                default -> Optional.empty();
            };
        }

        private Optional<CareProvider> forPractitioner(String id, boolean ofThisOrganization) {
            if (id.equals(practitionerId)) {
                return Optional.of(CareProvider.practitioner(id));
            }
            return ofThisOrganization && !id.isEmpty()
                    ? Optional.of(CareProvider.organization(organization.id()))
                    : Optional.empty();
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

    private static CareProvider provider(String reference) {
        String id = reference.substring(reference.indexOf('/') + 1);
        return reference.startsWith("Organization/") ? CareProvider.organization(id) : CareProvider.practitioner(id);
    }

    static String displayName(Patient patient) {
        List<HumanName> names = patient.getName();
        HumanName chosen = names.stream()
                .filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL)
                .findFirst()
                .or(() -> names.stream()
                        .filter(n -> n.getUse() == HumanName.NameUse.USUAL)
                        .findFirst())
                .or(() -> names.stream().findFirst())
                .orElse(null);
        if (chosen != null) {
            if (chosen.hasGiven() || chosen.hasFamily()) {
                String given =
                        chosen.getGiven().stream().map(StringType::getValue).collect(Collectors.joining(" "));
                return (given + " " + (chosen.hasFamily() ? chosen.getFamily() : "")).trim();
            }
            if (chosen.hasText()) {
                return chosen.getText();
            }
        }
        return patient.getIdElement().getIdPart();
    }
}
