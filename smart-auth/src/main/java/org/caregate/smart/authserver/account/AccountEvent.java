package org.caregate.smart.authserver.account;

import java.time.Instant;

/**
 * Something that happened to a person's access, published as a Spring application event for the audit trail:
 * sign-ins and failed ones, lockouts, account changes, approvals and revocations of apps. The server records each
 * as an AuditEvent.
 *
 * @param type     what happened
 * @param username whose account (as typed for a failed sign-in: it may not exist)
 * @param actor    who did it when not the person themself (an administrator, a sponsor), else null
 * @param detail   e.g. the client id of an app, the reason of a failure
 * @param success  whether it succeeded (a failed sign-in is not)
 * @param at       when
 */
public record AccountEvent(Type type, String username, String actor, String detail, boolean success, Instant at) {

    public enum Type {
        LOGIN,
        LOGIN_FAILED,
        LOCKED_OUT,
        MFA_ENROLLED,
        PASSWORD_RESET,
        ACCOUNT_CREATED,
        ACCOUNT_TERMINATED,
        TERMINATION_PLANNED,
        ACCOUNT_SUSPENDED,
        ACCOUNT_ACTIVATED,
        APP_APPROVED,
        APP_REVOKED,
        ACCESS_REQUESTED,
        ACCESS_REVIEW_ATTESTED
    }

    public static AccountEvent of(Type type, String username, String actor, String detail, Instant at) {
        return new AccountEvent(type, username, actor, detail, true, at);
    }

    public static AccountEvent failed(Type type, String username, String detail, Instant at) {
        return new AccountEvent(type, username, null, detail, false, at);
    }
}
