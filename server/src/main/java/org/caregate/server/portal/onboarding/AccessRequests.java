package org.caregate.server.portal.onboarding;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.caregate.server.config.CareGateProperties;
import org.caregate.server.portal.PortalRefusal;
import org.caregate.server.portal.PortalRoles;
import org.caregate.smart.authserver.account.PasswordRules;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Community-provider onboarding, in {@code smart_auth.access_request}: a practitioner or office-staff member asks for
 * access naming a hospital sponsor ({@link PortalRoles#HOSPITAL_SPONSOR}); the sponsor sponsors it (or declines); a
 * CareGate administrator approves it, which creates the account, suspended; when the administrator records the
 * training as complete, the account becomes active at 00:00 the next day in the facility's time zone. The user name
 * is reserved from the request on and, like every user name, never reused. Passwords: the length rule of
 * {@link PasswordRules} (14 characters); the account must enrol in TOTP at its first sign-in.
 */
@Service
public class AccessRequests {

    private static final String USERNAME_PATTERN = "[a-z0-9][a-z0-9._-]{2,63}";
    private static final String ID_PATTERN = "[A-Za-z0-9\\-.]{1,64}";
    private static final String EMAIL_PATTERN = "[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{2,63}";
    static final List<String> ROLES = List.of(PortalRoles.CLINICIAN, PortalRoles.OFFICE_STAFF);

    private final JdbcTemplate jdbc;
    private final UserAccountService accounts;
    private final PasswordRules passwordRules;
    private final MessageSource messages;
    private final Clock clock;
    private final ZoneId zone;
    private final org.springframework.context.ApplicationEventPublisher events;

    public AccessRequests(
            org.springframework.context.ApplicationEventPublisher events,
            DataSource dataSource,
            UserAccountService accounts,
            PasswordRules passwordRules,
            MessageSource messages,
            Clock clock,
            CareGateProperties properties) {
        this.events = events;
        this.jdbc = new JdbcTemplate(dataSource);
        this.accounts = accounts;
        this.passwordRules = passwordRules;
        this.messages = messages;
        this.clock = clock;
        this.zone = properties.facilityZone();
    }

    /** The request form, as typed. */
    public record Form(
            String displayName,
            String username,
            String email,
            String practitionerId,
            String organizationId,
            String role,
            String sponsor,
            String password,
            String confirmation) {

        static Form empty() {
            return new Form("", "", "", "", "", PortalRoles.CLINICIAN, "", "", "");
        }

        Form withoutPasswords() {
            return new Form(displayName, username, email, practitionerId, organizationId, role, sponsor, "", "");
        }
    }

    public record AccessRequest(
            String id,
            String username,
            String displayName,
            String email,
            String practitionerId,
            String organizationId,
            String role,
            String sponsor,
            String status,
            Instant requestedAt,
            Instant trainedAt) {}

    /** Files a request; returns the problems in plain words (empty: filed). */
    public List<String> request(Form form, Locale locale) {
        List<String> problems = new ArrayList<>();
        String username = trim(form.username()).toLowerCase(Locale.ROOT);
        if (!username.matches(USERNAME_PATTERN)) {
            problems.add("The user name must be 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'.");
        } else if (accounts.exists(username) || requestFor(username).isPresent()) {
            problems.add("The user name '" + username + "' is taken (user names are never reused). Choose another.");
        }
        if (trim(form.displayName()).isEmpty() || trim(form.displayName()).length() > 200) {
            problems.add("Enter your name.");
        }
        if (!trim(form.email()).matches(EMAIL_PATTERN)) {
            problems.add("Enter a valid e-mail address.");
        }
        if (!trim(form.practitionerId()).matches(ID_PATTERN)
                || !trim(form.organizationId()).matches(ID_PATTERN)) {
            problems.add("Enter your Practitioner id and your organisation's id as the hospital gave them to you.");
        }
        if (!ROLES.contains(form.role())) {
            problems.add("Choose the role: clinician or office staff.");
        }
        Optional<UserAccount> sponsor =
                accounts.find(trim(form.sponsor()).toLowerCase(Locale.ROOT)).filter(PortalRoles::isSponsor);
        if (sponsor.isEmpty()) {
            problems.add("Name your sponsor at the hospital by their CareGate user name.");
        }
        passwordRules
                .problems(form.password(), form.confirmation(), username)
                .forEach(problem -> problems.add(messages.getMessage(problem, locale)));
        if (!problems.isEmpty()) {
            return problems;
        }
        jdbc.update(
                """
                INSERT INTO smart_auth.access_request (id, username, display_name, email, practitioner_id,
                    organization_id, role, sponsor, password_hash, status, requested_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'REQUESTED', ?)
                """,
                UUID.randomUUID().toString(),
                username,
                trim(form.displayName()),
                trim(form.email()),
                trim(form.practitionerId()),
                trim(form.organizationId()),
                form.role(),
                sponsor.get().username(),
                accounts.hashPassword(form.password()),
                Timestamp.from(clock.instant()));
        events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                org.caregate.smart.authserver.account.AccountEvent.Type.ACCESS_REQUESTED,
                username,
                null,
                "sponsor " + sponsor.get().username(),
                clock.instant()));
        return problems;
    }

    public List<AccessRequest> forSponsor(UserAccount sponsor) {
        return list("WHERE sponsor = ? AND status = 'REQUESTED'", sponsor.username());
    }

    public List<AccessRequest> forAdministrator() {
        return list("WHERE status IN ('SPONSORED', 'APPROVED')", null);
    }

    public void sponsor(UserAccount sponsor, String id, boolean sponsored) {
        requireRole(PortalRoles.isSponsor(sponsor));
        int updated = jdbc.update(
                "UPDATE smart_auth.access_request SET status = ?, sponsored_at = ?, decided_by = ?"
                        + " WHERE id = ? AND sponsor = ? AND status = 'REQUESTED'",
                sponsored ? "SPONSORED" : "DECLINED",
                Timestamp.from(clock.instant()),
                sponsor.username(),
                id,
                sponsor.username());
        requireUpdated(updated);
    }

    /** Approves a sponsored request: the account is created, suspended until the training is recorded. */
    public void approve(UserAccount administrator, String id, boolean approved) {
        requireRole(PortalRoles.isCareGateAdmin(administrator));
        AccessRequest request = list("WHERE id = ? AND status = 'SPONSORED'", id).stream()
                .findFirst()
                .orElseThrow(() -> PortalRefusal.notFound("No such request", "No sponsored request " + id + "."));
        if (!approved) {
            jdbc.update(
                    "UPDATE smart_auth.access_request SET status = 'DECLINED', decided_by = ? WHERE id = ?",
                    administrator.username(),
                    id);
            return;
        }
        String hash = jdbc.queryForObject(
                "SELECT password_hash FROM smart_auth.access_request WHERE id = ?", String.class, id);
        if (!accounts.createSuspended(
                request.username(),
                hash,
                request.displayName(),
                "Practitioner/" + request.practitionerId(),
                UserKind.PRACTITIONER,
                request.organizationId(),
                Set.of(request.role()),
                request.email())) {
            throw PortalRefusal.badRequest("User name taken", "An account '" + request.username() + "' exists.");
        }
        jdbc.update(
                "UPDATE smart_auth.access_request SET status = 'APPROVED', approved_at = ?, approved_by = ?"
                        + " WHERE id = ?",
                Timestamp.from(clock.instant()),
                administrator.username(),
                id);
        events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                org.caregate.smart.authserver.account.AccountEvent.Type.ACCOUNT_CREATED,
                request.username(),
                administrator.username(),
                "access request approved; active after training",
                clock.instant()));
    }

    /** The training is complete: the account is active from 00:00 tomorrow (facility time zone). */
    public Instant recordTraining(UserAccount administrator, String id) {
        requireRole(PortalRoles.isCareGateAdmin(administrator));
        AccessRequest request = list("WHERE id = ? AND status = 'APPROVED'", id).stream()
                .findFirst()
                .orElseThrow(() -> PortalRefusal.notFound("No such request", "No approved request " + id + "."));
        Instant activeFrom = LocalDate.now(clock.withZone(zone))
                .plusDays(1)
                .atStartOfDay(zone)
                .toInstant();
        accounts.setActivatesAt(request.username(), activeFrom);
        jdbc.update(
                "UPDATE smart_auth.access_request SET status = 'TRAINED', trained_at = ? WHERE id = ?",
                Timestamp.from(clock.instant()),
                id);
        events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                org.caregate.smart.authserver.account.AccountEvent.Type.ACCOUNT_ACTIVATED,
                request.username(),
                administrator.username(),
                "training complete; active from " + activeFrom,
                clock.instant()));
        return activeFrom;
    }

    public Optional<AccessRequest> requestFor(String username) {
        return list("WHERE username = ?", username).stream().findFirst();
    }

    private List<AccessRequest> list(String where, String argument) {
        String sql = "SELECT id, username, display_name, email, practitioner_id, organization_id, role, sponsor,"
                + " status, requested_at, trained_at FROM smart_auth.access_request " + where
                + " ORDER BY requested_at";
        org.springframework.jdbc.core.RowMapper<AccessRequest> mapper = (rs, row) -> new AccessRequest(
                rs.getString("id"),
                rs.getString("username"),
                rs.getString("display_name"),
                rs.getString("email"),
                rs.getString("practitioner_id"),
                rs.getString("organization_id"),
                rs.getString("role"),
                rs.getString("sponsor"),
                rs.getString("status"),
                rs.getTimestamp("requested_at").toInstant(),
                rs.getTimestamp("trained_at") == null
                        ? null
                        : rs.getTimestamp("trained_at").toInstant());
        return argument == null ? jdbc.query(sql, mapper) : jdbc.query(sql, mapper, argument);
    }

    private static void requireRole(boolean allowed) {
        if (!allowed) {
            throw PortalRefusal.forbidden("Not allowed", "Your account's roles do not allow this.");
        }
    }

    private static void requireUpdated(int updated) {
        if (updated != 1) {
            throw PortalRefusal.notFound("No such request", "The request is not waiting for you.");
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.strip();
    }
}
