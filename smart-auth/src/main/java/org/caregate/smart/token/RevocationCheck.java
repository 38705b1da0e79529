package org.caregate.smart.token;

/**
 * Tells whether an access token has been revoked (RFC 7009) before it expired, by its {@code jti}.
 *
 * <p>Called once per validated token, after every cheaper check has passed. Implementations should answer from
 * memory or one indexed query. An exception thrown here propagates out of
 * {@link SmartAccessTokenValidator#validate}: the request fails rather than being let through.
 */
@FunctionalInterface
public interface RevocationCheck {

    /** Has the token with this {@code jti} been revoked? */
    boolean isRevoked(String tokenId);
}
