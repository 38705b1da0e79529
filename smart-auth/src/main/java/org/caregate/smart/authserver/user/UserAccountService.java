package org.caregate.smart.authserver.user;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The user accounts, in {@code smart_auth.user_account}. The server's seed loader calls {@link #createOrUpdate} for
 * each persona at startup; site administration calls {@link #terminate}, {@link #suspend} and {@link #activate}.
 *
 * <p>Passwords are hashed with the delegating encoder ({@code {bcrypt}...}); a hash is only recomputed when the
 * password changes, so calling {@code createOrUpdate} on every start costs one verification per account.
 */
public class UserAccountService {

    private static final String COLUMNS = "username, display_name, fhir_user, kind, organization_id, roles, status,"
            + " created_at, updated_at, termination_due_at, activates_at";

    private final JdbcTemplate jdbc;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;

    public UserAccountService(JdbcTemplate jdbc, PasswordEncoder passwordEncoder, Clock clock) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
    }

    /**
     * Creates the account, or updates every field of an existing one with the same username.
     *
     * @param rawPassword the password in clear (a documented development password for seed personas); stored hashed
     * @return the account as stored
     */
    public UserAccount createOrUpdate(
            String username,
            String rawPassword,
            String displayName,
            String fhirUser,
            UserKind kind,
            String organizationId,
            Set<String> roles,
            UserStatus status) {
        requireText(username, "username");
        requireText(rawPassword, "rawPassword");
        requireText(displayName, "displayName");
        requireText(fhirUser, "fhirUser");
        if (!fhirUser.startsWith(kind.resourceType() + "/")) {
            throw new IllegalArgumentException("fhirUser " + fhirUser + " is not a " + kind.resourceType());
        }
        Timestamp now = Timestamp.from(clock.instant());
        String[] roleArray =
                (roles == null ? Set.<String>of() : roles).stream().sorted().toArray(String[]::new);
        String existingHash = jdbc.query(
                "SELECT password_hash FROM smart_auth.user_account WHERE username = ?",
                rs -> rs.next() ? rs.getString(1) : null,
                username);
        String hash = existingHash != null
                        && passwordEncoder.matches(rawPassword, existingHash)
                        && !passwordEncoder.upgradeEncoding(existingHash)
                ? existingHash
                : passwordEncoder.encode(rawPassword);
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("""
                    INSERT INTO smart_auth.user_account (username, password_hash, display_name, fhir_user, kind,
                        organization_id, roles, status, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash,
                        display_name = excluded.display_name, fhir_user = excluded.fhir_user, kind = excluded.kind,
                        organization_id = excluded.organization_id, roles = excluded.roles, status = excluded.status,
                        updated_at = excluded.updated_at
                    """);
            statement.setString(1, username);
            statement.setString(2, hash);
            statement.setString(3, displayName);
            statement.setString(4, fhirUser);
            statement.setString(5, kind.name());
            statement.setString(6, organizationId);
            statement.setArray(7, connection.createArrayOf("text", roleArray));
            statement.setString(8, status.name());
            statement.setTimestamp(9, now);
            statement.setTimestamp(10, now);
            return statement;
        });
        return find(username).orElseThrow();
    }

    public Optional<UserAccount> find(String username) {
        List<UserAccount> accounts = jdbc.query(
                "SELECT " + COLUMNS + " FROM smart_auth.user_account WHERE username = ?", this::map, username);
        return accounts.stream().findFirst();
    }

    /** The accounts whose {@code fhirUser} is {@code fhirUser} (normally at most one). */
    public List<UserAccount> findByFhirUser(String fhirUser) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM smart_auth.user_account WHERE fhir_user = ? ORDER BY username",
                this::map,
                fhirUser);
    }

    public List<UserAccount> findAll() {
        return jdbc.query("SELECT " + COLUMNS + " FROM smart_auth.user_account ORDER BY username", this::map);
    }

    /** Ends the account's access for good: no more logins, token issues or refreshes. */
    public boolean terminate(String username) {
        return setStatus(username, UserStatus.TERMINATED);
    }

    public boolean suspend(String username) {
        return setStatus(username, UserStatus.SUSPENDED);
    }

    public boolean activate(String username) {
        return setStatus(username, UserStatus.ACTIVE);
    }

    /** Sets the status as of now: a planned activation or termination is dropped (the decision is made now). */
    public boolean setStatus(String username, UserStatus status) {
        return jdbc.update(
                        "UPDATE smart_auth.user_account SET status = ?, updated_at = ?, activates_at = NULL,"
                                + " termination_due_at = NULL WHERE username = ?",
                        status.name(),
                        Timestamp.from(clock.instant()),
                        username)
                > 0;
    }

    /**
     * Creates a new account; unlike {@link #createOrUpdate} it never touches an existing one: user names are unique
     * and, since accounts are terminated rather than deleted, never reused.
     *
     * @return false when the user name is taken
     */
    public boolean create(
            String username,
            String rawPassword,
            String displayName,
            String fhirUser,
            UserKind kind,
            String organizationId,
            Set<String> roles,
            String email) {
        requireText(username, "username");
        requireText(rawPassword, "rawPassword");
        requireText(displayName, "displayName");
        if (!fhirUser.startsWith(kind.resourceType() + "/")) {
            throw new IllegalArgumentException("fhirUser " + fhirUser + " is not a " + kind.resourceType());
        }
        Timestamp now = Timestamp.from(clock.instant());
        String[] roleArray =
                (roles == null ? Set.<String>of() : roles).stream().sorted().toArray(String[]::new);
        String hash = passwordEncoder.encode(rawPassword);
        return jdbc.update(connection -> {
                    var statement = connection.prepareStatement("""
                    INSERT INTO smart_auth.user_account (username, password_hash, display_name, fhir_user, kind,
                        organization_id, roles, status, created_at, updated_at, email)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)
                    ON CONFLICT (username) DO NOTHING
                    """);
                    statement.setString(1, username);
                    statement.setString(2, hash);
                    statement.setString(3, displayName);
                    statement.setString(4, fhirUser);
                    statement.setString(5, kind.name());
                    statement.setString(6, organizationId);
                    statement.setArray(7, connection.createArrayOf("text", roleArray));
                    statement.setTimestamp(8, now);
                    statement.setTimestamp(9, now);
                    statement.setString(10, email);
                    return statement;
                })
                == 1;
    }

    /** Whether {@code username} is taken, in any letter case. */
    public boolean exists(String username) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM smart_auth.user_account WHERE lower(username) = lower(?))",
                Boolean.class,
                username));
    }

    public void changePassword(String username, String rawPassword) {
        requireText(rawPassword, "rawPassword");
        jdbc.update(
                "UPDATE smart_auth.user_account SET password_hash = ?, updated_at = ? WHERE username = ?",
                passwordEncoder.encode(rawPassword),
                Timestamp.from(clock.instant()),
                username);
    }

    /** Whether {@code rawPassword} is the account's password (for re-authentication on account pages). */
    public boolean passwordMatches(String username, String rawPassword) {
        return rawPassword != null
                && passwordHash(username)
                        .map(hash -> passwordEncoder.matches(rawPassword, hash))
                        .orElse(false);
    }

    public Optional<String> email(String username) {
        return jdbc.query(
                "SELECT email FROM smart_auth.user_account WHERE username = ?",
                rs -> rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty(),
                username);
    }

    public void setEmail(String username, String email) {
        jdbc.update(
                "UPDATE smart_auth.user_account SET email = ?, updated_at = ? WHERE username = ?",
                email,
                Timestamp.from(clock.instant()),
                username);
    }

    /** The accounts with this e-mail address (any letter case). */
    public List<UserAccount> findByEmail(String email) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM smart_auth.user_account WHERE lower(email) = lower(?)"
                        + " ORDER BY username",
                this::map,
                email);
    }

    /** The RFC 6238 secret (base32) of an enrolled account. */
    public Optional<String> totpSecret(String username) {
        return jdbc.query(
                "SELECT totp_secret FROM smart_auth.user_account WHERE username = ?",
                rs -> rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty(),
                username);
    }

    /** Enrols the account in TOTP: its secret and the hashes of its recovery codes (each usable once). */
    public void enrolTotp(String username, String base32Secret, List<String> recoveryCodeHashes) {
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("""
                    UPDATE smart_auth.user_account SET totp_secret = ?, recovery_code_hashes = ?, updated_at = ?
                    WHERE username = ?
                    """);
            statement.setString(1, base32Secret);
            statement.setArray(2, connection.createArrayOf("text", recoveryCodeHashes.toArray(String[]::new)));
            statement.setTimestamp(3, Timestamp.from(clock.instant()));
            statement.setString(4, username);
            return statement;
        });
    }

    /** Accepts a TOTP time step once: false when this step (or a later one) was already used. */
    public boolean acceptTotpStep(String username, long step) {
        return jdbc.update("""
                UPDATE smart_auth.user_account SET totp_last_step = ?
                WHERE username = ? AND (totp_last_step IS NULL OR totp_last_step < ?)
                """, step, username, step) == 1;
    }

    public boolean isMfaExempt(String username) {
        return Boolean.TRUE.equals(jdbc.query(
                "SELECT mfa_exempt FROM smart_auth.user_account WHERE username = ?",
                rs -> rs.next() && rs.getBoolean(1),
                username));
    }

    /** Marks a development persona as not asked for a TOTP code until it enrols (seed data only). */
    public void setMfaExempt(String username, boolean exempt) {
        jdbc.update("UPDATE smart_auth.user_account SET mfa_exempt = ? WHERE username = ?", exempt, username);
    }

    /** Uses one recovery code (by its hash): true once per code. */
    public boolean useRecoveryCode(String username, String recoveryCodeHash) {
        return jdbc.update("""
                UPDATE smart_auth.user_account SET recovery_code_hashes = array_remove(recovery_code_hashes, ?),
                    updated_at = ?
                WHERE username = ? AND ? = ANY (recovery_code_hashes)
                """, recoveryCodeHash, Timestamp.from(clock.instant()), username, recoveryCodeHash) == 1;
    }

    public int recoveryCodesLeft(String username) {
        Integer left = jdbc.queryForObject(
                "SELECT coalesce(array_length(recovery_code_hashes, 1), 0)"
                        + " FROM smart_auth.user_account WHERE username = ?",
                Integer.class,
                username);
        return left == null ? 0 : left;
    }

    /**
     * Creates a suspended account with an already hashed password (an approved access request), that becomes active
     * at {@code activatesAt} ({@link #setActivatesAt}); false when the user name is taken.
     */
    public boolean createSuspended(
            String username,
            String passwordHash,
            String displayName,
            String fhirUser,
            UserKind kind,
            String organizationId,
            Set<String> roles,
            String email) {
        Timestamp now = Timestamp.from(clock.instant());
        String[] roleArray =
                (roles == null ? Set.<String>of() : roles).stream().sorted().toArray(String[]::new);
        return jdbc.update(connection -> {
                    var statement = connection.prepareStatement("""
                    INSERT INTO smart_auth.user_account (username, password_hash, display_name, fhir_user, kind,
                        organization_id, roles, status, created_at, updated_at, email)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'SUSPENDED', ?, ?, ?)
                    ON CONFLICT (username) DO NOTHING
                    """);
                    statement.setString(1, username);
                    statement.setString(2, passwordHash);
                    statement.setString(3, displayName);
                    statement.setString(4, fhirUser);
                    statement.setString(5, kind.name());
                    statement.setString(6, organizationId);
                    statement.setArray(7, connection.createArrayOf("text", roleArray));
                    statement.setTimestamp(8, now);
                    statement.setTimestamp(9, now);
                    statement.setString(10, email);
                    return statement;
                })
                == 1;
    }

    /** A suspended account reads as active from {@code activatesAt} on (the day after its training). */
    public void setActivatesAt(String username, Instant activatesAt) {
        jdbc.update(
                "UPDATE smart_auth.user_account SET activates_at = ?, updated_at = ? WHERE username = ?",
                Timestamp.from(activatesAt),
                Timestamp.from(clock.instant()),
                username);
    }

    /** The password hash for a new secret typed by a person (e.g. an access request kept until approval). */
    public String hashPassword(String rawPassword) {
        requireText(rawPassword, "rawPassword");
        return passwordEncoder.encode(rawPassword);
    }

    /** Plans a voluntary termination for {@code dueAt} (null cancels it); the account stays active until then. */
    public void setTerminationDue(String username, Instant dueAt) {
        jdbc.update(
                "UPDATE smart_auth.user_account SET termination_due_at = ?, updated_at = ? WHERE username = ?",
                dueAt == null ? null : Timestamp.from(dueAt),
                Timestamp.from(clock.instant()),
                username);
    }

    public Optional<Instant> terminationDue(String username) {
        return jdbc.query(
                "SELECT termination_due_at FROM smart_auth.user_account WHERE username = ?",
                rs -> rs.next() && rs.getTimestamp(1) != null
                        ? Optional.of(rs.getTimestamp(1).toInstant())
                        : Optional.<Instant>empty(),
                username);
    }

    /** Active accounts whose planned termination is due at {@code now}. */
    public List<String> terminationsDue(Instant now) {
        return jdbc.queryForList(
                "SELECT username FROM smart_auth.user_account WHERE status = 'ACTIVE'"
                        + " AND termination_due_at IS NOT NULL AND termination_due_at <= ? ORDER BY username",
                String.class,
                Timestamp.from(now));
    }

    /** The stored password hash, for the login only. */
    Optional<String> passwordHash(String username) {
        return jdbc.query(
                "SELECT password_hash FROM smart_auth.user_account WHERE username = ?",
                rs -> rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty(),
                username);
    }

    /** An active account whose planned (voluntary) termination is due reads as terminated from that instant. */
    private UserAccount map(ResultSet rs, int row) throws SQLException {
        Array roles = rs.getArray("roles");
        UserStatus status = UserStatus.valueOf(rs.getString("status"));
        Timestamp due = rs.getTimestamp("termination_due_at");
        if (status == UserStatus.ACTIVE && due != null && !due.toInstant().isAfter(clock.instant())) {
            status = UserStatus.TERMINATED;
        }
        Timestamp activates = rs.getTimestamp("activates_at");
        if (status == UserStatus.SUSPENDED
                && activates != null
                && !activates.toInstant().isAfter(clock.instant())) {
            status = UserStatus.ACTIVE;
        }
        Set<String> roleSet =
                roles == null ? Set.of() : new LinkedHashSet<>(Arrays.asList((String[]) roles.getArray()));
        return new UserAccount(
                rs.getString("username"),
                rs.getString("display_name"),
                rs.getString("fhir_user"),
                UserKind.valueOf(rs.getString("kind")),
                rs.getString("organization_id"),
                roleSet,
                status,
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
