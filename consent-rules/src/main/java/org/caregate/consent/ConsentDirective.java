package org.caregate.consent;

import java.util.Objects;

/**
 * A patient's own consent directive refusing to share their records with a practitioner or an organization
 * (a FHIR {@code Consent} with a deny provision naming that actor). It overrides any permit while its period holds.
 * Directives that permit sharing are not modelled: they cannot widen access.
 *
 * @param refused the practitioner or organization the patient refuses
 * @param period  when the refusal holds; {@code null} means {@link TimeRange#always()}
 */
public record ConsentDirective(CareProvider refused, TimeRange period) {

    public ConsentDirective {
        Objects.requireNonNull(refused, "refused");
        period = period == null ? TimeRange.always() : period;
    }

    /** A refusal with no time limit. */
    public static ConsentDirective refuse(CareProvider refused) {
        return new ConsentDirective(refused, TimeRange.always());
    }
}
