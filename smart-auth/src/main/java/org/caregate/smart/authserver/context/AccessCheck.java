package org.caregate.smart.authserver.context;

/**
 * Whether a user may access a patient now, and the rule that decided it.
 *
 * @param permitted whether access is allowed
 * @param rule      the name of the rule that decided (e.g. {@code guardian}), for logs and error descriptions
 * @param reason    plain-language reason (e.g. "guardians have no online access to records of patients aged 12-17")
 */
public record AccessCheck(boolean permitted, String rule, String reason) {

    public static AccessCheck permit(String rule, String reason) {
        return new AccessCheck(true, rule, reason);
    }

    public static AccessCheck deny(String rule, String reason) {
        return new AccessCheck(false, rule, reason);
    }
}
