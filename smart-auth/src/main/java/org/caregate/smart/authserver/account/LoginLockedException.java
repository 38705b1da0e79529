package org.caregate.smart.authserver.account;

import org.springframework.security.core.AuthenticationException;

/** Too many failed sign-ins with this user name: refused until the lock ends, whatever the password. */
public class LoginLockedException extends AuthenticationException {

    public LoginLockedException() {
        super("too many failed sign-ins; try again later");
    }
}
