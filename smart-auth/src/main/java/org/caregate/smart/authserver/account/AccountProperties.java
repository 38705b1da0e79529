package org.caregate.smart.authserver.account;

import java.time.Duration;
import java.util.Set;
import org.caregate.smart.authserver.user.UserKind;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How people get, keep and lose their accounts, under {@code caregate.accounts.*} (kebab-case).
 *
 * @param maxFailedLogins            failed sign-ins in a row (per user name, existing or not) that lock it
 * @param lockoutDuration            how long such a lock lasts; failures older than this are forgotten
 * @param minPasswordLength          the shortest password anyone may choose
 * @param passwordResetTimeToLive    how long an e-mailed password-reset link works (once)
 * @param activationCodeTimeToLive   how long a patient's activation code works (once)
 * @param invitationTimeToLive       how long a guardian's e-mailed invitation works (once; can be resent)
 * @param idleTimeout                a signed-in browser session with no request for this long ends
 * @param identityProofingMaxAttempts failed identity-proofing attempts (name, birth date, MRN) that lock it
 * @param identityProofingLock       how long such a lock lasts
 * @param mailFrom                   the sender of CareGate's e-mails
 * @param mfaRequiredKinds           kinds of account that must sign in with a TOTP code (RFC 6238) as well; they
 *                                   enrol on their first sign-in. Accounts marked exempt (the development
 *                                   personas of the seed data) are not asked until they enrol themselves
 * @param activationPage             path of the page where an activation code or invitation is redeemed, linked
 *                                   from the login page (set by the application that serves it; empty: no link)
 */
@ConfigurationProperties("caregate.accounts")
public record AccountProperties(
        @DefaultValue("5") int maxFailedLogins,
        @DefaultValue("PT15M") Duration lockoutDuration,
        @DefaultValue("14") int minPasswordLength,
        @DefaultValue("PT1H") Duration passwordResetTimeToLive,
        @DefaultValue("P30D") Duration activationCodeTimeToLive,
        @DefaultValue("P90D") Duration invitationTimeToLive,
        @DefaultValue("PT20M") Duration idleTimeout,
        @DefaultValue("3") int identityProofingMaxAttempts,
        @DefaultValue("PT1H") Duration identityProofingLock,

        @DefaultValue("CareGate <no-reply@caregate.example>")
        String mailFrom,

        @DefaultValue("PRACTITIONER") Set<UserKind> mfaRequiredKinds,
        @DefaultValue("") String activationPage) {

    /** Passwords longer than this are refused (bcrypt reads 72 bytes; the rest would not count). */
    public static final int MAX_PASSWORD_LENGTH = 72;

    public AccountProperties {
        mfaRequiredKinds = mfaRequiredKinds == null ? Set.of() : Set.copyOf(mfaRequiredKinds);
        if (minPasswordLength < 8 || minPasswordLength > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("caregate.accounts.min-password-length must be 8 to "
                    + MAX_PASSWORD_LENGTH + ", was " + minPasswordLength);
        }
    }
}
