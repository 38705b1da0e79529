package org.caregate.smart.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.Objects;
import java.util.Set;

/**
 * One issuer whose access tokens CareGate accepts: its {@code iss} value, where its signing keys come from, and
 * which signature algorithms it may use.
 *
 * @param issuer     the exact {@code iss} value (RFC 7519, section 4.1.1; compared as a case-sensitive string)
 * @param keys       its public signing keys; must answer from memory or a cache (see {@link TrustedIssuers})
 * @param algorithms the JWS algorithms accepted from it, a subset of {@link TrustedIssuers#SUPPORTED_ALGORITHMS}
 */
public record TrustedIssuer(String issuer, JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms) {

    public TrustedIssuer {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(algorithms, "algorithms");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("issuer must not be blank");
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("issuer " + issuer + " needs at least one algorithm");
        }
        for (JWSAlgorithm algorithm : algorithms) {
            if (!TrustedIssuers.SUPPORTED_ALGORITHMS.contains(algorithm)) {
                throw new IllegalArgumentException("algorithm " + algorithm + " is not accepted for tokens (issuer "
                        + issuer + "); choose from " + TrustedIssuers.SUPPORTED_ALGORITHMS);
            }
        }
        algorithms = Set.copyOf(algorithms);
    }
}
