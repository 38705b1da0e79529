package org.caregate.consent;

import java.util.List;
import java.util.Objects;

/**
 * Rules composed with a combining algorithm. A policy is itself an {@link AccessRule}, so policies nest:
 *
 * <pre>{@code
 * AccessPolicy policy = AccessPolicy.denyOverrides(
 *         AccessPolicy.firstApplicable(Rules.self(), Rules.guardian(), Rules.careRelationship(),
 *                 Rules.backendClient(), Rules.denyAll()),
 *         Rules.patientOptOut(),
 *         Rules.releaseHold());
 * Decision decision = policy.decide(request);
 * }</pre>
 *
 * A new rule is a new class and a line in the policy; the other rules do not change.
 * The product policy is built by {@code org.caregate.consent.rules.CareGatePolicy#standard}.
 */
public final class AccessPolicy implements AccessRule {

    private enum Algorithm {
        FIRST_APPLICABLE,
        DENY_OVERRIDES
    }

    private final Algorithm algorithm;
    private final List<AccessRule> rules;

    private AccessPolicy(Algorithm algorithm, AccessRule... rules) {
        this.algorithm = algorithm;
        this.rules = List.of(rules);
        if (this.rules.isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one rule");
        }
    }

    /**
     * The decision of the first rule, in order, that does not answer not-applicable; not-applicable if none does.
     * End the list with {@code Rules.denyAll()} to deny by default.
     */
    public static AccessPolicy firstApplicable(AccessRule... rules) {
        return new AccessPolicy(Algorithm.FIRST_APPLICABLE, rules);
    }

    /**
     * Any deny wins over any permit. Every rule is consulted (until a deny is found); the result is the first deny in
     * the order given, else the first permit, else not-applicable. Because the first deny is the one reported, list
     * first the rule whose reason the requester should read when several deny.
     */
    public static AccessPolicy denyOverrides(AccessRule... rules) {
        return new AccessPolicy(Algorithm.DENY_OVERRIDES, rules);
    }

    /**
     * Decides the request: permit, deny or not-applicable, never {@code null}. Only {@link Decision#isPermit()} grants
     * access; treat not-applicable as deny (the standard policy never returns it).
     *
     * @throws NullPointerException if a rule breaks its contract and returns {@code null}
     */
    public Decision decide(AccessRequest request) {
        Objects.requireNonNull(request, "request");
        return algorithm == Algorithm.FIRST_APPLICABLE ? firstApplicable(request) : denyOverrides(request);
    }

    /** Same as {@link #decide(AccessRequest)}, so that a policy can be a rule of another policy. */
    @Override
    public Decision evaluate(AccessRequest request) {
        return decide(request);
    }

    private Decision firstApplicable(AccessRequest request) {
        for (AccessRule rule : rules) {
            Decision decision = evaluate(rule, request);
            if (!decision.isNotApplicable()) {
                return decision;
            }
        }
        return Decision.notApplicable("first-applicable");
    }

    private Decision denyOverrides(AccessRequest request) {
        Decision firstPermit = null;
        for (AccessRule rule : rules) {
            Decision decision = evaluate(rule, request);
            if (decision.isDeny()) {
                return decision;
            }
            if (decision.isPermit() && firstPermit == null) {
                firstPermit = decision;
            }
        }
        return firstPermit != null ? firstPermit : Decision.notApplicable("deny-overrides");
    }

    private static Decision evaluate(AccessRule rule, AccessRequest request) {
        return Objects.requireNonNull(rule.evaluate(request), () -> "rule " + rule + " returned null");
    }

    @Override
    public String toString() {
        return algorithm + rules.toString();
    }
}
