package org.caregate.smart.token;

import static org.caregate.smart.token.InvalidTokenException.Reason.BAD_SIGNATURE;
import static org.caregate.smart.token.InvalidTokenException.Reason.EXPIRED;
import static org.caregate.smart.token.InvalidTokenException.Reason.INVALID_SCOPE;
import static org.caregate.smart.token.InvalidTokenException.Reason.KEYS_UNAVAILABLE;
import static org.caregate.smart.token.InvalidTokenException.Reason.MALFORMED;
import static org.caregate.smart.token.InvalidTokenException.Reason.MISSING_CLAIM;
import static org.caregate.smart.token.InvalidTokenException.Reason.NOT_YET_VALID;
import static org.caregate.smart.token.InvalidTokenException.Reason.REVOKED;
import static org.caregate.smart.token.InvalidTokenException.Reason.UNKNOWN_ISSUER;
import static org.caregate.smart.token.InvalidTokenException.Reason.UNKNOWN_KEY;
import static org.caregate.smart.token.InvalidTokenException.Reason.UNSUPPORTED_ALGORITHM;
import static org.caregate.smart.token.InvalidTokenException.Reason.WRONG_AUDIENCE;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.caregate.smart.scope.InvalidScopeException;
import org.caregate.smart.scope.SmartScopeParser;
import org.caregate.smart.scope.SmartScopes;

/**
 * Validates a bearer access token (RFC 6750) and turns it into a {@link SmartAccessToken}.
 *
 * <p>Checks, cheapest first; the first failure is reported as an {@link InvalidTokenException}:
 * <ol>
 * <li>a compact, signed JWT (RFC 7519, section 7.2); {@code typ}, if present, is {@code JWT} or {@code at+jwt}
 *     (RFC 9068, section 2.1); unsigned ({@code alg: none}) and encrypted tokens are refused;</li>
 * <li>{@code iss} is a {@link TrustedIssuers trusted issuer} and {@code alg} one of the algorithms allowed for it,
 *     never {@code none} nor HS* (RFC 8725, sections 2.1, 3.1, 3.2); the claims are read before the signature is
 *     checked only to pick the issuer;</li>
 * <li>the signature verifies with the issuer's key named by {@code kid} (RFC 7515, section 4.1.4), from its
 *     cached key source; RSA keys shorter than 2048 bits are refused;</li>
 * <li>{@code exp} is in the future, {@code nbf} and {@code iat} are not, each with the configured clock skew
 *     (RFC 7519, sections 4.1.4 to 4.1.6);</li>
 * <li>{@code aud} contains the FHIR base URL (RFC 7519, section 4.1.3; SMART App Launch 2.2 asks apps to send
 *     {@code aud} = the FHIR base URL, and CareGate's authorization server puts it in the token); a trailing
 *     slash is ignored;</li>
 * <li>{@code jti}, {@code sub}, {@code client_id} (or {@code azp}, {@code cid}) are present (RFC 9068, section 2.2);
 *     {@code scope} (a space-separated string, or an array) or {@code scp} parses as SMART scopes;</li>
 * <li>the token is not revoked ({@link RevocationCheck}, last because it may query a database).</li>
 * </ol>
 * Thread-safe; one instance serves every request. Verifiers are kept per key, so a token costs one signature
 * check and no key conversion.
 */
public final class SmartAccessTokenValidator {

