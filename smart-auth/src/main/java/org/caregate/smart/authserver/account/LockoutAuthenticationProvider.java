package org.caregate.smart.authserver.account;

import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * The password check of the login form, behind {@link LoginAttempts}: a locked user name is refused before its
 * password is looked at; every refused sign-in (wrong password, unknown name, inactive account alike) counts, and
 * the one that reaches the limit is answered as locked; a successful one clears the count.
 */
public class LockoutAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider passwords;
    private final LoginAttempts attempts;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public LockoutAuthenticationProvider(
            AuthenticationProvider passwords, LoginAttempts attempts, ApplicationEventPublisher events, Clock clock) {
        this.passwords = passwords;
        this.attempts = attempts;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        if (attempts.lockedUntil(username).isPresent()) {
            events.publishEvent(
                    AccountEvent.failed(AccountEvent.Type.LOGIN_FAILED, username, "locked", clock.instant()));
            throw new LoginLockedException();
        }
        try {
            Authentication result = passwords.authenticate(authentication);
            if (result != null) {
                attempts.clear(username);
                events.publishEvent(
                        AccountEvent.of(AccountEvent.Type.LOGIN, username, null, "password", clock.instant()));
            }
            return result;
        } catch (AuthenticationException e) {
            events.publishEvent(AccountEvent.failed(
                    AccountEvent.Type.LOGIN_FAILED, username, e.getClass().getSimpleName(), clock.instant()));
            if (attempts.recordFailure(username)) {
                events.publishEvent(AccountEvent.failed(
                        AccountEvent.Type.LOCKED_OUT, username, "too many failed sign-ins", clock.instant()));
                throw new LoginLockedException();
            }
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return passwords.supports(authentication);
    }
}
