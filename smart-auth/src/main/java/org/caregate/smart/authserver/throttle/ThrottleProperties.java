package org.caregate.smart.authserver.throttle;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Throttling of failed requests per client address at the authorization server, under {@code caregate.smart.throttle}
 * (the lockout of one user name after repeated failed sign-ins is {@code caregate.accounts.*}).
 *
 * @param maxFailuresPerAddress failed sign-ins, second-factor codes and token, introspection and revocation requests
 *                              from one client address within {@code window}; after that every such request from it
 *                              is answered 429 until the window has passed
 * @param window                how long failures count
 * @param maxTrackedAddresses   addresses remembered at once (each a few dozen bytes); the oldest windows go first
 */
@ConfigurationProperties("caregate.smart.throttle")
public record ThrottleProperties(
        @DefaultValue("50") int maxFailuresPerAddress,
        @DefaultValue("PT10M") Duration window,
        @DefaultValue("100000") int maxTrackedAddresses) {

    public ThrottleProperties {
        if (maxFailuresPerAddress < 1 || window.isNegative() || window.isZero() || maxTrackedAddresses < 1) {
            throw new IllegalArgumentException("caregate.smart.throttle.*: limits must be positive");
        }
    }
}
