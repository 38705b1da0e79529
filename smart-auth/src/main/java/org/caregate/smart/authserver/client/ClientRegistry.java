package org.caregate.smart.authserver.client;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.caregate.smart.authserver.token.RevokedAccessTokens;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every registered client with its review status ({@code smart_auth.client_registration}) beside Spring
 * Authorization Server's {@code oauth2_registered_client}. This is the one place that changes a client's status:
 * approving, disabling and deleting also tell {@link RevokedAccessTokens}, so the FHIR server refuses a disabled
 * client's tokens from its next request on (this node at once, the others within their revocation refresh).
 *
 * <p>The authorization server's endpoints see only approved clients ({@link #approvedClients()}); the
 * administration page and RFC 7592 management read every client through this class.
 */
public class ClientRegistry {

    /** {@code registered_by} of clients set up by the operator (example clients, configuration). */
    public static final String OPERATOR = "operator";

    private static final String COLUMNS = "client_id, status, launch_types, launch_uri, contacts, registered_by,"
            + " created_at, updated_at, reviewed_by, reviewed_at";

    private final JdbcTemplate jdbc;
    private final RegisteredClientRepository clients;
    private final RevokedAccessTokens revokedAccessTokens;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final OAuth2AuthorizationService authorizations;

    public ClientRegistry(
            JdbcTemplate jdbc,
            RegisteredClientRepository clients,
            RevokedAccessTokens revokedAccessTokens,
            Clock clock,
            TransactionTemplate transactions,
            OAuth2AuthorizationService authorizations) {
        this.authorizations = authorizations;
        this.jdbc = jdbc;
        this.clients = clients;
        this.revokedAccessTokens = revokedAccessTokens;
        this.clock = clock;
        this.transactions = transactions;
    }

    /** A client and its registration. */
    public record Entry(RegisteredClient client, ClientRegistration registration) {}

    /** The repository SAS's endpoints use: a client that is not approved does not exist for them. */
    public RegisteredClientRepository approvedClients() {
        return new ApprovedClientRepository(clients, this);
    }

    /** Registers (or replaces) a client set up by the operator: approved, for EHR and standalone launch if a user app. */
    public void saveApproved(RegisteredClient client, Set<LaunchType> launchTypes, String launchUri) {
        save(client, launchTypes, launchUri, List.of(), OPERATOR, ClientStatus.APPROVED, null);
    }

    /**
     * Stores a new client or new metadata of an existing one, with the status given (its review fields are set
     * when the status is approved by {@code registeredBy}, an administrator).
     *
     * @param registrationTokenHash the hash of its RFC 7592 registration access token, or null to keep the current
     */
    public void save(
            RegisteredClient client,
            Set<LaunchType> launchTypes,
            String launchUri,
            List<String> contacts,
            String registeredBy,
            ClientStatus status,
            String registrationTokenHash) {
        Timestamp now = Timestamp.from(clock.instant());
        boolean reviewed =
                status == ClientStatus.APPROVED && !OPERATOR.equals(registeredBy) && !"api".equals(registeredBy);
        transactions.executeWithoutResult(tx -> {
            clients.save(client);
            jdbc.update(connection -> {
                var statement = connection.prepareStatement("""
                        INSERT INTO smart_auth.client_registration (client_id, status, launch_types, launch_uri,
                            contacts, registered_by, registration_token_hash, created_at, updated_at, reviewed_by,
                            reviewed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (client_id) DO UPDATE SET status = excluded.status,
                            launch_types = excluded.launch_types, launch_uri = excluded.launch_uri,
                            contacts = excluded.contacts, updated_at = excluded.updated_at,
                            registration_token_hash = coalesce(excluded.registration_token_hash,
                                client_registration.registration_token_hash)
                        """);
                statement.setString(1, client.getClientId());
                statement.setString(2, status.name());
                statement.setArray(
                        3,
                        connection.createArrayOf(
                                "text",
                                launchTypes.stream()
                                        .map(LaunchType::value)
                                        .sorted()
                                        .toArray()));
                statement.setString(4, launchUri);
                statement.setArray(5, connection.createArrayOf("text", contacts.toArray()));
                statement.setString(6, registeredBy);
                statement.setString(7, registrationTokenHash);
                statement.setTimestamp(8, now);
                statement.setTimestamp(9, now);
                statement.setString(10, reviewed ? registeredBy : null);
                statement.setTimestamp(11, reviewed ? now : null);
                return statement;
            });
        });
    }

