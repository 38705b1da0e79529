package org.caregate.smart.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.caregate.smart.token.TestTokens.FHIR_BASE_URL;
import static org.caregate.smart.token.TestTokens.NOW;
import static org.caregate.smart.token.TestTokens.claims;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.caregate.smart.token.InvalidTokenException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An external issuer known by its JWKS URL, served on loopback: keys are fetched once and cached, so validating
 * a token makes no remote call (DESIGN.md, "Performance").
 */
class RemoteIssuerTest {

    private static final String PARTNER = "https://partner.example/oauth";

    private final AtomicReference<JWKSet> published =
            new AtomicReference<>(new JWKSet(java.util.List.of(TestKeys.RSA.toPublicJWK(), TestKeys.EC.toPublicJWK())));
    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer jwksServer;
    private TrustedIssuers issuers;
    private SmartAccessTokenValidator validator;

    @BeforeEach
    void startJwksServer() throws IOException {
        jwksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwksServer.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwksServer.start();
        issuers = TrustedIssuers.builder()
                .remote(PARTNER, jwksUrl(), Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), Duration.ofMinutes(5))
                .build();
        validator = new SmartAccessTokenValidator(
                issuers, FHIR_BASE_URL, id -> false, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws IOException {
        issuers.close();
        jwksServer.stop(0);
    }

    @Test
    void validateWhenManyTokensThenKeysFetchedOnce() {
        String rsa = TestTokens.rs256(TestKeys.RSA, claims().issuer(PARTNER).build());
        String ec = TestTokens.es256(TestKeys.EC, claims().issuer(PARTNER).build());

        for (int i = 0; i < 50; i++) {
            assertThat(validator.validate(rsa).issuer()).isEqualTo(PARTNER);
            assertThat(validator.validate(ec).issuer()).isEqualTo(PARTNER);
        }

        assertThat(fetches).hasValue(1);
    }

    @Test
    void validateWhenIssuerRotatesKeysThenUnknownKidRefreshesOnceAndNewKeyAccepted() {
        assertThat(validator
                        .validate(TestTokens.rs256(
                                TestKeys.RSA, claims().issuer(PARTNER).build()))
                        .tokenId())
                .isEqualTo("jti-1");
        published.set(new JWKSet(TestKeys.NEXT_RSA.toPublicJWK()));

        String rotated =
                TestTokens.rs256(TestKeys.NEXT_RSA, claims().issuer(PARTNER).build());

        assertThat(validator.validate(rotated).tokenId()).isEqualTo("jti-1");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void validateWhenUnknownKidsRepeatThenRefreshIsRateLimited() {
        validator.validate(
                TestTokens.rs256(TestKeys.RSA, claims().issuer(PARTNER).build()));

        for (int i = 0; i < 5; i++) {
            String forged = TestTokens.rs256(
                    TestKeys.rsa("forged-" + i), claims().issuer(PARTNER).build());
            assertThatThrownBy(() -> validator.validate(forged))
                    .isInstanceOfSatisfying(
                            InvalidTokenException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
        }

        assertThat(fetches.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void validateWhenJwksEndpointDownAndNothingCachedThenKeysUnavailable() {
        jwksServer.stop(0);
        String token = TestTokens.rs256(TestKeys.RSA, claims().issuer(PARTNER).build());

        assertThatThrownBy(() -> validator.validate(token)).isInstanceOfSatisfying(InvalidTokenException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
            assertThat(e.getMessage()).contains("keys of issuer " + PARTNER + " could not be obtained");
        });
    }

    @Test
    void validateWhenJwksEndpointGoesDownAfterFirstFetchThenCachedKeysStillWork() {
        String token = TestTokens.rs256(TestKeys.RSA, claims().issuer(PARTNER).build());
        validator.validate(token);
        jwksServer.stop(0);

        assertThat(validator.validate(token).tokenId()).isEqualTo("jti-1");
    }

    private URL jwksUrl() throws IOException {
        return new URL("http://" + jwksServer.getAddress().getHostString() + ":"
                + jwksServer.getAddress().getPort() + "/jwks");
    }
}
