package org.caregate.server.portal.patients;

import java.util.List;
import java.util.Optional;
import org.caregate.server.portal.PortalProperties;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

/**
 * The apps of {@code caregate.portal.apps} that can be launched now: registered with the authorization server, for
 * the authorization code grant, with the {@code launch} scope (SMART App Launch 2.2, "EHR launch"). Read from the
 * registered clients on every call, so a client removed from the authorization server disappears from the portal.
 */
@Component
public class LaunchableApps {

    static final String LAUNCH_SCOPE = "launch";

    private final PortalProperties properties;
    private final RegisteredClientRepository clients;
    private final SmartAuthUrls urls;

    public LaunchableApps(PortalProperties properties, RegisteredClientRepository clients, SmartAuthUrls urls) {
        this.properties = properties;
        this.clients = clients;
        this.urls = urls;
    }

    public List<LaunchableApp> all() {
        return properties.apps().stream().map(this::launchable).flatMap(Optional::stream).toList();
    }

    public Optional<LaunchableApp> find(String clientId) {
        return properties.apps().stream().filter(app -> app.clientId().equals(clientId)).findFirst()
                .flatMap(this::launchable);
    }

    private Optional<LaunchableApp> launchable(PortalProperties.App app) {
        RegisteredClient client = clients.findByClientId(app.clientId());
        if (client == null || !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.AUTHORIZATION_CODE)
                || !client.getScopes().contains(LAUNCH_SCOPE)) {
            return Optional.empty();
        }
        String name = app.name() == null || app.name().isBlank() ? client.getClientName() : app.name();
        String launchUrl = app.launchUrl().startsWith("/") ? urls.url(app.launchUrl()) : app.launchUrl();
        return Optional.of(new LaunchableApp(client.getClientId(), name, launchUrl));
    }
}
