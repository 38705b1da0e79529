package org.caregate.smart.authserver.client;

import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * CareGate's own client settings, stored with SAS's in {@code oauth2_registered_client.client_settings}.
 */
public final class SmartClientSettings {

    /**
     * The Organization id a backend-services client acts for (e.g. {@code org-clinic-north}); issued in its access
     * tokens as the claim {@code organization}, so the FHIR server restricts it to that organisation's patients.
     */
    public static final String ORGANIZATION = "settings.client.caregate.organization";

    /**
     * The client's public keys as an inline JWK Set (JSON), for {@code private_key_jwt}; the alternative to SAS's
     * {@code jwk-set-url} setting. SMART App Launch 2.2 "Client Authentication: Asymmetric": "JWKS by value".
     */
    public static final String JWKS = "settings.client.caregate.jwks";

    private SmartClientSettings() {}

    public static String organization(ClientSettings settings) {
        Object value = settings.getSetting(ORGANIZATION);
        return value instanceof String text && !text.isBlank() ? text : null;
    }

    public static String inlineJwks(ClientSettings settings) {
        Object value = settings.getSetting(JWKS);
        return value instanceof String text && !text.isBlank() ? text : null;
    }
}
