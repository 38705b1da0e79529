package org.caregate.consent;

/**
 * One rule of the access policy. Implementations are pure: everything they need (the requester, the patient's facts,
 * the kind of data, the instant and the facility time zone) is in the {@link AccessRequest}; they never read a clock,
 * a database or a security context.
 *
 * <p>A rule returns {@link Decision#notApplicable(String)} rather than {@code null} when it has nothing to say.
 */
@FunctionalInterface
public interface AccessRule {

    /** Decides this request; never returns {@code null}. */
    Decision evaluate(AccessRequest request);
}
