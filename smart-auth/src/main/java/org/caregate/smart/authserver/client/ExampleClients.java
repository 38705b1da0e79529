package org.caregate.smart.authserver.client;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.caregate.smart.authserver.SmartAuthProperties;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The example clients, one per SMART client type and the hospital's EHR feed, registered at first start when absent
 * ({@code caregate.smart.register-example-clients}, default true). Their credentials are generated then and written
 * once, in clear, under {@code ${caregate.data-dir}/dev-credentials/}; only hashes (secret) or public keys are stored.
 *
 * <ul>
 *   <li>{@value #PUBLIC_APP}: public client ({@code none} + PKCE);</li>
 *   <li>{@value #CONFIDENTIAL_APP}: {@code client_secret_basic} / {@code client_secret_post}, secret in
 *       {@code caregate-confidential-app.secret};</li>
 *   <li>{@value #ASYMMETRIC_APP}: {@code private_key_jwt} with RS384, private JWK in
 *       {@code caregate-asymmetric-app.jwk.json};</li>
 *   <li>{@value #BACKEND_NORTH}: backend services ({@code client_credentials}, {@code private_key_jwt} ES384,
 *       {@code system/} scopes) for {@code org-clinic-north}, private JWK in {@code caregate-backend-north.jwk.json};</li>
 *   <li>{@value #EHR_FEED}: the hospital's integration engine ({@code org-hospital}), a backend service like the one
 *       above with write scopes ({@code system/*.cud}), private JWK in {@code caregate-ehr-feed.jwk.json}. The FHIR
 *       server treats it as the EHR feed ({@code caregate.ehr-feed.client-ids}).</li>
 * </ul>
 */
public class ExampleClients {

    public static final String PUBLIC_APP = "caregate-public-app";
    public static final String CONFIDENTIAL_APP = "caregate-confidential-app";
    public static final String ASYMMETRIC_APP = "caregate-asymmetric-app";
    public static final String BACKEND_NORTH = "caregate-backend-north";
    public static final String BACKEND_NORTH_ORGANIZATION = "org-clinic-north";
    /** The hospital's integration engine: the EHR feed that loads the hospital's data. */
    public static final String EHR_FEED = "caregate-ehr-feed";

    public static final String EHR_FEED_ORGANIZATION = "org-hospital";
    public static final String POSTMAN_CALLBACK = "https://oauth.pstmn.io/v1/callback";

    /** What a user-facing example app may ask for (SMART v1 and v2 read forms). */
    public static final List<String> USER_APP_SCOPES = List.of(
            "openid",
            "fhirUser",
            "profile",
            "launch",
            "launch/patient",
            "launch/encounter",
            "offline_access",
            "online_access",
            "patient/*.cruds",
            "user/*.cruds",
            "patient/*.read",
            "user/*.read",
            "patient/*.write",
            "user/*.write");
    /** The confidential example apps are read-only third-party apps: they may not ask to write. */
    public static final List<String> READ_ONLY_APP_SCOPES = List.of(
            "openid",
            "fhirUser",
            "profile",
            "launch",
            "launch/patient",
            "launch/encounter",
            "offline_access",
            "online_access",
            "patient/*.rs",
            "user/*.rs",
            "patient/*.read",
            "user/*.read");

    public static final List<String> BACKEND_SCOPES = List.of("system/*.rs", "system/*.read");
    /** The EHR feed's: write (SMART v2 {@code cud}, v1 {@code write}) and read back what it wrote. */
    public static final List<String> EHR_FEED_SCOPES =
            List.of("system/*.cud", "system/*.rs", "system/*.write", "system/*.read");

    private static final Set<LaunchType> USER_APP_LAUNCH_TYPES = Set.of(LaunchType.EHR, LaunchType.STANDALONE);

    private static final Logger log = LoggerFactory.getLogger(ExampleClients.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RegisteredClientRepository clients;
    private final ClientRegistry registry;
    private final PasswordEncoder passwordEncoder;
    private final SmartAuthProperties properties;
    private final SmartAuthUrls urls;
    private final Path credentialsDirectory;
    private final Clock clock;

    public ExampleClients(
            RegisteredClientRepository clients,
            ClientRegistry registry,
            PasswordEncoder passwordEncoder,
            SmartAuthProperties properties,
            SmartAuthUrls urls,
            Path dataDirectory,
            Clock clock) {
        this.clients = clients;
        this.registry = registry;
        this.passwordEncoder = passwordEncoder;
        this.properties = properties;
        this.urls = urls;
        this.credentialsDirectory = dataDirectory.resolve("dev-credentials");
        this.clock = clock;
    }

    /** Where the clear-text development credentials are written. */
    public Path credentialsDirectory() {
        return credentialsDirectory;
    }

    /** Registers the missing example clients; adds newly configured redirect URIs to existing ones. */
    public void registerMissing() {
        Set<String> redirectUris = redirectUris();
        registerOrUpdate(PUBLIC_APP, redirectUris, this::publicApp);
        registerOrUpdate(CONFIDENTIAL_APP, redirectUris, this::confidentialApp);
        registerOrUpdate(ASYMMETRIC_APP, redirectUris, this::asymmetricApp);
        if (clients.findByClientId(BACKEND_NORTH) == null) {
            registry.saveApproved(backendNorth(), Set.of(), null);
        }
        if (clients.findByClientId(EHR_FEED) == null) {
            registry.saveApproved(ehrFeed(), Set.of(), null);
        }
    }

    /** The example apps' redirect URIs: the portal's demo app, Postman, and {@code extra-redirect-uris}. */
    public Set<String> redirectUris() {
        Set<String> uris = new LinkedHashSet<>();
        uris.add(urls.url("/portal/demo-app/callback"));
        uris.add(POSTMAN_CALLBACK);
        uris.addAll(properties.extraRedirectUris());
        return uris;
    }

    private void registerOrUpdate(
            String clientId,
            Set<String> redirectUris,
            java.util.function.Function<Set<String>, RegisteredClient> factory) {
        RegisteredClient existing = clients.findByClientId(clientId);
        if (existing == null) {
            registry.saveApproved(factory.apply(redirectUris), USER_APP_LAUNCH_TYPES, null);
        } else if (!existing.getRedirectUris().containsAll(redirectUris)) {
            clients.save(RegisteredClient.from(existing)
                    .redirectUris(uris -> uris.addAll(redirectUris))
                    .build());
        }
    }

    private RegisteredClient publicApp(Set<String> redirectUris) {
        return userApp(PUBLIC_APP, "CareGate example public app", redirectUris)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .clientSettings(userAppSettings().build())
                .build();
    }

    private RegisteredClient confidentialApp(Set<String> redirectUris) {
        String secret = randomSecret();
        writeCredential(CONFIDENTIAL_APP + ".secret", secret + "\n");
        return userApp(CONFIDENTIAL_APP, "CareGate example confidential app (client secret)", redirectUris)
                .scopes(scopes -> scopes.retainAll(READ_ONLY_APP_SCOPES))
                .clientSecret(passwordEncoder.encode(secret))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .clientSettings(userAppSettings().build())
                .build();
    }

    private RegisteredClient asymmetricApp(Set<String> redirectUris) {
        JWK key = generateKey(JWSAlgorithm.RS384);
        writeCredential(ASYMMETRIC_APP + ".jwk.json", key.toJSONString() + "\n");
        return userApp(ASYMMETRIC_APP, "CareGate example confidential app (private_key_jwt)", redirectUris)
                .scopes(scopes -> scopes.retainAll(READ_ONLY_APP_SCOPES))
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .clientSettings(userAppSettings()
                        .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384)
                        .setting(SmartClientSettings.JWKS, new JWKSet(key.toPublicJWK()).toString())
                        .build())
                .build();
    }

    private RegisteredClient backendNorth() {
        JWK key = generateKey(JWSAlgorithm.ES384);
        writeCredential(BACKEND_NORTH + ".jwk.json", key.toJSONString() + "\n");
        return RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(BACKEND_NORTH)
                .clientIdIssuedAt(clock.instant())
                .clientName("CareGate example backend service (Clinic North)")
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(scopes -> scopes.addAll(BACKEND_SCOPES))
                .clientSettings(ClientSettings.builder()
                        .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.ES384)
                        .setting(SmartClientSettings.JWKS, new JWKSet(key.toPublicJWK()).toString())
                        .setting(SmartClientSettings.ORGANIZATION, BACKEND_NORTH_ORGANIZATION)
                        .build())
                .tokenSettings(backendTokenSettings(properties))
                .build();
    }

    private RegisteredClient ehrFeed() {
        JWK key = generateKey(JWSAlgorithm.ES384);
        writeCredential(EHR_FEED + ".jwk.json", key.toJSONString() + "\n");
        return RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(EHR_FEED)
                .clientIdIssuedAt(clock.instant())
                .clientName("CareGate example EHR feed (hospital integration engine)")
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(scopes -> scopes.addAll(EHR_FEED_SCOPES))
                .clientSettings(ClientSettings.builder()
                        .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.ES384)
                        .setting(SmartClientSettings.JWKS, new JWKSet(key.toPublicJWK()).toString())
                        .setting(SmartClientSettings.ORGANIZATION, EHR_FEED_ORGANIZATION)
                        .build())
                .tokenSettings(backendTokenSettings(properties))
                .build();
    }

    /** Token settings of backend services: JWT access tokens of at most five minutes, no refresh token. */
    public static TokenSettings backendTokenSettings(SmartAuthProperties properties) {
        return TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(properties.backendAccessTokenTimeToLive())
                .build();
    }

    private RegisteredClient.Builder userApp(String clientId, String name, Set<String> redirectUris) {
        return RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(clientId)
                .clientIdIssuedAt(clock.instant())
                .clientName(name)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUris(uris -> uris.addAll(redirectUris))
                .scopes(scopes -> scopes.addAll(USER_APP_SCOPES))
                .tokenSettings(userTokenSettings(properties));
    }

    /** Client settings every user-facing SMART app gets: PKCE (S256) required, approval page always shown. */
    public static ClientSettings.Builder userAppSettings() {
        return ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true);
    }

    /** Token settings of user-facing apps: JWT access tokens, rotated refresh tokens. */
    public static TokenSettings userTokenSettings(SmartAuthProperties properties) {
        return TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(properties.accessTokenTimeToLive())
                .refreshTokenTimeToLive(properties.refreshTokenTimeToLive())
                .reuseRefreshTokens(false)
                .idTokenSignatureAlgorithm(SignatureAlgorithm.RS256)
                .build();
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static JWK generateKey(JWSAlgorithm algorithm) {
        try {
            if (JWSAlgorithm.Family.EC.contains(algorithm)) {
                return new ECKeyGenerator(Curve.P_384)
                        .keyID(UUID.randomUUID().toString())
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(algorithm)
                        .generate();
            }
            return new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(algorithm)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    private void writeCredential(String fileName, String content) {
        try {
            Files.createDirectories(credentialsDirectory);
            Path file = credentialsDirectory.resolve(fileName);
            Files.writeString(file, content, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: leave the default permissions
            }
            log.info("Wrote development credential {} (example client registered at first start)", file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write development credential " + fileName, e);
        }
    }
}
