package org.caregate.server.portal.admin;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.caregate.server.portal.PortalRoles;
import org.caregate.smart.authserver.account.AccountAuthorizations;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.user.UserKind;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The 90-day site audit: every {@link #PERIOD} a site administrator reviews each staff account of their organisation
 * and attests on the staff page. The period counts from the last attestation (at first, from the organisation's
 * oldest account). From {@link #REMINDER} before it is due the page reminds the administrators; when it is
 * {@link #GRACE} overdue, the organisation's active staff accounts other than its site administrators (who must
 * still be able to attest) are suspended, and their tokens revoked, until an administrator reactivates them.
 */
@Service
public class SiteAccessReview {

    public static final Duration PERIOD = Duration.ofDays(90);
    public static final Duration GRACE = Duration.ofDays(14);
    public static final Duration REMINDER = Duration.ofDays(14);

    private final JdbcTemplate jdbc;
    private final UserAccountService accounts;
    private final AccountAuthorizations authorizations;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    public SiteAccessReview(
            org.springframework.context.ApplicationEventPublisher events,
            DataSource dataSource,
            UserAccountService accounts,
            AccountAuthorizations authorizations,
            Clock clock) {
        this.events = events;
        this.jdbc = new JdbcTemplate(dataSource);
        this.accounts = accounts;
        this.authorizations = authorizations;
        this.clock = clock;
    }

    /**
     * Where the organisation's review stands now.
     *
     * @param lastAttested when an administrator last attested (empty: never)
     * @param dueAt        when the next attestation is due
     * @param suspendAt    when the staff accounts are suspended without one
     * @param remind       whether the page should remind the administrators now
     * @param overdue      whether it is past due
     */
    public record Status(
            Optional<Instant> lastAttested,
            Optional<String> attestedBy,
            Instant dueAt,
            Instant suspendAt,
            boolean remind,
            boolean overdue) {}

    public Status status(String organizationId) {
        Instant now = clock.instant();
        List<Object[]> rows = jdbc.query(
                "SELECT attested_at, attested_by FROM smart_auth.site_access_review" + " WHERE organization_id = ?",
                (rs, row) -> new Object[] {rs.getTimestamp(1).toInstant(), rs.getString(2)},
                organizationId);
        Optional<Instant> attested = rows.stream().findFirst().map(row -> (Instant) row[0]);
        Optional<String> by = rows.stream().findFirst().map(row -> (String) row[1]);
        Instant start = attested.orElseGet(() -> oldestAccount(organizationId).orElse(now));
        Instant due = start.plus(PERIOD);
        return new Status(attested, by, due, due.plus(GRACE), !now.isBefore(due.minus(REMINDER)), now.isAfter(due));
    }

    /** The administrator attests that they have reviewed every staff account's access; the period starts again. */
    public void attest(UserAccount admin) {
        if (!PortalRoles.isSiteAdmin(admin)) {
            throw new IllegalArgumentException("site administrators only");
        }
        jdbc.update("""
                INSERT INTO smart_auth.site_access_review (organization_id, attested_at, attested_by)
                VALUES (?, ?, ?) ON CONFLICT (organization_id) DO UPDATE SET attested_at = excluded.attested_at,
                    attested_by = excluded.attested_by
                """, admin.organizationId(), Timestamp.from(clock.instant()), admin.username());
        events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                org.caregate.smart.authserver.account.AccountEvent.Type.ACCESS_REVIEW_ATTESTED,
                admin.username(),
                null,
                "90-day access review of " + admin.organizationId(),
                clock.instant()));
    }

    /** Suspends the staff of the organisation if its review is past the grace period; returns whom. */
    public List<String> suspendIfOverdue(String organizationId) {
        Status status = status(organizationId);
        List<String> suspended = new ArrayList<>();
        if (clock.instant().isBefore(status.suspendAt())) {
            return suspended;
        }
        for (UserAccount account : accounts.findAll()) {
            if (account.kind() == UserKind.PRACTITIONER
                    && organizationId.equals(account.organizationId())
                    && account.isActive()
                    && !PortalRoles.isSiteAdmin(account)) {
                accounts.suspend(account.username());
                authorizations.revokeAll(account.username());
                events.publishEvent(org.caregate.smart.authserver.account.AccountEvent.of(
                        org.caregate.smart.authserver.account.AccountEvent.Type.ACCOUNT_SUSPENDED,
                        account.username(),
                        null,
                        "90-day access review overdue",
                        clock.instant()));
                suspended.add(account.username());
            }
        }
        return suspended;
    }

    /** Every organisation with staff accounts: the check a background task runs. */
    public List<String> suspendOverdue() {
        List<String> suspended = new ArrayList<>();
        accounts.findAll().stream()
                .filter(a -> a.kind() == UserKind.PRACTITIONER && a.organizationId() != null)
                .map(UserAccount::organizationId)
                .distinct()
                .forEach(organizationId -> suspended.addAll(suspendIfOverdue(organizationId)));
        return suspended;
    }

    private Optional<Instant> oldestAccount(String organizationId) {
        return accounts.findAll().stream()
                .filter(a -> a.kind() == UserKind.PRACTITIONER && organizationId.equals(a.organizationId()))
                .map(UserAccount::createdAt)
                .filter(java.util.Objects::nonNull)
                .min(Instant::compareTo);
    }
}
