package org.caregate.smart.authserver.discovery;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the three discovery documents (OpenID Connect Discovery 1.0 section 3, RFC 8414 section 2, and SMART App
 * Launch 2.2 {@code .well-known/smart-configuration}) say CareGate supports, in one place. Spring Authorization
 * Server's own metadata lists every grant and client authentication method it implements (device code, token
 * exchange, mutual-TLS client authentication, {@code client_secret_jwt}), none of which CareGate registers for any
 * client; {@link #customizer()} replaces those lists with what a client can really use and drops the device
 * authorization endpoint and the mutual-TLS token binding.
 */
public final class AdvertisedMetadata {

    public static final List<String> GRANT_TYPES = List.of("authorization_code", "refresh_token", "client_credentials");
    /** {@code none} is a public app with PKCE (SMART "client-public"). */
    public static final List<String> TOKEN_ENDPOINT_AUTH_METHODS =
            List.of("none", "client_secret_basic", "client_secret_post", "private_key_jwt");
    /** The two algorithms SMART App Launch 2.2 requires for client assertions ("Asymmetric (public key)"). */
    public static final List<String> CLIENT_ASSERTION_ALGORITHMS = List.of("RS384", "ES384");
    /** Introspection is for confidential clients only (public apps may revoke, RFC 7009 section 5). */
    public static final List<String> INTROSPECTION_AUTH_METHODS =
            List.of("client_secret_basic", "client_secret_post", "private_key_jwt");

    private static final List<String> NOT_OFFERED = List.of(
            "device_authorization_endpoint",
            "tls_client_certificate_bound_access_tokens",
            "dpop_signing_alg_values_supported",
            "authorization_details_types_supported",
            "require_pushed_authorization_requests",
            "pushed_authorization_request_endpoint");

    private AdvertisedMetadata() {}

    /**
     * Rewrites the claims of SAS's metadata builders ({@code OAuth2AuthorizationServerMetadata.Builder.claims},
     * {@code OidcProviderConfiguration.Builder.claims}).
     *
     * @param registrationEndpoint the RFC 7591 registration endpoint URL
     */
    public static Consumer<Map<String, Object>> customizer(String registrationEndpoint) {
        return claims -> {
            NOT_OFFERED.forEach(claims::remove);
            claims.put("grant_types_supported", GRANT_TYPES);
            claims.put("token_endpoint_auth_methods_supported", TOKEN_ENDPOINT_AUTH_METHODS);
            claims.put("token_endpoint_auth_signing_alg_values_supported", CLIENT_ASSERTION_ALGORITHMS);
            claims.put("revocation_endpoint_auth_methods_supported", TOKEN_ENDPOINT_AUTH_METHODS);
            claims.put("introspection_endpoint_auth_methods_supported", INTROSPECTION_AUTH_METHODS);
            claims.put("code_challenge_methods_supported", List.of("S256"));
            claims.put("response_types_supported", List.of("code"));
            if (registrationEndpoint != null) {
                claims.put("registration_endpoint", registrationEndpoint);
            }
        };
    }
}
