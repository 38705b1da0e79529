package org.caregate.smart.authserver.client;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.JwsAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Verifies client assertions ({@code private_key_jwt}, RFC 7523) the way SMART App Launch 2.2 asks
 * ("Client Authentication: Asymmetric (public key)" and "Backend Services"):
 * <ul>
 *   <li>the signature, with the client's keys given <em>by value</em> (inline JWK Set in
 *       {@link SmartClientSettings#JWKS}) or <em>by URL</em> (SAS's {@code jwk-set-url} setting, see
 *       {@link #JWKS_URL_CACHE_TIME_TO_LIVE}), with the algorithm registered for the client, or RS384/ES384 (the two
 *       SMART requires) when none is registered;</li>
 *   <li>{@code iss} and {@code sub} equal to the client id, {@code aud} equal to the token endpoint URL;</li>
 *   <li>{@code exp} present, in the future (one minute of clock skew), and no more than five minutes ahead
 *       ({@link #MAX_LIFETIME_TOLERANCE} for clocks a little ahead);</li>
 *   <li>{@code iat} is <em>not</em> required (SMART Backend Services lists {@code iss}, {@code sub}, {@code aud},
 *       {@code exp}, {@code jti}; RFC 7523, section 3 makes {@code iat} optional); when sent, it and {@code nbf} must
 *       not be in the future (Spring Security's claim conversion would invent one: see {@link #AS_SENT});</li>
 *   <li>{@code jti} present and never used before by this client ({@link ClientAssertionReplayGuard}); checked
 *       last, so that an assertion refused for another reason does not use up its {@code jti}.</li>
 * </ul>
 * Any failure makes SAS answer {@code invalid_client} (HTTP 401).
 */
public class SmartClientAssertionDecoderFactory implements JwtDecoderFactory<RegisteredClient> {

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** An {@code exp} up to this much past the five minutes is accepted: a client clock slightly ahead. */
    static final Duration MAX_LIFETIME_TOLERANCE = Duration.ofSeconds(10);

    /**
     * Keys from a client's JWKS URL are fetched on first use and kept this long (then refreshed in the background
     * by the next request); an assertion naming an unknown {@code kid} triggers one refetch, at most one every
     * {@link #JWKS_URL_MIN_REFETCH_INTERVAL}. So no token request waits on the client's server except the first one
     * and a key rotation; a burst of assertions with made-up {@code kid}s cannot make CareGate hammer it.
     */
    public static final Duration JWKS_URL_CACHE_TIME_TO_LIVE = Duration.ofMinutes(5);

    public static final Duration JWKS_URL_MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
    private static final int JWKS_URL_TIMEOUT_MILLIS = 2_000;
    private static final int JWKS_URL_SIZE_LIMIT_BYTES = 64 * 1024;
    private static final Set<JWSAlgorithm> SMART_ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

    private final String tokenEndpoint;
    private final ClientAssertionReplayGuard replayGuard;
    private final Clock clock;
    private final Map<String, CachedDecoder> decoders = new ConcurrentHashMap<>();

    public SmartClientAssertionDecoderFactory(
            String tokenEndpoint, ClientAssertionReplayGuard replayGuard, Clock clock) {
        this.tokenEndpoint = tokenEndpoint;
        this.replayGuard = replayGuard;
        this.clock = clock;
    }

    /**
     * Spring Security's default claim conversion (timestamps to {@code Instant}, {@code aud} to a list), except that
     * it fills a missing {@code iat} with {@code exp - 1 s}: that {@code iat} is taken out again, so the validator
     * sees the claims the client sent.
     */
    private static final MappedJwtClaimSetConverter SPRING_DEFAULTS = MappedJwtClaimSetConverter.withDefaults(Map.of());

    private static final Converter<Map<String, Object>, Map<String, Object>> AS_SENT = claims -> {
        Map<String, Object> converted = SPRING_DEFAULTS.convert(claims);
        if (claims.get(JwtClaimNames.IAT) == null && converted.containsKey(JwtClaimNames.IAT)) {
            converted = new HashMap<>(converted);
            converted.remove(JwtClaimNames.IAT);
        }
        return converted;
    };

    private record CachedDecoder(int settingsHash, JwtDecoder decoder) {}

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        int settingsHash = client.getClientSettings().getSettings().hashCode();
        CachedDecoder cached = decoders.compute(
                client.getId(),
                (id, existing) -> existing != null && existing.settingsHash() == settingsHash
                        ? existing
                        : new CachedDecoder(settingsHash, buildDecoder(client)));
        return cached.decoder();
    }

    private JwtDecoder buildDecoder(RegisteredClient client) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms(client), keySource(client)));
        // Claims are checked by the Spring validator below, with the injected clock.
        processor.setJWTClaimsSetVerifier((claims, context) -> {});
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setClaimSetConverter(AS_SENT);
        decoder.setJwtValidator(new AssertionValidator(client.getClientId()));
        return decoder;
    }

    private static Set<JWSAlgorithm> algorithms(RegisteredClient client) {
        JwsAlgorithm registered = client.getClientSettings().getTokenEndpointAuthenticationSigningAlgorithm();
        if (registered == null) {
            return SMART_ALGORITHMS;
        }
        return Set.of(JWSAlgorithm.parse(registered.getName()));
    }

    private static JWKSource<SecurityContext> keySource(RegisteredClient client) {
        String inline = SmartClientSettings.inlineJwks(client.getClientSettings());
        if (inline != null) {
            try {
                return new ImmutableJWKSet<>(JWKSet.parse(inline));
            } catch (ParseException e) {
                throw invalidClient("the registered JWK Set of client " + client.getClientId() + " is not valid");
            }
        }
        String url = client.getClientSettings().getJwkSetUrl();
        if (url != null && !url.isBlank()) {
            try {
                return JWKSourceBuilder.<SecurityContext>create(
                                new URL(url),
                                new DefaultResourceRetriever(
                                        JWKS_URL_TIMEOUT_MILLIS, JWKS_URL_TIMEOUT_MILLIS, JWKS_URL_SIZE_LIMIT_BYTES))
                        .cache(JWKS_URL_CACHE_TIME_TO_LIVE.toMillis(), JWKS_URL_TIMEOUT_MILLIS * 2L)
                        .rateLimited(JWKS_URL_MIN_REFETCH_INTERVAL.toMillis())
                        .retrying(false)
                        .build();
            } catch (MalformedURLException e) {
                throw invalidClient("the registered JWK Set URL of client " + client.getClientId() + " is not valid");
            }
        }
        throw invalidClient("client " + client.getClientId() + " has no registered keys (JWKS or JWKS URL)");
    }

    private static OAuth2AuthenticationException invalidClient(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(
                OAuth2ErrorCodes.INVALID_CLIENT,
                description,
                "https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html"));
    }

    private final class AssertionValidator implements OAuth2TokenValidator<Jwt> {

        private final String clientId;

        AssertionValidator(String clientId) {
            this.clientId = clientId;
        }

        @Override
        public OAuth2TokenValidatorResult validate(Jwt assertion) {
            Instant now = clock.instant();
            if (!clientId.equals(assertion.getClaimAsString("iss"))) {
                return failure("iss must be the client id");
            }
            if (!clientId.equals(assertion.getSubject())) {
                return failure("sub must be the client id");
            }
            List<String> audience = assertion.getAudience();
            if (audience == null || !new LinkedHashSet<>(audience).contains(tokenEndpoint)) {
                return failure("aud must be the token endpoint URL " + tokenEndpoint);
            }
            Instant expiresAt = assertion.getExpiresAt();
            if (expiresAt == null) {
                return failure("exp is required");
            }
            if (!expiresAt.isAfter(now.minus(CLOCK_SKEW))) {
                return failure("the client assertion has expired");
            }
            if (expiresAt.isAfter(now.plus(MAX_LIFETIME).plus(MAX_LIFETIME_TOLERANCE))) {
                return failure("exp must be no more than five minutes in the future");
            }
            if (assertion.getNotBefore() != null && assertion.getNotBefore().isAfter(now.plus(CLOCK_SKEW))) {
                return failure("the client assertion is not yet valid (nbf)");
            }
            if (assertion.getClaims().get(JwtClaimNames.IAT) instanceof Instant issuedAt
                    && issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
                return failure("iat is in the future");
            }
            String jti = assertion.getId();
            if (jti == null || jti.isBlank()) {
                return failure("jti is required");
            }
            if (!replayGuard.firstUse(clientId, jti, expiresAt)) {
                return failure("this client assertion (jti) has already been used");
            }
            return OAuth2TokenValidatorResult.success();
        }

        private OAuth2TokenValidatorResult failure(String description) {
            return OAuth2TokenValidatorResult.failure(
                    new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "client assertion: " + description, null));
        }
    }
}
