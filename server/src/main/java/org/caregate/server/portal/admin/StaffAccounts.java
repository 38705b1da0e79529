package org.caregate.server.portal.admin;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.caregate.server.config.CareGateProperties;
import org.caregate.server.portal.PortalRefusal;
import org.caregate.server.portal.PortalRoles;
import org.caregate.smart.authserver.account.AccountAuthorizations;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.caregate.smart.authserver.user.UserStatus;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.springframework.stereotype.Service;

/**
 * Site administration of staff accounts: an administrator ({@link PortalRoles#isSiteAdmin}) lists, adds,
 * terminates and reactivates the practitioner accounts of their own organisation ({@code UserAccount.organizationId})
 * and of no other. An administrator cannot terminate their own account.
 *
 * <p>Termination needs nothing more here: the FHIR endpoint checks the account's status on every request, the
 * authorization server on every token refresh, and the portal on every page.
 */
@Service
public class StaffAccounts {

    public static final int MIN_PASSWORD_LENGTH = 14;
    /** A voluntary termination is due within this many days. */
    public static final int VOLUNTARY_TERMINATION_DAYS = 5;

    static final int MAX_PASSWORD_LENGTH = 128;
    /** The roles an administrator may give; a new site administrator is not made from the portal. */
    static final List<String> ASSIGNABLE_ROLES = List.of(PortalRoles.CLINICIAN, PortalRoles.OFFICE_STAFF);

    private static final String USERNAME_PATTERN = "[a-z0-9][a-z0-9._-]{2,63}";
    private static final String FHIR_ID_PATTERN = "[A-Za-z0-9\\-.]{1,64}";

    private final UserAccountService accounts;
    private final AccountAuthorizations authorizations;
    private final DaoRegistry daoRegistry;
    private final ZoneId zone;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    public StaffAccounts(
            org.springframework.context.ApplicationEventPublisher events,
            UserAccountService accounts,
            AccountAuthorizations authorizations,
            DaoRegistry daoRegistry,
            CareGateProperties properties,
            Clock clock) {
        this.events = events;
        this.accounts = accounts;
        this.authorizations = authorizations;
        this.daoRegistry = daoRegistry;
        this.zone = properties.facilityZone();
        this.clock = clock;
    }

    /** The practitioner accounts of the administrator's organisation, by username. */
    public List<UserAccount> staffOf(UserAccount admin) {
        String organizationId = requireAdmin(admin);
        terminateDue();
        return accounts.findAll().stream()
                .filter(account -> account.kind() == UserKind.PRACTITIONER)
                .filter(account -> organizationId.equals(account.organizationId()))
                .toList();
    }

