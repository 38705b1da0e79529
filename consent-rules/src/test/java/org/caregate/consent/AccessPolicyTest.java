package org.caregate.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private static final AccessRule ABSTAIN = request -> Decision.notApplicable("abstain");
    private static final AccessRule PERMIT = request -> Decision.permit("permit", LocalizedText.of("yes", "sí"));
    private static final AccessRule DENY = request -> Decision.deny("deny", LocalizedText.of("no", "no"));
    private static final AccessRule OTHER_DENY = request -> Decision.deny("other-deny", LocalizedText.of("no", "no"));

    private final AccessRequest request = People.request(People.self(People.adult(30)), People.adult(30));

    @Test
    void firstApplicableWhenEarlierRulesAbstainThenFirstAnswerWins() {
        assertThat(AccessPolicy.firstApplicable(ABSTAIN, PERMIT, DENY)
                        .decide(request)
                        .rule())
                .isEqualTo("permit");
        assertThat(AccessPolicy.firstApplicable(ABSTAIN, DENY, PERMIT)
                        .decide(request)
                        .rule())
                .isEqualTo("deny");
    }

    @Test
    void firstApplicableWhenAllAbstainThenNotApplicable() {
        Decision decision = AccessPolicy.firstApplicable(ABSTAIN, ABSTAIN).decide(request);
        assertThat(decision.effect()).isEqualTo(Effect.NOT_APPLICABLE);
    }

    @Test
    void denyOverridesWhenAnyRuleDeniesThenDenyWhateverTheOrder() {
        assertThat(AccessPolicy.denyOverrides(PERMIT, ABSTAIN, DENY)
                        .decide(request)
                        .effect())
                .isEqualTo(Effect.DENY);
        assertThat(AccessPolicy.denyOverrides(DENY, PERMIT).decide(request).effect())
                .isEqualTo(Effect.DENY);
    }

    @Test
    void denyOverridesWhenSeveralDenyThenFirstDenyInOrderIsReported() {
        assertThat(AccessPolicy.denyOverrides(PERMIT, OTHER_DENY, DENY)
                        .decide(request)
                        .rule())
                .isEqualTo("other-deny");
    }

    @Test
    void denyOverridesWhenOnlyPermitsAndAbstentionsThenPermit() {
        assertThat(AccessPolicy.denyOverrides(ABSTAIN, PERMIT).decide(request).isPermit())
                .isTrue();
        assertThat(AccessPolicy.denyOverrides(ABSTAIN).decide(request).isNotApplicable())
                .isTrue();
    }

    @Test
    void decideWhenPoliciesNestThenInnerDecisionKeepsItsRuleName() {
        AccessPolicy policy = AccessPolicy.denyOverrides(ABSTAIN, AccessPolicy.firstApplicable(ABSTAIN, PERMIT));
        assertThat(policy.decide(request).rule()).isEqualTo("permit");
    }

    @Test
    void decideWhenARuleReturnsNullThenFailsInsteadOfPermitting() {
        AccessRule broken = r -> null;
        assertThatThrownBy(() -> AccessPolicy.firstApplicable(broken, PERMIT).decide(request))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void policyWhenNoRulesThenRejected() {
        assertThatThrownBy(AccessPolicy::firstApplicable).isInstanceOf(IllegalArgumentException.class);
    }
}
