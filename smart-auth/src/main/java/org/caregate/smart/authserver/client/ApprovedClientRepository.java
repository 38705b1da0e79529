package org.caregate.smart.authserver.client;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The registered clients as the authorization, token, introspection and revocation endpoints see them: a client
 * that is not approved (pending review, disabled, deleted) is unknown there, so SAS answers {@code invalid_client}
 * at the token endpoint and refuses the authorization request. Costs one indexed query per look-up.
 */
final class ApprovedClientRepository implements RegisteredClientRepository {

    private final RegisteredClientRepository clients;
    private final ClientRegistry registry;

    ApprovedClientRepository(RegisteredClientRepository clients, ClientRegistry registry) {
        this.clients = clients;
        this.registry = registry;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        clients.save(registeredClient);
    }

    @Override
    public RegisteredClient findById(String id) {
        return approved(clients.findById(id));
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return approved(clients.findByClientId(clientId));
    }

    private RegisteredClient approved(RegisteredClient client) {
        return client != null && registry.isApproved(client.getClientId()) ? client : null;
    }
}
