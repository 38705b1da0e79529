package org.caregate.smart.authserver;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the SMART authorization server, under {@code caregate.smart.*} (kebab-case). The public address of the
 * server is {@code caregate.public-base-url} (see {@link SmartAuthUrls}).
 *
 * @param accessTokenTimeToLive        lifetime of access tokens issued to users' apps (default 1 hour)
 * @param backendAccessTokenTimeToLive lifetime of access tokens issued to backend services; SMART Backend Services
 *                                     caps it at 5 minutes, so anything longer is refused at startup
 * @param refreshTokenTimeToLive       lifetime of refresh tokens ({@code offline_access}; default 30 days)
 * @param launchContextTimeToLive      how long an EHR launch id may be used (default 5 minutes)
 * @param registerExampleClients       register the four example clients at first start (default true)
 * @param extraRedirectUris            more redirect URIs for the example public, confidential and asymmetric apps
 *                                     (SAS matches redirect URIs exactly)
 * @param signingKeyRotation           age after which the signing key is replaced by a new one (default 90 days);
 *                                     the old key stays in the JWKS until tokens it signed have expired
 * @param keyCacheRefresh              how often each node reloads the signing keys from the database
 * @param revocationCacheRefresh       how often each node reloads the set of revoked access-token ids and of
 *                                     disabled clients; a revocation or a disabling made on another node is seen
 *                                     within this time
 * @param initialAccessTokenTimeToLive how long an RFC 7591 initial access token issued by an administrator may be
 *                                     used (default 7 days; single use)
 */
@ConfigurationProperties("caregate.smart")
public record SmartAuthProperties(
        @DefaultValue("PT1H") Duration accessTokenTimeToLive,
        @DefaultValue("PT5M") Duration backendAccessTokenTimeToLive,
        @DefaultValue("P30D") Duration refreshTokenTimeToLive,
        @DefaultValue("PT5M") Duration launchContextTimeToLive,
        @DefaultValue("true") boolean registerExampleClients,
        @DefaultValue({}) List<String> extraRedirectUris,
        @DefaultValue("P90D") Duration signingKeyRotation,
        @DefaultValue("PT5M") Duration keyCacheRefresh,
        @DefaultValue("PT5S") Duration revocationCacheRefresh,
        @DefaultValue("P7D") Duration initialAccessTokenTimeToLive) {

    /** SMART App Launch 2.2, Backend Services: "access token ... lifetime no longer than five minutes". */
    public static final Duration BACKEND_ACCESS_TOKEN_MAX = Duration.ofMinutes(5);

    public SmartAuthProperties {
        extraRedirectUris = extraRedirectUris == null ? List.of() : List.copyOf(extraRedirectUris);
        if (backendAccessTokenTimeToLive.compareTo(BACKEND_ACCESS_TOKEN_MAX) > 0) {
            throw new IllegalArgumentException("caregate.smart.backend-access-token-time-to-live must be at most 300 s"
                    + " (SMART Backend Services), was " + backendAccessTokenTimeToLive);
        }
    }
}
