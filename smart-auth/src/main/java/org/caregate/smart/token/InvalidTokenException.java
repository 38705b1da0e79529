package org.caregate.smart.token;

import java.util.Objects;

/**
 * A bearer token that must not be accepted. The FHIR server answers {@code 401 Unauthorized} with
 * {@code WWW-Authenticate: Bearer error="invalid_token", error_description="<message>"} (RFC 6750, sections 3
 * and 3.1). The message says why in plain words and never echoes the token.
 */
public final class InvalidTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a token was refused, for tests, metrics and audit. */
    public enum Reason {
        /** Not a compact JWS JWT, or a claim of the wrong JSON type. */
        MALFORMED,
        /** {@code alg} is {@code none}, a MAC (HS*), or not on the issuer's list (RFC 8725, section 3.1). */
        UNSUPPORTED_ALGORITHM,
        /** {@code iss} is missing or not a trusted issuer. */
        UNKNOWN_ISSUER,
        /** No key of the issuer matches the token's {@code kid} and algorithm. */
        UNKNOWN_KEY,
        /** The signature does not verify: the token was altered or signed by someone else. */
        BAD_SIGNATURE,
        /** {@code exp} has passed (RFC 7519, section 4.1.4). */
        EXPIRED,
        /** {@code nbf} or {@code iat} is in the future (RFC 7519, sections 4.1.5 and 4.1.6). */
        NOT_YET_VALID,
        /** {@code aud} does not name this FHIR server (RFC 7519, section 4.1.3). */
        WRONG_AUDIENCE,
        /** A required claim is absent. */
        MISSING_CLAIM,
        /** The {@code scope} claim does not follow the SMART grammar. */
        INVALID_SCOPE,
        /** The token was revoked. */
        REVOKED,
        /** The issuer's keys could not be obtained (its JWKS endpoint is unreachable and nothing is cached). */
        KEYS_UNAVAILABLE
    }

    private final Reason reason;

    public InvalidTokenException(Reason reason, String message) {
        this(reason, message, null);
    }

    public InvalidTokenException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The kind of failure; {@link #getMessage()} has the details. */
    public Reason reason() {
        return reason;
    }
}
