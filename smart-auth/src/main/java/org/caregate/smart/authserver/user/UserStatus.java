package org.caregate.smart.authserver.user;

/**
 * Whether an account may be used. Only {@link #ACTIVE} accounts can log in, be issued tokens or refresh them; the
 * others stay so that a refusal can say why.
 */
public enum UserStatus {
    ACTIVE,
    /** Temporarily blocked (e.g. by a site administrator); may become active again. */
    SUSPENDED,
    /** Access has ended for good (e.g. a practitioner who left the organisation). */
    TERMINATED
}
