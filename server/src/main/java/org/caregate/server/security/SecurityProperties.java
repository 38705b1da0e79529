package org.caregate.server.security;

import java.net.URL;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How {@code /fhir} authenticates its callers.
 *
 * @param externalIssuers OpenID issuers trusted beside the built-in authorization server: their RS256 access tokens
 *     are accepted when {@code iss} matches and the signature verifies with a key from {@code jwks-url} (cached;
 *     refreshed in the background), and {@code aud} is this server's FHIR base URL
 * @param clockSkew tolerance for {@code exp}, {@code nbf} and {@code iat}
 * @param enabled {@code false} serves {@code /fhir} with no authentication or authorization at all: only for the
 *     benchmark that measures what the security chain costs, never for a server that holds real data
 */
@ConfigurationProperties("caregate.security")
public record SecurityProperties(
        @DefaultValue List<ExternalIssuer> externalIssuers,
        @DefaultValue("30s") java.time.Duration clockSkew,
        @DefaultValue("true") boolean enabled) {

    /**
     * @param issuer the exact {@code iss} value
     * @param jwksUrl where the issuer publishes its signing keys
     */
    public record ExternalIssuer(String issuer, URL jwksUrl) {}
}