    /**
     * Creates an active account in the administrator's organisation.
     *
     * @return the problems with the form, in plain words; empty when the account was created
     */
    public List<String> add(UserAccount admin, NewStaffMember form) {
        String organizationId = requireAdmin(admin);
        List<String> problems = new ArrayList<>();
        String username = trim(form.username()).toLowerCase(Locale.ROOT);
        String displayName = trim(form.displayName());
        String practitionerId = trim(form.practitionerId());
        String password = form.password() == null ? "" : form.password();
        if (!username.matches(USERNAME_PATTERN)) {
            problems.add("The user name must be 3 to 64 characters: lower-case letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit.");
        } else if (accounts.find(username).isPresent()) {
            problems.add("The user name '" + username + "' is already taken.");
        }
        if (displayName.isEmpty() || displayName.length() > 200) {
            problems.add("Enter the staff member's name (at most 200 characters).");
        }
        if (!ASSIGNABLE_ROLES.contains(form.role())) {
            problems.add("Choose the role: clinician or office staff.");
        }
        if (password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            problems.add("The initial password must be " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH
                    + " characters long.");
        }
        if (!practitionerId.matches(FHIR_ID_PATTERN)) {
            problems.add("Enter the id of the staff member's Practitioner record (e.g. prac-north-gp).");
        } else if (!practitionerExists(practitionerId)) {
            problems.add("There is no Practitioner with id '" + practitionerId + "'.");
        } else if (!hasActiveRoleAt(practitionerId, organizationId, clock.instant())) {
            problems.add("Practitioner '" + practitionerId + "' has no active PractitionerRole at your organisation.");
        } else if (!accounts.findByFhirUser("Practitioner/" + practitionerId).isEmpty()) {
            problems.add("Practitioner '" + practitionerId + "' already has an account.");
        }
        if (problems.isEmpty()) {
            accounts.createOrUpdate(
                    username,
                    password,
                    displayName,
                    "Practitioner/" + practitionerId,
                    UserKind.PRACTITIONER,
                    organizationId,
                    Set.of(form.role()),
                    UserStatus.ACTIVE);
            events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                    org.caregate.smart.authserver.account.AccountEvent.Type.ACCOUNT_CREATED,
                    username,
                    admin.username(),
                    "staff member added",
                    clock.instant()));
        }
        return problems;
    }

    /**
     * An involuntary termination: the account's access ends now. Every token and session is revoked at once: its
     * authorizations are removed (refresh tokens end) and its access tokens recorded as revoked, so that even a
     * later reactivation does not bring them back; its browser sessions end on their next request.
     */
    public UserAccount terminate(UserAccount admin, String username) {
        UserAccount target = manageable(admin, username);
        if (target.username().equals(admin.username())) {
            throw PortalRefusal.forbidden(
                    "You cannot terminate your own account",
                    "Ask another site administrator of your organisation to do it.");
        }
        accounts.terminate(target.username());
        accounts.setTerminationDue(target.username(), null);
        authorizations.revokeAll(target.username());
        events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                org.caregate.smart.authserver.account.AccountEvent.Type.ACCOUNT_TERMINATED,
                target.username(),
                admin.username(),
                "involuntary",
                clock.instant()));
        return target;
    }

    /**
     * A voluntary termination (the staff member leaves): due on {@code lastDay} (at the end of that day in the
     * facility's time zone), at most {@value #VOLUNTARY_TERMINATION_DAYS} days from today. The account stays active
     * until then; the staff page reminds the administrator, and {@link #terminateDue} ends it when due.
     */
    public Instant planTermination(UserAccount admin, String username, LocalDate lastDay) {
        UserAccount target = manageable(admin, username);
        if (target.username().equals(admin.username())) {
            throw PortalRefusal.forbidden(
                    "You cannot terminate your own account",
                    "Ask another site administrator of your organisation to do it.");
        }
        LocalDate today = LocalDate.now(clock.withZone(zone));
        if (lastDay == null || lastDay.isBefore(today) || lastDay.isAfter(today.plusDays(VOLUNTARY_TERMINATION_DAYS))) {
            throw PortalRefusal.badRequest(
                    "Choose the last day",
                    "A voluntary termination is due within " + VOLUNTARY_TERMINATION_DAYS + " days: choose a last day"
                            + " from " + today + " to " + today.plusDays(VOLUNTARY_TERMINATION_DAYS) + ".");
        }
        Instant due = lastDay.plusDays(1).atStartOfDay(zone).toInstant();
        accounts.setTerminationDue(target.username(), due);
        events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                org.caregate.smart.authserver.account.AccountEvent.Type.TERMINATION_PLANNED,
                target.username(),
                admin.username(),
                "voluntary, due " + due,
                clock.instant()));
        return due;
    }

    /** When each planned termination of the administrator's organisation is due. */
    public java.util.Map<String, Instant> plannedTerminations(UserAccount admin) {
        java.util.Map<String, Instant> planned = new java.util.LinkedHashMap<>();
        for (UserAccount account : staffOf(admin)) {
            accounts.terminationDue(account.username())
                    .filter(due -> account.isActive())
                    .ifPresent(due -> planned.put(account.username(), due));
        }
        return planned;
    }

    /**
     * Records as terminated every account whose planned termination is due now, and revokes its tokens. (From the
     * due instant on, the account reads as terminated everywhere anyway: {@code UserAccountService}.)
     */
    public List<String> terminateDue() {
        List<String> due = accounts.terminationsDue(clock.instant());
        for (String username : due) {
            accounts.terminate(username);
            accounts.setTerminationDue(username, null);
            authorizations.revokeAll(username);
        }
        return due;
    }

    /** Makes a terminated or suspended account of the administrator's organisation active again. */
    public UserAccount activate(UserAccount admin, String username) {
        UserAccount target = manageable(admin, username);
        accounts.activate(target.username());
        events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                org.caregate.smart.authserver.account.AccountEvent.Type.ACCOUNT_ACTIVATED,
                target.username(),
                admin.username(),
                "reactivated",
                clock.instant()));
        return target;
    }

    private UserAccount manageable(UserAccount admin, String username) {
        String organizationId = requireAdmin(admin);
        UserAccount target = accounts.find(username == null ? "" : username)
                .orElseThrow(
                        () -> PortalRefusal.notFound("No such account", "There is no account '" + username + "'."));
        if (target.kind() != UserKind.PRACTITIONER || !organizationId.equals(target.organizationId())) {
            throw PortalRefusal.forbidden(
                    "Not an account of your organisation",
                    "Site administrators manage the staff accounts of their own organisation only; '" + username
                            + "' is not one of them.");
        }
        return target;
    }

    private static String requireAdmin(UserAccount admin) {
        if (!PortalRoles.isSiteAdmin(admin)) {
            throw PortalRefusal.forbidden("Site administrators only", "Your account is not a site administrator's.");
        }
        return admin.organizationId();
    }

    private boolean practitionerExists(String practitionerId) {
        try {
            daoRegistry
                    .getResourceDao(Practitioner.class)
                    .read(new IdType("Practitioner", practitionerId), new SystemRequestDetails());
            return true;
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
        }
    }

    private boolean hasActiveRoleAt(String practitionerId, String organizationId, Instant now) {
        SearchParameterMap search = SearchParameterMap.newSynchronous()
                .add(PractitionerRole.SP_PRACTITIONER, new ReferenceParam("Practitioner/" + practitionerId))
                .add(PractitionerRole.SP_ORGANIZATION, new ReferenceParam("Organization/" + organizationId));
        return daoRegistry
                .getResourceDao(PractitionerRole.class)
                .searchForResources(search, new SystemRequestDetails())
                .stream()
                .map(PractitionerRole.class::cast)
                .anyMatch(role -> (!role.hasActive() || role.getActive()) && periodContains(role, now));
    }

    /** Whether the role's period (dates at their precision, on the facility's calendar) contains {@code now}. */
    private boolean periodContains(PractitionerRole role, Instant now) {
        Period period = role.getPeriod();
        boolean started = !period.hasStart() || !start(period.getStartElement()).isAfter(now);
        boolean notEnded = !period.hasEnd() || end(period.getEndElement()).isAfter(now);
        return started && notEnded;
    }

    private Instant start(BaseDateTimeType value) {
        return switch (value.getPrecision()) {
            case YEAR, MONTH, DAY -> date(value).atStartOfDay(zone).toInstant();
            default -> value.getValue().toInstant();
        };
    }

    /** The first instant after the value, at its precision. */
    private Instant end(BaseDateTimeType value) {
        return switch (value.getPrecision()) {
            case YEAR -> date(value).plusYears(1).atStartOfDay(zone).toInstant();
            case MONTH -> date(value).plusMonths(1).atStartOfDay(zone).toInstant();
            case DAY -> date(value).plusDays(1).atStartOfDay(zone).toInstant();
            default -> value.getValue().toInstant().plusSeconds(1);
        };
    }

    private static LocalDate date(BaseDateTimeType value) {
        return LocalDate.of(
                value.getYear(),
                value.getPrecision() == TemporalPrecisionEnum.YEAR ? 1 : value.getMonth() + 1,
                value.getPrecision() == TemporalPrecisionEnum.DAY ? value.getDay() : 1);
    }

    private static String trim(String value) {
        return value == null ? "" : value.strip();
    }
}
