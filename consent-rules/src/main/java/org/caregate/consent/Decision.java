package org.caregate.consent;

import java.util.Locale;
import java.util.Objects;

/**
 * The answer of an {@link AccessRule} or {@link AccessPolicy}: permit, deny or not-applicable, the stable machine name
 * of the rule that decided (e.g. {@code "guardian"}), and a reason to show the requester (e.g. in an
 * OperationOutcome). Never {@code null}: a rule that has nothing to say returns {@link #notApplicable(String)}.
 *
 * @param effect permit, deny or not-applicable
 * @param rule   the machine name of the rule that decided; never blank
 * @param reason why, in English and Spanish
 */
public record Decision(Effect effect, String rule, LocalizedText reason) {

    public Decision {
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        if (rule.isBlank()) {
            throw new IllegalArgumentException("a decision must name its rule");
        }
    }

    /** The rule permits access, for the given reason. */
    public static Decision permit(String rule, LocalizedText reason) {
        return new Decision(Effect.PERMIT, rule, reason);
    }

    /** The rule denies access, for the given reason. */
    public static Decision deny(String rule, LocalizedText reason) {
        return new Decision(Effect.DENY, rule, reason);
    }

    /** The rule does not apply to this request (an explicit abstention). */
    public static Decision notApplicable(String rule) {
        return new Decision(
                Effect.NOT_APPLICABLE,
                rule,
                LocalizedText.of(
                        "The rule \"" + rule + "\" does not apply to this request.",
                        "La regla \"" + rule + "\" no se aplica a esta solicitud."));
    }

    /** {@code true} only for {@link Effect#PERMIT}; a not-applicable decision is not a permit. */
    public boolean isPermit() {
        return effect == Effect.PERMIT;
    }

    /** {@code true} only for {@link Effect#DENY}. */
    public boolean isDeny() {
        return effect == Effect.DENY;
    }

    /** {@code true} only for {@link Effect#NOT_APPLICABLE}. */
    public boolean isNotApplicable() {
        return effect == Effect.NOT_APPLICABLE;
    }

    /** The reason in the locale's language: Spanish for {@code es}, English otherwise. */
    public String reason(Locale locale) {
        return reason.in(locale);
    }
}
