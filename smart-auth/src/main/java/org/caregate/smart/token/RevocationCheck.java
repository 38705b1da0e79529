package org.caregate.smart.token;

/**
 * Tells whether an access token has been revoked (RFC 7009) before it expired: by its {@code jti}, or with every
 * token of its client.
 *
 * <p>Called once per validated token, after every cheaper check has passed. Implementations should answer from
 * memory or one indexed query. An exception thrown here propagates out of
 * {@link SmartAccessTokenValidator#validate}: the request fails rather than being let through.
 */
@FunctionalInterface
public interface RevocationCheck {

    /**
     * Has this token been revoked, by its {@code jti} or because its client may no longer use its tokens (a
     * disabled client)? Called with the token's facts once every other check has passed.
     */
    boolean isRevoked(SmartAccessToken token);
}
