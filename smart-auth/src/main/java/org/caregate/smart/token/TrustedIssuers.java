package org.caregate.smart.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.Closeable;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The issuers whose access tokens the FHIR server accepts, each with its signing keys.
 *
 * <ul>
 * <li>{@link Builder#local}: CareGate's own authorization server. Keys come from a {@link JWKSet} supplier read on
 *     every call (so a key rotation is seen at once); the supplier must answer from memory.</li>
 * <li>{@link Builder#remote}: an external issuer known by its JWKS URL. Keys are fetched once and cached
 *     ({@link JWKSourceBuilder}: time-to-live, refresh ahead of expiry in the background, a rate-limited refresh
 *     when a token names an unknown {@code kid}, and the last keys kept while the endpoint is down). A request
 *     never waits on the network except for the very first fetch and for an unknown {@code kid}.</li>
 * </ul>
 *
 * <p>Algorithms: RS256 by default, as DESIGN.md's performance section decides; an external issuer may be allowed
 * any of {@link #SUPPORTED_ALGORITHMS}. {@code none} and the HMAC algorithms can never be configured (RFC 8725,
 * section 3.1 and 3.2).
 */
public final class TrustedIssuers implements Closeable {

    /** The algorithms an issuer may be configured with. */
    public static final Set<JWSAlgorithm> SUPPORTED_ALGORITHMS =
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

    /** What an issuer is allowed when nothing else is said: RS256 only. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256);

    private final Map<String, TrustedIssuer> issuers;
    private final List<Closeable> resources;

    private TrustedIssuers(Map<String, TrustedIssuer> issuers, List<Closeable> resources) {
        this.issuers = Map.copyOf(issuers);
        this.resources = List.copyOf(resources);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trusts exactly these issuers. */
    public static TrustedIssuers of(Collection<TrustedIssuer> issuers) {
        Builder builder = builder();
        issuers.forEach(builder::issuer);
        return builder.build();
    }

    /** The issuer whose {@code iss} is exactly {@code issuer}, if trusted. */
    public Optional<TrustedIssuer> find(String issuer) {
        return issuer == null ? Optional.empty() : Optional.ofNullable(issuers.get(issuer));
    }

    /** The trusted {@code iss} values. */
    public Set<String> issuers() {
        return issuers.keySet();
    }

    /** Stops the background key refresh of remote issuers. */
    @Override
    public void close() throws IOException {
        for (Closeable resource : resources) {
            resource.close();
        }
    }

    /** Collects issuers; an {@code iss} may be added once. */
    public static final class Builder {

        /** How long fetched remote keys are used before they are refreshed. */
        public static final Duration DEFAULT_REMOTE_CACHE_TTL = Duration.ofMinutes(5);

        private static final int HTTP_TIMEOUT_MILLIS = 2_000;
        private static final int HTTP_SIZE_LIMIT_BYTES = 256 * 1024;

        private final Map<String, TrustedIssuer> issuers = new LinkedHashMap<>();
        private final List<Closeable> resources = new ArrayList<>();

        private Builder() {}

        /**
         * CareGate's own authorization server: RS256, keys from {@code keys} (e.g. the signing keys the
         * authorization server loads from the database at start and on rotation). Only public parts are used.
         */
        public Builder local(String issuer, Supplier<JWKSet> keys) {
            Objects.requireNonNull(keys, "keys");
            JWKSource<SecurityContext> source = (selector, context) -> selector.select(keys.get());
            return issuer(new TrustedIssuer(issuer, source, DEFAULT_ALGORITHMS));
        }

        /** An external issuer, RS256 only, keys from its JWKS URL, cached for {@link #DEFAULT_REMOTE_CACHE_TTL}. */
        public Builder remote(String issuer, URL jwksUrl) {
            return remote(issuer, jwksUrl, DEFAULT_ALGORITHMS, DEFAULT_REMOTE_CACHE_TTL);
        }

        /**
         * An external issuer whose keys are published at {@code jwksUrl} (RFC 7517, section 5), accepted with
         * {@code algorithms} and cached for {@code cacheTimeToLive}.
         */
        public Builder remote(String issuer, URL jwksUrl, Set<JWSAlgorithm> algorithms, Duration cacheTimeToLive) {
            Objects.requireNonNull(jwksUrl, "jwksUrl");
            long ttl = cacheTimeToLive.toMillis();
            if (ttl < 60_000) {
                throw new IllegalArgumentException("cache remote keys for at least a minute, not " + cacheTimeToLive);
            }
            JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(
                            jwksUrl,
                            new DefaultResourceRetriever(
                                    HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, HTTP_SIZE_LIMIT_BYTES))
                    .cache(ttl, HTTP_TIMEOUT_MILLIS * 2L)
                    .refreshAheadCache(true)
                    .rateLimited(true)
                    .outageTolerant(ttl * 12)
                    .build();
            if (source instanceof Closeable closeable) {
                resources.add(closeable);
            }
            return issuer(new TrustedIssuer(issuer, source, algorithms));
        }

        /** Any issuer with a key source of its own; the source must not make a remote call per token. */
        public Builder issuer(String issuer, JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms) {
            return issuer(new TrustedIssuer(issuer, keys, algorithms));
        }

        public Builder issuer(TrustedIssuer issuer) {
            if (issuers.putIfAbsent(issuer.issuer(), issuer) != null) {
                throw new IllegalArgumentException("issuer " + issuer.issuer() + " is configured twice");
            }
            return this;
        }

        public TrustedIssuers build() {
            if (issuers.isEmpty()) {
                throw new IllegalStateException("trust at least one issuer");
            }
            return new TrustedIssuers(issuers, resources);
        }
    }
}
