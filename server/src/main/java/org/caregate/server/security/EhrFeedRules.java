package org.caregate.server.security;

import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleConditional;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import java.util.Set;
import org.caregate.smart.scope.Interaction;
import org.caregate.smart.scope.ResourceScope;

/**
 * The authorization rules of the hospital's EHR feed ({@link EffectiveAccess#isEhrFeed()}): its {@code system/}
 * scopes, and nothing more, on every record, whoever's compartment it is in or whether it is in one at all
 * (Organization, Practitioner, Location): create, conditional create ({@code If-None-Exist}), update, PUT with a
 * client id, conditional update (upsert by identifier), patch, delete, conditional delete, and transaction and batch
 * bundles whose every entry passes these same rules. It is the only client that may write outside the compartments
 * of the patients it reaches. Its writes take the same path as any other (request checks, HAPI storage, the access
 * index's hooks, audit); CareGate's internal panels and the audit trail stay refused to it.
 */
final class EhrFeedRules {

    private EhrFeedRules() {}

    static List<IAuthRule> of(EffectiveAccess access) {
        RuleBuilder rules = new RuleBuilder();
        for (EffectiveAccess.Grant grant : access.grants()) {
            ResourceScope scope = grant.scope();
            String name = "EHR feed, scope " + scope.value();
            String type = scope.resourceType();
            Set<Interaction> interactions = scope.interactions();
            if (interactions.contains(Interaction.READ) || interactions.contains(Interaction.SEARCH)) {
                classify(rules.allow(name).read(), type).withAnyId();
            }
            if (interactions.contains(Interaction.CREATE)) {
                classify(rules.allow(name).create(), type).withAnyId();
                classify(rules.allow(name).createConditional(), type);
            }
            if (interactions.contains(Interaction.UPDATE)) {
                classify(rules.allow(name).write(), type).withAnyId();
                classify(rules.allow(name).updateConditional(), type);
                rules.allow(name).patch().allRequests();
            }
            if (interactions.contains(Interaction.DELETE)) {
                classify(rules.allow(name).delete(), type).withAnyId();
                classify(rules.allow(name).deleteConditional(), type);
            }
        }
        rules.allow("EHR feed: transaction and batch, each entry by the rules above")
                .transaction()
                .withAnyOperation()
                .andApplyNormalRules();
        rules.allow("outcomes of batch entries")
                .read()
                .resourcesOfType("OperationOutcome")
                .withAnyId();
        rules.denyAll("deny by default");
        return rules.build();
    }

    private static IAuthRuleBuilderRuleOpClassifier classify(IAuthRuleBuilderRuleOp op, String type) {
        return "*".equals(type) ? op.allResources() : op.resourcesOfType(type);
    }

    private static void classify(IAuthRuleBuilderRuleConditional op, String type) {
        if ("*".equals(type)) {
            op.allResources();
        } else {
            op.resourcesOfType(type);
        }
    }
}
