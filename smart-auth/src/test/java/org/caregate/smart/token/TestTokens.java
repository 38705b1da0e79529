package org.caregate.smart.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Builds signed access tokens with exactly the claims CareGate's authorization server issues: iss, sub,
 * aud=[fhirBaseUrl], exp, iat, nbf, jti, client_id, scope (string), fhirUser, patient, encounter.
 */
final class TestTokens {

    static final String ISSUER = "https://caregate.example/auth";
    static final String FHIR_BASE_URL = "https://caregate.example/fhir";
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private TestTokens() {}

    /** The claims of a five-minute patient-app token issued a minute ago. */
    static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("alice")
                .audience(List.of(FHIR_BASE_URL))
                .issueTime(Date.from(NOW.minusSeconds(60)))
                .notBeforeTime(Date.from(NOW.minusSeconds(60)))
                .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(4))))
                .jwtID("jti-1")
                .claim("client_id", "growth-chart")
                .claim("scope", "launch/patient openid fhirUser patient/Observation.rs patient/Patient.read")
                .claim("fhirUser", "Patient/pat-adult-alice")
                .claim("patient", "pat-adult-alice")
                .claim("encounter", "enc-1");
    }

    static String rs256(RSAKey key, JWTClaimsSet claims) {
        return sign(
                key,
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
    }

    static String rs256(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> change) {
        return rs256(key, change.apply(claims()).build());
    }

    static String es256(ECKey key, JWTClaimsSet claims) {
        return sign(
                key,
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                claims);
    }

    static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
