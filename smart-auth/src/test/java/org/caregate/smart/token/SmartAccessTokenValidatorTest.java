package org.caregate.smart.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.caregate.smart.token.TestTokens.FHIR_BASE_URL;
import static org.caregate.smart.token.TestTokens.ISSUER;
import static org.caregate.smart.token.TestTokens.NOW;
import static org.caregate.smart.token.TestTokens.claims;
import static org.caregate.smart.token.TestTokens.rs256;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.caregate.smart.scope.Interaction;
import org.caregate.smart.scope.ScopeContext;
import org.caregate.smart.token.InvalidTokenException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bearer-token validation: RFC 6750, RFC 7519, RFC 8725, with SMART App Launch 2.2 claims. */
class SmartAccessTokenValidatorTest {

    private static final String PARTNER = "https://partner.example/oauth";
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final AtomicReference<JWKSet> localKeys = new AtomicReference<>(new JWKSet(TestKeys.RSA));
    private final List<String> revoked = new ArrayList<>();
    private final List<String> revocationLookups = new ArrayList<>();
    private final TrustedIssuers issuers = TrustedIssuers.builder()
            .local(ISSUER, localKeys::get)
            .issuer(
                    PARTNER,
                    new ImmutableJWKSet<>(
                            new JWKSet(List.of(TestKeys.EC.toPublicJWK(), TestKeys.NEXT_RSA.toPublicJWK()))),
                    Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256))
            .build();
    private final SmartAccessTokenValidator validator = validatorAt(Clock.fixed(NOW, ZoneOffset.UTC));

    private SmartAccessTokenValidator validatorAt(Clock clock) {
        return new SmartAccessTokenValidator(
                issuers,
                FHIR_BASE_URL,
                token -> {
                    revocationLookups.add(token.tokenId());
                    return revoked.contains(token.tokenId());
                },
                clock,
                SKEW);
    }

    // ---- accepted tokens ------------------------------------------------------------------------------------

    @Test
    void validateWhenIssuedByCareGateThenEveryClaimRead() {
        SmartAccessToken token = validator.validate(rs256(TestKeys.RSA, claims().build()));

        assertThat(token.tokenId()).isEqualTo("jti-1");
        assertThat(token.clientId()).isEqualTo("growth-chart");
        assertThat(token.subject()).isEqualTo("alice");
        assertThat(token.fhirUser()).isEqualTo("Patient/pat-adult-alice");
        assertThat(token.patient()).isEqualTo("pat-adult-alice");
        assertThat(token.encounter()).isEqualTo("enc-1");
        assertThat(token.issuer()).isEqualTo(ISSUER);
        assertThat(token.issuedAt()).isEqualTo(NOW.minusSeconds(60));
        assertThat(token.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(4)));
        assertThat(token.scopes().toScopeString())
                .isEqualTo("launch/patient openid fhirUser patient/Observation.rs patient/Patient.read");
        assertThat(token.scopes().permits(ScopeContext.PATIENT, "Patient", Interaction.SEARCH))
                .isTrue();
        assertThat(token.scopes().hasLaunchPatient()).isTrue();
        assertThat(revocationLookups).containsExactly("jti-1");
    }

    @Test
    void validateWhenBackendTokenWithoutUserOrLaunchContextThenNullsForThem() {
        SmartAccessToken token = validator.validate(rs256(
                TestKeys.RSA,
                c -> c.subject("backend-client")
                        .claim("fhirUser", null)
                        .claim("patient", null)
                        .claim("encounter", null)
                        .claim("scope", "system/*.rs")));

        assertThat(token.fhirUser()).isNull();
        assertThat(token.patient()).isNull();
        assertThat(token.encounter()).isNull();
        assertThat(token.launchPatient()).isEmpty();
        assertThat(token.scopes().permits(ScopeContext.SYSTEM, "Group", Interaction.SEARCH))
                .isTrue();
    }

    @Test
    void validateWhenExternalIssuerSignsWithEs256ThenAccepted() {
        String token = TestTokens.es256(
                TestKeys.EC,
                claims().issuer(PARTNER)
                        .claim("client_id", null)
                        .claim("azp", "partner-app")
                        .build());

        assertThat(validator.validate(token).clientId()).isEqualTo("partner-app");
    }

    @Test
    void validateWhenClientIdOnlyAsCidThenRead() {
        assertThat(validator
                        .validate(rs256(
                                TestKeys.RSA, c -> c.claim("client_id", null).claim("cid", "okta-app")))
                        .clientId())
                .isEqualTo("okta-app");
    }

    @ParameterizedTest
    @ValueSource(strings = {FHIR_BASE_URL, FHIR_BASE_URL + "/"})
    void validateWhenAudienceAmongSeveralThenAccepted(String aud) {
        String token = rs256(TestKeys.RSA, c -> c.audience(List.of("https://other.example/api", aud)));

        assertThat(validator.validate(token).tokenId()).isEqualTo("jti-1");
    }

    @Test
    void validateWhenScopeIsAnArrayOrScpThenParsed() {
        String asArray = rs256(TestKeys.RSA, c -> c.claim("scope", List.of("openid", "patient/Patient.rs")));
        String asScp = rs256(TestKeys.RSA, c -> c.claim("scope", null).claim("scp", List.of("user/Observation.read")));
        String none = rs256(TestKeys.RSA, c -> c.claim("scope", null));

        assertThat(validator.validate(asArray).scopes().values()).containsExactly("openid", "patient/Patient.rs");
        assertThat(validator.validate(asScp).scopes().values()).containsExactly("user/Observation.read");
        assertThat(validator.validate(none).scopes().isEmpty()).isTrue();
    }

    @Test
    void validateWhenTypeIsAtJwtOrAbsentThenAccepted() {
        JWTClaimsSet claims = claims().build();
        String atJwt = TestTokens.sign(
                TestKeys.RSA,
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(TestKeys.RSA.getKeyID())
                        .type(new JOSEObjectType("at+jwt"))
                        .build(),
                claims);
        String untyped = TestTokens.sign(
                TestKeys.RSA,
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(TestKeys.RSA.getKeyID())
                        .build(),
                claims);

        assertThat(validator.validate(atJwt).tokenId()).isEqualTo("jti-1");
        assertThat(validator.validate(untyped).tokenId()).isEqualTo("jti-1");
    }

    @Test
    void validateWhenTokenHasNoKidAndIssuerHasOneMatchingKeyThenAccepted() {
        String token = TestTokens.sign(TestKeys.RSA, new JWSHeader(JWSAlgorithm.RS256), claims().build());

        assertThat(validator.validate(token).tokenId()).isEqualTo("jti-1");
    }

    @Test
    void validateWhenLocalKeysRotateThenNewKeyAcceptedAndRetiredKeyRefused() {
        String signedWithOld = rs256(TestKeys.RSA, claims().build());
        String signedWithNext = rs256(TestKeys.NEXT_RSA, claims().build());
        assertThat(validator.validate(signedWithOld).tokenId()).isEqualTo("jti-1");
        assertFailure(
                () -> validator.validate(signedWithNext), Reason.UNKNOWN_KEY, "no RS256 key with kid caregate-2026-02");

        localKeys.set(new JWKSet(List.of(TestKeys.NEXT_RSA, TestKeys.RSA)));
        assertThat(validator.validate(signedWithNext).tokenId()).isEqualTo("jti-1");
        assertThat(validator.validate(signedWithOld).tokenId()).isEqualTo("jti-1");

        localKeys.set(new JWKSet(TestKeys.NEXT_RSA));
        assertFailure(() -> validator.validate(signedWithOld), Reason.UNKNOWN_KEY, "kid caregate-2026-01");
    }

    // ---- time: exp, nbf, iat with clock skew -----------------------------------------------------------------

    @Test
    void validateWhenExpiredThenExpired() {
        String token = rs256(TestKeys.RSA, c -> c.expirationTime(Date.from(NOW.minusSeconds(31))));

        assertFailure(() -> validator.validate(token), Reason.EXPIRED, "the token expired at 2026-03-01T09:59:29Z");
        assertThat(revocationLookups).isEmpty();
    }

    @Test
    void validateWhenExpiredWithinClockSkewThenAccepted() {
        String token = rs256(TestKeys.RSA, c -> c.expirationTime(Date.from(NOW.minusSeconds(29))));

        assertThat(validator.validate(token).tokenId()).isEqualTo("jti-1");
    }

    @Test
    void validateWhenClockPassesExpiryThenRefused() {
        String token = rs256(TestKeys.RSA, claims().build());
        Clock later = Clock.fixed(NOW.plus(Duration.ofMinutes(4)).plus(SKEW), ZoneOffset.UTC);

        assertFailure(() -> validatorAt(later).validate(token), Reason.EXPIRED, "expired");
    }

    @Test
    void validateWhenNotYetValidThenNotYetValid() {
        String token = rs256(TestKeys.RSA, c -> c.notBeforeTime(Date.from(NOW.plusSeconds(31))));

        assertFailure(() -> validator.validate(token), Reason.NOT_YET_VALID, "not valid before 2026-03-01T10:00:31Z");
    }

    @Test
    void validateWhenNotBeforeWithinClockSkewThenAccepted() {
        String token = rs256(TestKeys.RSA, c -> c.notBeforeTime(Date.from(NOW.plusSeconds(29))));

        assertThat(validator.validate(token).tokenId()).isEqualTo("jti-1");
    }

    @Test
    void validateWhenIssuedInTheFutureThenNotYetValid() {
        String token = rs256(
                TestKeys.RSA, c -> c.issueTime(Date.from(NOW.plusSeconds(120))).notBeforeTime(null));

        assertFailure(() -> validator.validate(token), Reason.NOT_YET_VALID, "issued in the future");
    }

    // ---- signature, algorithm, key --------------------------------------------------------------------------

    @Test
    void validateWhenPayloadTamperedThenBadSignature() {
        String[] parts = rs256(TestKeys.RSA, claims().build()).split("\\.");
        String widened = claims().claim("scope", "user/*.cruds")
                .claim("patient", "pat-someone-else")
                .build()
                .toString();
        String tampered = parts[0] + "." + Base64URL.encode(widened) + "." + parts[2];

        assertFailure(() -> validator.validate(tampered), Reason.BAD_SIGNATURE, "the signature does not match");
        assertThat(revocationLookups).isEmpty();
    }

    @Test
    void validateWhenSignatureTruncatedThenBadSignature() {
        String token = rs256(TestKeys.RSA, claims().build());

        assertFailure(
                () -> validator.validate(token.substring(0, token.length() - 4)), Reason.BAD_SIGNATURE, "signature");
    }

    @Test
    void validateWhenSignedByAnotherKeyWithTheSameKidThenBadSignature() {
        String token = rs256(TestKeys.OTHER_RSA_SAME_KID, claims().build());

        assertFailure(() -> validator.validate(token), Reason.BAD_SIGNATURE, "not signed by " + ISSUER);
    }

    @Test
    void validateWhenUnknownKidThenUnknownKey() {
        String token = rs256(TestKeys.rsa("stolen-kid"), claims().build());

        assertFailure(() -> validator.validate(token), Reason.UNKNOWN_KEY, "no RS256 key with kid stolen-kid");
    }

    @Test
    void validateWhenAlgNoneThenRefused() {
        String unsigned = new PlainJWT(claims().build()).serialize();

        assertFailure(() -> validator.validate(unsigned), Reason.UNSUPPORTED_ALGORITHM, "alg none");
    }

    @Test
    void validateWhenHs256WithSharedSecretThenRefused() throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(TestKeys.RSA.getKeyID())
                        .build(),
                claims().build());
        jwt.sign(new MACSigner("a-shared-secret-of-at-least-256-bits!!".getBytes()));

        assertFailure(() -> validator.validate(jwt.serialize()), Reason.UNSUPPORTED_ALGORITHM, "shared secret (HS256)");
    }

    @Test
    void validateWhenHs256KeyedWithThePublicRsaKeyThenRefused() throws JOSEException {
        // The classic algorithm-confusion attack: HMAC keyed with the server's public key bytes (RFC 8725, 2.1).
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        jwt.sign(new MACSigner(TestKeys.RSA.toRSAPublicKey().getEncoded()));

        assertFailure(() -> validator.validate(jwt.serialize()), Reason.UNSUPPORTED_ALGORITHM, "HS256");
    }

    @Test
    void validateWhenAlgorithmNotAllowedForIssuerThenRefused() {
        String es256FromCareGate = TestTokens.es256(TestKeys.EC, claims().build());
        String rs384 = TestTokens.sign(
                TestKeys.RSA,
                new JWSHeader.Builder(JWSAlgorithm.RS384)
                        .keyID(TestKeys.RSA.getKeyID())
                        .build(),
                claims().build());

        assertFailure(
                () -> validator.validate(es256FromCareGate),
                Reason.UNSUPPORTED_ALGORITHM,
                "algorithm ES256 is not accepted from issuer " + ISSUER);
        assertFailure(() -> validator.validate(rs384), Reason.UNSUPPORTED_ALGORITHM, "RS384");
    }

    @Test
    void validateWhenRsaKeyShorterThan2048BitsThenBadSignature() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        var pair = generator.generateKeyPair();
        RSAKey weak = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                .keyID("weak")
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("weak").build(), claims().build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) pair.getPrivate(), Set.of(AllowWeakRSAKey.getInstance())));
        localKeys.set(new JWKSet(List.of(TestKeys.RSA, weak)));

        assertFailure(() -> validator.validate(jwt.serialize()), Reason.BAD_SIGNATURE, "shorter than 2048 bits");
    }

    // ---- issuer and audience --------------------------------------------------------------------------------

    @Test
    void validateWhenUnknownIssuerThenRefused() {
        String token = rs256(TestKeys.RSA, c -> c.issuer("https://evil.example/auth"));

        assertFailure(
                () -> validator.validate(token),
                Reason.UNKNOWN_ISSUER,
                "tokens from issuer https://evil.example/auth are not accepted");
    }

    @Test
    void validateWhenIssuerDiffersOnlyByCaseOrSlashThenUnknown() {
        assertFailure(
                () -> validator.validate(rs256(TestKeys.RSA, c -> c.issuer(ISSUER + "/"))), Reason.UNKNOWN_ISSUER, "");
        assertFailure(
                () -> validator.validate(rs256(TestKeys.RSA, c -> c.issuer(ISSUER.toUpperCase()))),
                Reason.UNKNOWN_ISSUER,
                "");
    }

    @Test
    void validateWhenWrongAudienceThenRefused() {
        String token = rs256(TestKeys.RSA, c -> c.audience("https://other.example/fhir"));

        assertFailure(
                () -> validator.validate(token),
                Reason.WRONG_AUDIENCE,
                "the token is for https://other.example/fhir, not for " + FHIR_BASE_URL);
    }

    @Test
    void validateWhenAudienceIsAPrefixOfTheBaseUrlThenRefused() {
        String token = rs256(TestKeys.RSA, c -> c.audience("https://caregate.example"));

        assertFailure(() -> validator.validate(token), Reason.WRONG_AUDIENCE, "not for");
    }

    @Test
    void validateWhenNoAudienceThenRefused() {
        assertFailure(
                () -> validator.validate(rs256(TestKeys.RSA, c -> c.audience((String) null))),
                Reason.WRONG_AUDIENCE,
                "names no audience");
    }

    // ---- claims ---------------------------------------------------------------------------------------------

    static Stream<Arguments> missingClaims() {
        return Stream.of(
                Arguments.of("iss", Reason.UNKNOWN_ISSUER, (Supplier<String>)
                        () -> rs256(TestKeys.RSA, c -> c.issuer(null))),
                Arguments.of("exp", Reason.MISSING_CLAIM, (Supplier<String>)
                        () -> rs256(TestKeys.RSA, c -> c.expirationTime(null))),
                Arguments.of("iat", Reason.MISSING_CLAIM, (Supplier<String>)
                        () -> rs256(TestKeys.RSA, c -> c.issueTime(null))),
                Arguments.of(
                        "jti", Reason.MISSING_CLAIM, (Supplier<String>) () -> rs256(TestKeys.RSA, c -> c.jwtID(null))),
                Arguments.of("sub", Reason.MISSING_CLAIM, (Supplier<String>)
                        () -> rs256(TestKeys.RSA, c -> c.subject(null))),
                Arguments.of("client_id", Reason.MISSING_CLAIM, (Supplier<String>)
                        () -> rs256(TestKeys.RSA, c -> c.claim("client_id", null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingClaims")
    void validateWhenRequiredClaimMissingThenRefusedNamingIt(String claim, Reason reason, Supplier<String> token) {
        assertFailure(() -> validator.validate(token.get()), reason, "no " + claim + " claim");
    }

    @ParameterizedTest
    @ValueSource(strings = {"patient/Observation.sr", "patient/Foo.read", "launch/practitioner", "admin"})
    void validateWhenScopeClaimInvalidThenInvalidScope(String scope) {
        String token = rs256(TestKeys.RSA, c -> c.claim("scope", "openid " + scope));

        assertFailure(() -> validator.validate(token), Reason.INVALID_SCOPE, "invalid scope \"" + scope + "\"");
    }

    @Test
    void validateWhenClaimOfWrongTypeThenMalformed() {
        assertFailure(
                () -> validator.validate(rs256(TestKeys.RSA, c -> c.claim("scope", 42))),
                Reason.MALFORMED,
                "neither a string nor a list");
        assertFailure(
                () -> validator.validate(rs256(TestKeys.RSA, c -> c.claim("patient", List.of("a", "b")))),
                Reason.MALFORMED,
                "the patient claim is not a string");
    }

    // ---- revocation -----------------------------------------------------------------------------------------

    @Test
    void validateWhenRevokedThenRevoked() {
        revoked.add("jti-1");

        assertFailure(() -> validator.validate(rs256(TestKeys.RSA, claims().build())), Reason.REVOKED, "revoked");
    }

    @Test
    void validateWhenAnotherTokenRevokedThenAccepted() {
        revoked.add("jti-2");

        assertThat(validator.validate(rs256(TestKeys.RSA, claims().build())).tokenId())
                .isEqualTo("jti-1");
    }

    @Test
    void validateWhenRevocationCheckFailsThenFailureNotSwallowed() {
        SmartAccessTokenValidator failing = new SmartAccessTokenValidator(
                issuers,
                FHIR_BASE_URL,
                token -> {
                    throw new IllegalStateException("database down");
                },
                Clock.fixed(NOW, ZoneOffset.UTC),
                SKEW);

        assertThatThrownBy(() -> failing.validate(rs256(TestKeys.RSA, claims().build())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("database down");
    }

    // ---- malformed ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30", "Bearer x.y.z", "....."})
    void validateWhenMalformedThenMalformed(String token) {
        assertFailure(() -> validator.validate(token), Reason.MALFORMED, "");
    }

    @Test
    void validateWhenNullOrHugeThenMalformed() {
        assertFailure(() -> validator.validate(null), Reason.MALFORMED, "no token");
        assertFailure(
                () -> validator.validate("a".repeat(SmartAccessTokenValidator.MAX_TOKEN_LENGTH + 1)),
                Reason.MALFORMED,
                "longer than");
    }

    @Test
    void validateWhenTypeIsNotAnAccessTokenThenMalformed() {
        String token = TestTokens.sign(
                TestKeys.RSA,
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(TestKeys.RSA.getKeyID())
                        .type(new JOSEObjectType("dpop+jwt"))
                        .build(),
                claims().build());

        assertFailure(() -> validator.validate(token), Reason.MALFORMED, "not an access token");
    }

    // ---- configuration --------------------------------------------------------------------------------------

    @Test
    void constructorWhenSkewOutOfRangeThenRefused() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        assertThatThrownBy(() -> new SmartAccessTokenValidator(
                        issuers, FHIR_BASE_URL, id -> false, clock, Duration.ofMinutes(6)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmartAccessTokenValidator(
                        issuers, FHIR_BASE_URL, id -> false, clock, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trustedIssuersWhenHmacOrNoneConfiguredThenRefused() {
        var keys = new ImmutableJWKSet<>(new JWKSet(TestKeys.RSA.toPublicJWK()));
        assertThatThrownBy(() -> TrustedIssuers.builder().issuer(PARTNER, keys, Set.of(JWSAlgorithm.HS256)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HS256");
        assertThatThrownBy(() -> TrustedIssuers.builder().issuer(PARTNER, keys, Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> TrustedIssuers.builder().local(ISSUER, () -> null).local(ISSUER, () -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        assertThat(issuers.issuers()).containsExactlyInAnyOrder(ISSUER, PARTNER);
    }

    private static void assertFailure(Runnable validation, Reason reason, String messagePart) {
        assertThatThrownBy(validation::run).isInstanceOfSatisfying(InvalidTokenException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