    /** Longer than any token CareGate issues; refused before parsing. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private static final Set<JOSEObjectType> ACCEPTED_TYPES =
            Set.of(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"));
    private static final int MIN_RSA_KEY_BITS = 2048;
    private static final int MAX_CACHED_VERIFIERS = 64;

    private final TrustedIssuers issuers;
    private final String audience;
    private final RevocationCheck revocation;
    private final Clock clock;
    private final Duration clockSkew;
    private final Map<JWK, JWSVerifier> verifiers = new ConcurrentHashMap<>();

    /**
     * @param issuers     whose tokens to accept
     * @param fhirBaseUrl the FHIR base URL, which {@code aud} must contain
     * @param revocation  tells revoked tokens apart
     * @param clock       the time to judge {@code exp}, {@code nbf} and {@code iat} by
     * @param clockSkew   tolerance for clocks that disagree, between zero and five minutes
     */
    public SmartAccessTokenValidator(
            TrustedIssuers issuers, String fhirBaseUrl, RevocationCheck revocation, Clock clock, Duration clockSkew) {
        this.issuers = Objects.requireNonNull(issuers, "issuers");
        this.audience = withoutTrailingSlash(Objects.requireNonNull(fhirBaseUrl, "fhirBaseUrl"));
        this.revocation = Objects.requireNonNull(revocation, "revocation");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("clock skew must be between 0 and 5 minutes, not " + clockSkew);
        }
        if (audience.isBlank()) {
            throw new IllegalArgumentException("fhirBaseUrl must not be blank");
        }
    }

    /**
     * Validates {@code bearerToken} (the value after {@code Bearer } in the {@code Authorization} header).
     *
     * @return the token's facts, once every check has passed
     * @throws InvalidTokenException with the reason: malformed, alg none or HS*, unknown issuer, unknown key, bad
     *                               signature, expired, not yet valid, wrong audience, missing claim, invalid
     *                               scope, revoked, or issuer keys unavailable
     */
    public SmartAccessToken validate(String bearerToken) {
        SignedJWT jwt = parse(bearerToken);
        JWTClaimsSet claims = claims(jwt);
        TrustedIssuer issuer = issuer(claims);
        JWSHeader header = jwt.getHeader();
        checkAlgorithm(header.getAlgorithm(), issuer);
        verifySignature(jwt, header, issuer);

        Instant now = clock.instant();
        Instant expiresAt = required(claims.getExpirationTime(), "exp");
        if (!now.isBefore(expiresAt.plus(clockSkew))) {
            throw new InvalidTokenException(EXPIRED, "the token expired at " + expiresAt);
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(clockSkew).isBefore(notBefore.toInstant())) {
            throw new InvalidTokenException(NOT_YET_VALID, "the token is not valid before " + notBefore.toInstant());
        }
        Instant issuedAt = required(claims.getIssueTime(), "iat");
        if (now.plus(clockSkew).isBefore(issuedAt)) {
            throw new InvalidTokenException(NOT_YET_VALID, "the token was issued in the future, at " + issuedAt);
        }
        checkAudience(claims.getAudience());

        String tokenId = required(claims.getJWTID(), "jti");
        String subject = required(claims.getSubject(), "sub");
        String clientId = clientId(claims);
        SmartScopes scopes = scopes(claims);
        SmartAccessToken token = new SmartAccessToken(
                tokenId,
                clientId,
                subject,
                optionalString(claims, "fhirUser"),
                optionalString(claims, "patient"),
                optionalString(claims, "encounter"),
                scopes,
                issuedAt,
                expiresAt,
                issuer.issuer(),
                optionalString(claims, "organization"));

        if (revocation.isRevoked(token)) {
            throw new InvalidTokenException(
                    REVOKED, "the token has been revoked, or its client " + clientId + " has been disabled");
        }
        return token;
    }

    private static SignedJWT parse(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw new InvalidTokenException(MALFORMED, "no token");
        }
        if (bearerToken.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(MALFORMED, "the token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(bearerToken.strip());
        } catch (ParseException e) {
            throw new InvalidTokenException(MALFORMED, "the token is not a JWT: " + e.getMessage(), e);
        }
        if (jwt instanceof PlainJWT) {
            throw new InvalidTokenException(UNSUPPORTED_ALGORITHM, "unsigned tokens (alg none) are not accepted");
        }
        if (jwt instanceof EncryptedJWT) {
            throw new InvalidTokenException(MALFORMED, "encrypted tokens are not accepted; send a signed JWT");
        }
        SignedJWT signed = (SignedJWT) jwt;
        JOSEObjectType type = signed.getHeader().getType();
        if (type != null && ACCEPTED_TYPES.stream().noneMatch(t -> t.getType().equalsIgnoreCase(type.getType()))) {
            throw new InvalidTokenException(MALFORMED, "a token of type '" + type + "' is not an access token");
        }
        return signed;
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException(
                    MALFORMED, "the token's claims are not a JSON object: " + e.getMessage(), e);
        }
    }

    private TrustedIssuer issuer(JWTClaimsSet claims) {
        String iss = required(claims.getIssuer(), "iss", UNKNOWN_ISSUER);
        return issuers.find(iss)
                .orElseThrow(() ->
                        new InvalidTokenException(UNKNOWN_ISSUER, "tokens from issuer " + iss + " are not accepted"));
    }

    private static void checkAlgorithm(JWSAlgorithm algorithm, TrustedIssuer issuer) {
        if (Algorithm.NONE.getName().equals(algorithm.getName())) {
            throw new InvalidTokenException(UNSUPPORTED_ALGORITHM, "unsigned tokens (alg none) are not accepted");
        }
        if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
            throw new InvalidTokenException(
                    UNSUPPORTED_ALGORITHM, "tokens signed with a shared secret (" + algorithm + ") are not accepted");
        }
        if (!issuer.algorithms().contains(algorithm)) {
            throw new InvalidTokenException(
                    UNSUPPORTED_ALGORITHM,
                    "algorithm " + algorithm + " is not accepted from issuer " + issuer.issuer() + "; accepted: "
                            + issuer.algorithms());
        }
    }

    private void verifySignature(SignedJWT jwt, JWSHeader header, TrustedIssuer issuer) {
        JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
        if (matcher == null) {
            throw new InvalidTokenException(
                    UNSUPPORTED_ALGORITHM, "algorithm " + header.getAlgorithm() + " is not accepted");
        }
        List<JWK> candidates;
        try {
            candidates = issuer.keys().get(new JWKSelector(matcher), null);
        } catch (RateLimitReachedException e) {
            // The kid was not in the cached keys and they were refreshed moments ago: the key does not exist.
            throw new InvalidTokenException(
                    UNKNOWN_KEY,
                    "issuer " + issuer.issuer() + " has no " + header.getAlgorithm() + " key with kid "
                            + header.getKeyID() + " (its keys were just refreshed)",
                    e);
        } catch (KeySourceException e) {
            throw new InvalidTokenException(
                    KEYS_UNAVAILABLE, "the keys of issuer " + issuer.issuer() + " could not be obtained", e);
        }
        if (candidates.isEmpty()) {
            throw new InvalidTokenException(
                    UNKNOWN_KEY,
                    header.getKeyID() == null
                            ? "the token names no key (kid) and issuer " + issuer.issuer() + " has no "
                                    + header.getAlgorithm() + " key"
                            : "issuer " + issuer.issuer() + " has no " + header.getAlgorithm() + " key with kid "
                                    + header.getKeyID());
        }
        for (JWK key : candidates) {
            try {
                if (jwt.verify(verifier(key))) {
                    return;
                }
            } catch (JOSEException e) {
                throw new InvalidTokenException(
                        BAD_SIGNATURE, "the signature could not be checked: " + e.getMessage(), e);
            }
        }
        throw new InvalidTokenException(
                BAD_SIGNATURE,
                "the signature does not match: the token was altered or not signed by " + issuer.issuer());
    }

    private JWSVerifier verifier(JWK key) throws JOSEException {
        JWSVerifier cached = verifiers.get(key);
        if (cached != null) {
            return cached;
        }
        JWSVerifier verifier;
        if (key instanceof RSAKey rsa) {
            if (rsa.size() < MIN_RSA_KEY_BITS) {
                throw new JOSEException("RSA key " + rsa.getKeyID() + " is shorter than " + MIN_RSA_KEY_BITS + " bits");
            }
            verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
        } else if (key instanceof ECKey ec) {
            verifier = new ECDSAVerifier(ec.toECPublicKey());
        } else {
            throw new JOSEException("unsupported key type " + key.getKeyType());
        }
        if (verifiers.size() >= MAX_CACHED_VERIFIERS) {
            verifiers.clear();
        }
        verifiers.put(key, verifier);
        return verifier;
    }

    private void checkAudience(List<String> audiences) {
        if (audiences == null || audiences.isEmpty()) {
            throw new InvalidTokenException(WRONG_AUDIENCE, "the token names no audience (aud); expected " + audience);
        }
        for (String aud : audiences) {
            if (aud != null && withoutTrailingSlash(aud).equals(audience)) {
                return;
            }
        }
        throw new InvalidTokenException(
                WRONG_AUDIENCE, "the token is for " + String.join(", ", audiences) + ", not for " + audience);
    }

    private static String clientId(JWTClaimsSet claims) {
        for (String name : List.of("client_id", "azp", "cid")) {
            String value = optionalString(claims, name);
            if (value != null) {
                return value;
            }
        }
        throw new InvalidTokenException(MISSING_CLAIM, "the token has no client_id claim");
    }

    /** {@code scope}: a space-separated string (RFC 8693 section 4.2, RFC 9068) or an array; else {@code scp}. */
    private static SmartScopes scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (scope == null) {
            scope = claims.getClaim("scp");
        }
        try {
            if (scope == null) {
                return SmartScopes.empty();
            }
            if (scope instanceof String string) {
                return SmartScopeParser.parse(string);
            }
            if (scope instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                return SmartScopeParser.parse(
                        list.stream().map(String.class::cast).toList());
            }
        } catch (InvalidScopeException e) {
            throw new InvalidTokenException(INVALID_SCOPE, "the token's scope is not valid: " + e.getMessage(), e);
        }
        throw new InvalidTokenException(MALFORMED, "the scope claim is neither a string nor a list of strings");
    }

    private static String optionalString(JWTClaimsSet claims, String name) {
        try {
            String value = claims.getStringClaim(name);
            return value == null || value.isBlank() ? null : value;
        } catch (ParseException e) {
            throw new InvalidTokenException(MALFORMED, "the " + name + " claim is not a string", e);
        }
    }

    private static Instant required(Date value, String claim) {
        if (value == null) {
            throw new InvalidTokenException(MISSING_CLAIM, "the token has no " + claim + " claim");
        }
        return value.toInstant();
    }

    private static String required(String value, String claim) {
        return required(value, claim, MISSING_CLAIM);
    }

    private static String required(String value, String claim, InvalidTokenException.Reason reason) {
        if (value == null || value.isBlank()) {
            throw new InvalidTokenException(reason, "the token has no " + claim + " claim");
        }
        return value;
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
