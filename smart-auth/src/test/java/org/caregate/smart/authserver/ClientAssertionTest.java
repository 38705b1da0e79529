package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.caregate.smart.authserver.client.ClientAssertionReplayGuard;
import org.caregate.smart.authserver.client.ClientRegistry;
import org.caregate.smart.authserver.client.SmartClientSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * {@code private_key_jwt} client assertions exactly as SMART Backend Services and RFC 7523 (section 3) define them:
 * {@code iss}, {@code sub}, {@code aud}, {@code exp}, {@code jti} required and nothing else, {@code exp} at most five
 * minutes ahead, each {@code jti} once (in the database, so on every node), RS384 and ES384, keys inline or from a
 * JWKS URL (here served by the test itself on localhost) that is cached and refetched only for an unknown
 * {@code kid}.
 */
class ClientAssertionTest extends SmartAuthServerTestSupport {

    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private ClientRegistry registry;

    private HttpServer jwksServer;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicReference<JWKSet> publishedKeys = new AtomicReference<>();

    @BeforeEach
    void startJwksServer() throws IOException {
        jwksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwksServer.createContext("/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body = publishedKeys.get().toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwksServer.start();
    }

    @AfterEach
    void stopJwksServer() {
        jwksServer.stop(0);
    }

    @Test
    void clientCredentialsWhenAssertionHasNoIatThenAccepted() {
        // exp 4.5 minutes ahead: with the iat Spring Security would invent (exp - 1 s) this used to be refused
        JWTClaimsSet claims = specClaims(BACKEND_NORTH, 270).build();
        assertThat(claims.getIssueTime()).isNull();

        HttpResponse<String> response = backendToken(sign(privateKey(BACKEND_NORTH), claims));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(OAuthErrorAssert.json(response)).containsKey("access_token");
    }

    @Test
    void clientCredentialsWhenExpIsExactlyFiveMinutesAheadThenAccepted() {
        HttpResponse<String> response = backendToken(
                sign(privateKey(BACKEND_NORTH), specClaims(BACKEND_NORTH, 300).build()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void clientCredentialsWhenExpIsMoreThanFiveMinutesAheadThenInvalidClient() {
        HttpResponse<String> response = backendToken(
                sign(privateKey(BACKEND_NORTH), specClaims(BACKEND_NORTH, 330).build()));

        OAuthErrorAssert.assertOAuthError(response, 401, "invalid_client");
    }

    @Test
    void clientCredentialsWhenIatIsInTheFutureThenInvalidClient() {
        JWTClaimsSet claims = specClaims(BACKEND_NORTH, 240)
                .issueTime(Date.from(Instant.now().plusSeconds(180)))
                .build();

        OAuthErrorAssert.assertOAuthError(backendToken(sign(privateKey(BACKEND_NORTH), claims)), 401, "invalid_client");
    }

    @Test
    void clientCredentialsWhenJtiIsMissingThenInvalidClient() {
        JWTClaimsSet claims = specClaims(BACKEND_NORTH, 240).jwtID(null).build();

        OAuthErrorAssert.assertOAuthError(backendToken(sign(privateKey(BACKEND_NORTH), claims)), 401, "invalid_client");
    }

    @Test
    void clientCredentialsWhenJtiReplayedThenInvalidClientAndEveryNodeKnowsTheJti() {
        JWTClaimsSet claims = specClaims(BACKEND_NORTH, 240).build();
        String first = sign(privateKey(BACKEND_NORTH), claims);
        assertThat(backendToken(first).statusCode()).isEqualTo(200);

        // the same jti in a freshly signed assertion (not a byte-for-byte replay) is refused too
        OAuthErrorAssert.assertOAuthError(backendToken(sign(privateKey(BACKEND_NORTH), claims)), 401, "invalid_client");
        // another node has its own guard on the same database: it knows the jti
        ClientAssertionReplayGuard otherNode = new ClientAssertionReplayGuard(jdbc, clock);
        assertThat(otherNode.firstUse(
                        BACKEND_NORTH, claims.getJWTID(), Instant.now().plusSeconds(240)))
                .isFalse();
    }

    @Test
    void clientCredentialsWhenKeysComeFromJwksUrlThenFetchedOnceAndRefetchedOnlyForAnUnknownKid() throws Exception {
        JWK first = rsaKey();
        publishedKeys.set(new JWKSet(first.toPublicJWK()));
        String clientId = registerBackendClientWithJwksUrl();

        assertThat(backendToken(sign(first, specClaims(clientId, 240).build())).statusCode())
                .isEqualTo(200);
        assertThat(backendToken(sign(first, specClaims(clientId, 240).build())).statusCode())
                .isEqualTo(200);
        assertThat(jwksFetches.get())
                .as("fetched once, then served from the cache")
                .isEqualTo(1);

        // the client rotates its key: the unknown kid makes CareGate fetch the JWKS once more
        JWK second = ecKey();
        publishedKeys.set(new JWKSet(java.util.List.of(first.toPublicJWK(), second.toPublicJWK())));
        HttpResponse<String> rotated =
                backendToken(sign(second, specClaims(clientId, 240).build()));
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(jwksFetches.get()).isEqualTo(2);
        assertThat(backendToken(sign(second, specClaims(clientId, 240).build())).statusCode())
                .isEqualTo(200);
        assertThat(jwksFetches.get()).isEqualTo(2);

        // a made-up kid moments later: refused without hitting the client's server again (rate-limited refetch)
        HttpResponse<String> unknown =
                backendToken(sign(ecKey(), specClaims(clientId, 240).build()));
        OAuthErrorAssert.assertOAuthError(unknown, 401, "invalid_client");
        assertThat(jwksFetches.get()).isEqualTo(2);
    }

    // ----- helpers -----

    /** A backend client of org-clinic-north whose keys are at the test's own JWKS URL, RS384 or ES384. */
    private String registerBackendClientWithJwksUrl() {
        String clientId = "jwks-url-client-" + UUID.randomUUID();
        RegisteredClient client = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(clientId)
                .clientName("Backend client with a JWKS URL")
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("system/*.rs")
                .clientSettings(ClientSettings.builder()
                        .jwkSetUrl("http://localhost:" + jwksServer.getAddress().getPort() + "/jwks.json")
                        .setting(SmartClientSettings.ORGANIZATION, "org-clinic-north")
                        .build())
                .build();
        registry.saveApproved(client, java.util.Set.of(), null);
        return clientId;
    }

    private HttpResponse<String> backendToken(String assertion) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", "system/*.rs");
        form.put("client_assertion_type", ASSERTION_TYPE);
        form.put("client_assertion", assertion);
        return tokenRequest(form);
    }

    /** Exactly the claims SMART Backend Services lists: iss, sub, aud, exp, jti; no iat. */
    private static JWTClaimsSet.Builder specClaims(String clientId, long expiresInSeconds) {
        return new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(BASE + "/auth/token")
                .jwtID(UUID.randomUUID().toString())
                .expirationTime(Date.from(Instant.now().plusSeconds(expiresInSeconds)));
    }

    private static String sign(JWK key, JWTClaimsSet claims) {
        try {
            boolean ec = key instanceof ECKey;
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(ec ? JWSAlgorithm.ES384 : JWSAlgorithm.RS384)
                            .keyID(key.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims);
            jwt.sign(ec ? new ECDSASigner((ECKey) key) : new RSASSASigner((RSAKey) key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    private static JWK rsaKey() throws JOSEException {
        return new RSAKeyGenerator(2048)
                .keyID(UUID.randomUUID().toString())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS384)
                .generate();
    }

    private static JWK ecKey() throws JOSEException {
        return new ECKeyGenerator(Curve.P_384)
                .keyID(UUID.randomUUID().toString())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES384)
                .generate();
    }
}
