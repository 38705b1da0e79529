package org.caregate.server.portal.patients;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.caregate.server.portal.PortalProperties;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.client.ClientRegistry;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

/**
 * The apps the provider portal can launch now (SMART App Launch 2.2, "EHR launch"): those of
 * {@code caregate.portal.apps}, then every client a CareGate administrator approved that is registered for EHR launch
 * with a launch URI, public and confidential alike. Each must be approved, registered for the authorization code
 * grant and the {@code launch} scope. Read from the registry on every call, so a client that is disabled or removed
 * disappears from the portal at once.
 */
@Component
public class LaunchableApps {

    static final String LAUNCH_SCOPE = "launch";

    private final PortalProperties properties;
    private final ClientRegistry registry;
    private final SmartAuthUrls urls;

    public LaunchableApps(PortalProperties properties, ClientRegistry registry, SmartAuthUrls urls) {
        this.properties = properties;
        this.registry = registry;
        this.urls = urls;
    }

    public List<LaunchableApp> all() {
        Map<String, LaunchableApp> apps = new LinkedHashMap<>();
        properties.apps().stream()
                .map(this::configured)
                .flatMap(Optional::stream)
                .forEach(app -> apps.putIfAbsent(app.clientId(), app));
        registry.ehrLaunchable().stream()
                .map(LaunchableApps::registered)
                .flatMap(Optional::stream)
                .forEach(app -> apps.putIfAbsent(app.clientId(), app));
        return List.copyOf(apps.values());
    }

    public Optional<LaunchableApp> find(String clientId) {
        return all().stream().filter(app -> app.clientId().equals(clientId)).findFirst();
    }

    private Optional<LaunchableApp> configured(PortalProperties.App app) {
        return registry.entry(app.clientId())
                .filter(entry -> entry.registration().isApproved() && canLaunch(entry.client()))
                .map(entry -> new LaunchableApp(
                        app.clientId(),
                        app.name() == null || app.name().isBlank()
                                ? entry.client().getClientName()
                                : app.name(),
                        app.launchUrl().startsWith("/") ? urls.url(app.launchUrl()) : app.launchUrl()));
    }

    private static Optional<LaunchableApp> registered(ClientRegistry.Entry entry) {
        return canLaunch(entry.client())
                ? Optional.of(new LaunchableApp(
                        entry.client().getClientId(),
                        entry.client().getClientName(),
                        entry.registration().launchUri()))
                : Optional.empty();
    }

    private static boolean canLaunch(RegisteredClient client) {
        return client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.AUTHORIZATION_CODE)
                && client.getScopes().contains(LAUNCH_SCOPE);
    }
}
