package org.caregate.smart.authserver.registration;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.caregate.smart.authserver.SmartAuthProperties;
import org.caregate.smart.authserver.client.ClientRegistration;
import org.caregate.smart.authserver.client.ClientRegistry;
import org.caregate.smart.authserver.client.ClientStatus;
import org.caregate.smart.authserver.client.ExampleClients;
import org.caregate.smart.authserver.client.SmartClientSettings;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * Turns checked {@link ClientMetadata} into a registered client, for both ways in: the RFC 7591 endpoint (a
 * developer: the client is {@link ClientStatus#PENDING} until an administrator approves it) and the administration
 * page (an administrator: approved at once). Secrets and registration access tokens are generated here, returned
 * once in {@link Registered}, and stored hashed.
 */
public class ClientRegistrar {

    /** {@code registered_by} of clients registered through RFC 7591. */
    public static final String API = "api";

    private final ClientRegistry registry;
    private final PasswordEncoder passwordEncoder;
    private final SmartAuthProperties properties;
    private final Clock clock;

    public ClientRegistrar(
            ClientRegistry registry, PasswordEncoder passwordEncoder, SmartAuthProperties properties, Clock clock) {
        this.registry = registry;
        this.passwordEncoder = passwordEncoder;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * A registration's result; {@code clientSecret} and {@code registrationAccessToken} are in clear, shown once.
     *
     * @param registrationAccessToken null for clients registered on the page (managed there, not by RFC 7592)
     */
    public record Registered(
            RegisteredClient client,
            ClientRegistration registration,
            ClientMetadata metadata,
            String clientSecret,
            String registrationAccessToken) {}

    /** RFC 7591 section 3: a developer's registration, pending review. */
    public Registered registerByDeveloper(ClientMetadata metadata) {
        String registrationToken = OpaqueTokens.generate();
        return register(metadata, API, ClientStatus.PENDING, registrationToken);
    }

    /** A registration on the administration page by {@code administrator}: approved at once. */
    public Registered registerByAdministrator(ClientMetadata metadata, String administrator) {
        return register(metadata, administrator, ClientStatus.APPROVED, null);
    }

    /**
     * RFC 7592 section 2.2: replaces the metadata. A changed approved client goes back to pending review (its
     * redirect URIs, scopes or keys may no longer be what was approved); a disabled one stays disabled. A secret is
     * generated when the new method needs one and the client had none.
     */
    public Registered update(ClientRegistry.Entry entry, ClientMetadata metadata) {
        RegisteredClient current = entry.client();
        String secret = null;
        String encodedSecret = null;
        if (metadata.needsSecret()) {
            if (current.getClientSecret() == null) {
                secret = OpaqueTokens.generate();
                encodedSecret = passwordEncoder.encode(secret);
            } else {
                encodedSecret = current.getClientSecret();
            }
        }
        RegisteredClient updated = build(current.getId(), current.getClientId(), metadata, encodedSecret);
        ClientStatus status = entry.registration().status();
        if (status == ClientStatus.APPROVED
                && !metadata.normalized().equals(metadataOf(entry).normalized())) {
            status = ClientStatus.PENDING;
        }
        registry.save(
                updated,
                metadata.launchTypes(),
                metadata.launchUri(),
                metadata.contacts(),
                entry.registration().registeredBy(),
                status,
                null);
        ClientRegistration registration = registry.find(current.getClientId()).orElseThrow();
        return new Registered(updated, registration, metadata, secret, null);
    }

    /** A new secret for a {@code client_secret_*} client; the old one stops working at once. */
    public String rotateSecret(String clientId) {
        String secret = OpaqueTokens.generate();
        registry.replaceSecret(clientId, passwordEncoder.encode(secret));
        return secret;
    }

    /** Whether {@code secret} is the client's current secret (RFC 7592 section 2.2 lets the client send it). */
    public boolean secretMatches(RegisteredClient client, String secret) {
        return client.getClientSecret() != null && passwordEncoder.matches(secret, client.getClientSecret());
    }

    /** The metadata of a stored client, as registered. */
    public static ClientMetadata metadataOf(ClientRegistry.Entry entry) {
        RegisteredClient client = entry.client();
        ClientSettings settings = client.getClientSettings();
        String method = client.getClientAuthenticationMethods().stream()
                .map(ClientAuthenticationMethod::getValue)
                .findFirst()
                .orElse(ClientMetadata.NONE);
        ClientRegistration registration = entry.registration();
        return new ClientMetadata(
                client.getClientName(),
                client.getAuthorizationGrantTypes().stream()
                        .map(AuthorizationGrantType::getValue)
                        .sorted()
                        .toList(),
                List.copyOf(client.getRedirectUris()),
                method,
                SmartClientSettings.inlineJwks(settings),
                settings.getJwkSetUrl(),
                settings.getTokenEndpointAuthenticationSigningAlgorithm() == null
                        ? null
                        : settings.getTokenEndpointAuthenticationSigningAlgorithm()
                                .getName(),
                List.copyOf(client.getScopes()),
                registration.launchTypes(),
                registration.launchUri(),
                SmartClientSettings.organization(settings),
                registration.contacts());
    }

    private Registered register(
            ClientMetadata metadata, String registeredBy, ClientStatus status, String registrationToken) {
        String secret = metadata.needsSecret() ? OpaqueTokens.generate() : null;
        RegisteredClient client = build(
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                metadata,
                secret == null ? null : passwordEncoder.encode(secret));
        registry.save(
                client,
                metadata.launchTypes(),
                metadata.launchUri(),
                metadata.contacts(),
                registeredBy,
                status,
                registrationToken == null ? null : OpaqueTokens.hash(registrationToken));
        ClientRegistration registration = registry.find(client.getClientId()).orElseThrow();
        return new Registered(client, registration, metadata, secret, registrationToken);
    }

    private RegisteredClient build(String id, String clientId, ClientMetadata metadata, String encodedSecret) {
        ClientSettings.Builder settings =
                metadata.isBackendService() ? ClientSettings.builder() : ExampleClients.userAppSettings();
        if (metadata.jwks() != null) {
            settings.setting(SmartClientSettings.JWKS, metadata.jwks());
        }
        if (metadata.jwksUri() != null) {
            settings.jwkSetUrl(metadata.jwksUri());
        }
        if (metadata.signingAlgorithm() != null) {
            settings.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.from(metadata.signingAlgorithm()));
        }
        if (metadata.organization() != null) {
            settings.setting(SmartClientSettings.ORGANIZATION, metadata.organization());
        }
        RegisteredClient.Builder client = RegisteredClient.withId(id)
                .clientId(clientId)
                .clientIdIssuedAt(clock.instant())
                .clientName(metadata.clientName())
                .clientSecret(encodedSecret)
                .clientAuthenticationMethod(new ClientAuthenticationMethod(metadata.tokenEndpointAuthMethod()))
                .authorizationGrantTypes(
                        grants -> metadata.grantTypes().forEach(grant -> grants.add(new AuthorizationGrantType(grant))))
                .redirectUris(uris -> uris.addAll(metadata.redirectUris()))
                .scopes(scopes -> scopes.addAll(metadata.scopes()))
                .clientSettings(settings.build())
                .tokenSettings(
                        metadata.isBackendService()
                                ? ExampleClients.backendTokenSettings(properties)
                                : ExampleClients.userTokenSettings(properties));
        return client.build();
    }
}
