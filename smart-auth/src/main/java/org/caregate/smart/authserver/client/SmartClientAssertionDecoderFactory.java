package org.caregate.smart.authserver.client;

import java.net.MalformedURLException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.JwsAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Verifies client assertions ({@code private_key_jwt}, RFC 7523) the way SMART App Launch 2.2 asks
 * ("Client Authentication: Asymmetric (public key)" and "Backend Services"):
 * <ul>
 *   <li>the signature, with the client's keys given <em>by value</em> (inline JWK Set in
 *       {@link SmartClientSettings#JWKS}) or <em>by URL</em> (SAS's {@code jwk-set-url} setting), with the
 *       algorithm registered for the client, or RS384/ES384 (the two SMART requires) when none is registered;</li>
 *   <li>{@code iss} and {@code sub} equal to the client id, {@code aud} equal to the token endpoint URL;</li>
 *   <li>{@code exp} present, in the future, and no more than five minutes ahead; {@code nbf}/{@code iat} not in the
 *       future (one minute of clock skew);</li>
 *   <li>{@code jti} present and never used before by this client ({@link ClientAssertionReplayGuard}); checked
 *       last, so that an assertion refused for another reason does not use up its {@code jti}.</li>
 * </ul>
 * Any failure makes SAS answer {@code invalid_client} (HTTP 401).
 */
public class SmartClientAssertionDecoderFactory implements JwtDecoderFactory<RegisteredClient> {

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final Set<JWSAlgorithm> SMART_ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

    private final String tokenEndpoint;
    private final ClientAssertionReplayGuard replayGuard;
    private final Clock clock;
    private final Map<String, CachedDecoder> decoders = new ConcurrentHashMap<>();

    public SmartClientAssertionDecoderFactory(String tokenEndpoint, ClientAssertionReplayGuard replayGuard,
            Clock clock) {
        this.tokenEndpoint = tokenEndpoint;
        this.replayGuard = replayGuard;
        this.clock = clock;
    }

    private record CachedDecoder(int settingsHash, JwtDecoder decoder) {
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        int settingsHash = client.getClientSettings().getSettings().hashCode();
        CachedDecoder cached = decoders.compute(client.getId(), (id, existing) ->
                existing != null && existing.settingsHash() == settingsHash ? existing
                        : new CachedDecoder(settingsHash, buildDecoder(client)));
        return cached.decoder();
    }

    private JwtDecoder buildDecoder(RegisteredClient client) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms(client), keySource(client)));
        // Claims are checked by the Spring validator below, with the injected clock.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
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
                return JWKSourceBuilder.create(new URL(url)).retrying(true).build();
            } catch (MalformedURLException e) {
                throw invalidClient("the registered JWK Set URL of client " + client.getClientId() + " is not valid");
            }
        }
        throw invalidClient("client " + client.getClientId() + " has no registered keys (JWKS or JWKS URL)");
    }

    private static OAuth2AuthenticationException invalidClient(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description,
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
            if (expiresAt.isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_SKEW))) {
                return failure("exp must be no more than five minutes in the future");
            }
            if (assertion.getNotBefore() != null && assertion.getNotBefore().isAfter(now.plus(CLOCK_SKEW))) {
                return failure("the client assertion is not yet valid (nbf)");
            }
            if (assertion.getIssuedAt() != null && assertion.getIssuedAt().isAfter(now.plus(CLOCK_SKEW))) {
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
            return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                    "client assertion: " + description, null));
        }
    }
}
