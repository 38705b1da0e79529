package org.caregate.server.portal.patients;

/**
 * An app the portal offers to launch: configured in {@code caregate.portal.apps}, or registered for EHR launch and
 * approved by a CareGate administrator.
 *
 * @param clientId  the registered client id
 * @param name      the name to show
 * @param launchUrl the app's absolute launch URL
 */
public record LaunchableApp(String clientId, String name, String launchUrl) {}
