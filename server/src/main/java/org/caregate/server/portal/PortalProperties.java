package org.caregate.server.portal;

import java.util.List;
import java.util.Objects;
import org.caregate.smart.authserver.client.ExampleClients;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the portal ({@code caregate.portal.*}).
 *
 * <p>Spring Authorization Server keeps no launch URL for a registered client, so the portal keeps its own list of
 * the apps it can launch: {@code caregate.portal.apps[n].client-id}, {@code .name} and {@code .launch-url}. An app
 * is offered only while its client id is also registered with the authorization server. Unset, the list holds the
 * example public app launched through the portal's built-in demo app ({@value #DEMO_APP_LAUNCH_PATH}).
 *
 * @param apps the launchable apps, in the order the portal shows them
 */
@ConfigurationProperties("caregate.portal")
public record PortalProperties(List<App> apps) {

    /** Launch URL of the built-in demo app (relative: resolved against {@code caregate.public-base-url}). */
    public static final String DEMO_APP_LAUNCH_PATH = "/portal/demo-app/launch";

    public PortalProperties {
        apps = apps == null
                ? List.of(new App(ExampleClients.PUBLIC_APP, "CareGate demo app", DEMO_APP_LAUNCH_PATH))
                : List.copyOf(apps);
    }

    /**
     * An app the portal may launch (SMART App Launch 2.2, "EHR launch").
     *
     * @param clientId  the registered client id, e.g. {@code caregate-public-app}
     * @param name      the name shown on the Launch button; the registered client name if blank
     * @param launchUrl where the browser goes with {@code iss} and {@code launch}: an absolute {@code https://} or
     *                  {@code http://} URL, or a path starting with {@code /} on this server
     */
    public record App(String clientId, String name, String launchUrl) {

        public App {
            Objects.requireNonNull(clientId, "caregate.portal.apps[].client-id is required");
            Objects.requireNonNull(launchUrl, "caregate.portal.apps[].launch-url is required");
            if (!launchUrl.startsWith("/") && !launchUrl.startsWith("https://") && !launchUrl.startsWith("http://")) {
                throw new IllegalArgumentException("caregate.portal.apps[].launch-url must be an http(s) URL or a path"
                        + " starting with '/': " + launchUrl);
            }
        }
    }
}
