package org.caregate.smart.authserver.account;

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

    public LockoutAuthenticationProvider(AuthenticationProvider passwords, LoginAttempts attempts) {
        this.passwords = passwords;
        this.attempts = attempts;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        if (attempts.lockedUntil(username).isPresent()) {
            throw new LoginLockedException();
        }
        try {
            Authentication result = passwords.authenticate(authentication);
            if (result != null) {
                attempts.clear(username);
            }
            return result;
        } catch (AuthenticationException e) {
            if (attempts.recordFailure(username)) {
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
