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
            + " created_at, updated_at";

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
    public UserAccount createOrUpdate(String username, String rawPassword, String displayName, String fhirUser,
            UserKind kind, String organizationId, Set<String> roles, UserStatus status) {
        requireText(username, "username");
        requireText(rawPassword, "rawPassword");
        requireText(displayName, "displayName");
        requireText(fhirUser, "fhirUser");
        if (!fhirUser.startsWith(kind.resourceType() + "/")) {
            throw new IllegalArgumentException("fhirUser " + fhirUser + " is not a " + kind.resourceType());
        }
        Timestamp now = Timestamp.from(clock.instant());
        String[] roleArray = (roles == null ? Set.<String>of() : roles).stream().sorted().toArray(String[]::new);
        String existingHash = jdbc.query("SELECT password_hash FROM smart_auth.user_account WHERE username = ?",
                rs -> rs.next() ? rs.getString(1) : null, username);
        String hash = existingHash != null && passwordEncoder.matches(rawPassword, existingHash)
                && !passwordEncoder.upgradeEncoding(existingHash) ? existingHash : passwordEncoder.encode(rawPassword);
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
        List<UserAccount> accounts = jdbc.query("SELECT " + COLUMNS + " FROM smart_auth.user_account WHERE username = ?",
                UserAccountService::map, username);
        return accounts.stream().findFirst();
    }

    /** The accounts whose {@code fhirUser} is {@code fhirUser} (normally at most one). */
    public List<UserAccount> findByFhirUser(String fhirUser) {
        return jdbc.query("SELECT " + COLUMNS + " FROM smart_auth.user_account WHERE fhir_user = ? ORDER BY username",
                UserAccountService::map, fhirUser);
    }

    public List<UserAccount> findAll() {
        return jdbc.query("SELECT " + COLUMNS + " FROM smart_auth.user_account ORDER BY username",
                UserAccountService::map);
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

    public boolean setStatus(String username, UserStatus status) {
        return jdbc.update("UPDATE smart_auth.user_account SET status = ?, updated_at = ? WHERE username = ?",
                status.name(), Timestamp.from(clock.instant()), username) > 0;
    }

    /** The stored password hash, for the login only. */
    Optional<String> passwordHash(String username) {
        return jdbc.query("SELECT password_hash FROM smart_auth.user_account WHERE username = ?",
                rs -> rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty(), username);
    }

    private static UserAccount map(ResultSet rs, int row) throws SQLException {
        Array roles = rs.getArray("roles");
        Set<String> roleSet = roles == null ? Set.of() : new LinkedHashSet<>(Arrays.asList((String[]) roles.getArray()));
        return new UserAccount(rs.getString("username"), rs.getString("display_name"), rs.getString("fhir_user"),
                UserKind.valueOf(rs.getString("kind")), rs.getString("organization_id"), roleSet,
                UserStatus.valueOf(rs.getString("status")), instant(rs.getTimestamp("created_at")),
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