    public Optional<ClientRegistration> find(String clientId) {
        if (clientId == null) {
            return Optional.empty();
        }
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM smart_auth.client_registration WHERE client_id = ?",
                        (rs, row) -> registration(rs),
                        clientId)
                .stream()
                .findFirst();
    }

    /** The client as SAS stores it, whatever its status; empty when deleted. */
    public Optional<Entry> entry(String clientId) {
        return find(clientId)
                .filter(registration -> registration.status() != ClientStatus.DELETED)
                .flatMap(registration -> Optional.ofNullable(clients.findByClientId(clientId))
                        .map(client -> new Entry(client, registration)));
    }

    public boolean isApproved(String clientId) {
        return Boolean.TRUE.equals(jdbc.query(
                "SELECT status = 'APPROVED' FROM smart_auth.client_registration WHERE client_id = ?",
                rs -> rs.next() && rs.getBoolean(1),
                clientId));
    }

    /** Every client but the deleted ones, pending first, then by name. */
    public List<Entry> list() {
        return jdbc
                .query(
                        "SELECT " + COLUMNS + " FROM smart_auth.client_registration WHERE status <> 'DELETED'"
                                + " ORDER BY status <> 'PENDING', created_at",
                        (rs, row) -> registration(rs))
                .stream()
                .map(registration -> Optional.ofNullable(clients.findByClientId(registration.clientId()))
                        .map(client -> new Entry(client, registration)))
                .flatMap(Optional::stream)
                .toList();
    }

    /** Approved clients registered for EHR launch with a launch URI, for the provider portal. */
    public List<Entry> ehrLaunchable() {
        return list().stream()
                .filter(entry -> entry.registration().isApproved()
                        && entry.registration().isEhrLaunchable())
                .toList();
    }

    /** Approves a pending or disabled client. */
    public void approve(String clientId, String administrator) {
        review(
                clientId,
                administrator,
                ClientStatus.APPROVED,
                EnumSet.of(ClientStatus.PENDING, ClientStatus.DISABLED),
                false);
        revokedAccessTokens.reloadNow();
    }

    /** Disables a client: its access tokens are refused at once, its refresh tokens and logins with it end. */
    public void disable(String clientId, String administrator) {
        review(
                clientId,
                administrator,
                ClientStatus.DISABLED,
                EnumSet.of(ClientStatus.PENDING, ClientStatus.APPROVED),
                true);
        revokeHeldAccessTokens(clientId);
        revokedAccessTokens.reloadNow();
    }

    /** The client's unexpired access tokens that SAS still holds, revoked one by one (by {@code jti}). */
    private void revokeHeldAccessTokens(String clientId) {
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null) {
            return;
        }
        List<String> ids = jdbc.queryForList("""
                SELECT id FROM smart_auth.oauth2_authorization
                WHERE registered_client_id = ? AND access_token_expires_at > ?
                """, String.class, client.getId(), Timestamp.from(clock.instant()));
        for (String id : ids) {
            OAuth2Authorization authorization = authorizations.findById(id);
            OAuth2Authorization.Token<OAuth2AccessToken> token =
                    authorization == null ? null : authorization.getAccessToken();
            Object jti = token == null || token.getClaims() == null
                    ? null
                    : token.getClaims().get("jti");
            if (jti != null && token.getToken().getExpiresAt() != null) {
                revokedAccessTokens.revoke(
                        jti.toString(), clientId, token.getToken().getExpiresAt());
            }
        }
    }

    /**
     * RFC 7592 section 2.3: the client is gone for good. Its SAS row, authorizations and consents are removed; the
     * registration stays (status deleted) so that its tokens stay refused until they expire.
     */
    public void delete(String clientId) {
        RegisteredClient client = clients.findByClientId(clientId);
        Timestamp now = Timestamp.from(clock.instant());
        transactions.executeWithoutResult(tx -> {
            jdbc.update("""
                    UPDATE smart_auth.client_registration SET status = 'DELETED', updated_at = ?,
                        tokens_valid_after = ?, registration_token_hash = NULL WHERE client_id = ?
                    """, now, now, clientId);
            if (client != null) {
                jdbc.update(
                        "DELETE FROM smart_auth.oauth2_authorization WHERE registered_client_id = ?", client.getId());
                jdbc.update(
                        "DELETE FROM smart_auth.oauth2_authorization_consent WHERE registered_client_id = ?",
                        client.getId());
                jdbc.update("DELETE FROM smart_auth.oauth2_registered_client WHERE id = ?", client.getId());
            }
        });
        revokedAccessTokens.reloadNow();
    }

    /** Whether {@code tokenHash} is the hash of this client's registration access token (RFC 7592). */
    public boolean registrationTokenMatches(String clientId, String tokenHash) {
        return Boolean.TRUE.equals(jdbc.query("""
                SELECT registration_token_hash = ? FROM smart_auth.client_registration
                WHERE client_id = ? AND status <> 'DELETED'
                """, rs -> rs.next() && rs.getBoolean(1), tokenHash, clientId));
    }

    /** Replaces the client's secret hash (the caller generated and shows the secret once). */
    public void replaceSecret(String clientId, String encodedSecret) {
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null || client.getClientSecret() == null) {
            throw new IllegalStateException("client " + clientId + " has no client secret");
        }
        clients.save(RegisteredClient.from(client).clientSecret(encodedSecret).build());
        jdbc.update(
                "UPDATE smart_auth.client_registration SET updated_at = ? WHERE client_id = ?",
                Timestamp.from(clock.instant()),
                clientId);
    }

    private void review(
            String clientId, String administrator, ClientStatus to, Set<ClientStatus> from, boolean cutTokens) {
        Timestamp now = Timestamp.from(clock.instant());
        String fromStatuses =
                from.stream().map(status -> "'" + status.name() + "'").collect(Collectors.joining(", "));
        int updated = jdbc.update(
                "UPDATE smart_auth.client_registration SET status = ?, reviewed_by = ?,"
                        + " reviewed_at = ?, updated_at = ?"
                        + (cutTokens ? ", tokens_valid_after = ?" : "")
                        + " WHERE client_id = ? AND status IN (" + fromStatuses + ")",
                cutTokens
                        ? new Object[] {to.name(), administrator, now, now, now, clientId}
                        : new Object[] {to.name(), administrator, now, now, clientId});
        if (updated != 1) {
            ClientStatus current =
                    find(clientId).map(ClientRegistration::status).orElse(null);
            throw new IllegalStateException(
                    current == null
                            ? "no client " + clientId
                            : "client " + clientId + " is " + current.name().toLowerCase() + ": it cannot become "
                                    + to.name().toLowerCase());
        }
    }

    private static ClientRegistration registration(ResultSet rs) throws SQLException {
        Set<LaunchType> launchTypes = Arrays.stream(strings(rs.getArray("launch_types")))
                .map(LaunchType::of)
                .flatMap(Optional::stream)
                .collect(Collectors.toUnmodifiableSet());
        return new ClientRegistration(
                rs.getString("client_id"),
                ClientStatus.valueOf(rs.getString("status")),
                launchTypes,
                rs.getString("launch_uri"),
                List.of(strings(rs.getArray("contacts"))),
                rs.getString("registered_by"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")),
                rs.getString("reviewed_by"),
                instant(rs.getTimestamp("reviewed_at")));
    }

    private static String[] strings(Array array) throws SQLException {
        return array == null ? new String[0] : (String[]) array.getArray();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
