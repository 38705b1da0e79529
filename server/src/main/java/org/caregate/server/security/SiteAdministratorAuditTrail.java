package org.caregate.server.security;

import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationFlagsEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleTester;
import ca.uhn.fhir.rest.server.interceptor.auth.IRuleApplier;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * A site administrator reads the audit trail of their organisation's users (who looked at which record), and no
 * patient data: AuditEvents that name the organisation as an agent, searched as
 * {@code AuditEvent?agent=Organization/<id>} (with a scope such as {@code user/AuditEvent.rs}). That search is not
 * narrowed to patients (an administrator has none); each event shown must name the organisation.
 */
final class SiteAdministratorAuditTrail {

    static final String ROLE = "site-admin";

    private SiteAdministratorAuditTrail() {}

    static boolean appliesTo(EffectiveAccess access, String resourceType) {
        return "AuditEvent".equals(resourceType)
                && access.siteAdministratorOrganization().isPresent();
    }

    /**
     * The rule for a site administrator's token, placed after the refusal of history across patients; empty for
     * everyone else. It covers reads, searches and their pages only (not history, which lists what every patient's
     * records went through).
     */
    static Optional<IAuthRule> rule(EffectiveAccess access) {
        return access.siteAdministratorOrganization()
                .map(organization -> new RuleBuilder()
                        .allow("site-admin: audit trail of Organization/" + organization)
                        .read()
                        .resourcesOfType("AuditEvent")
                        .withAnyId()
                        .withTester(readsAndSearchesOnly(OrganisationAuditTrail.tester(organization)))
                        .build()
                        .get(0));
    }

    /**
     * A site administrator who asks for another organisation's trail ({@code agent=Organization/<other>}) is refused
     * with this rule's name, rather than shown an empty trail; empty for everyone else.
     */
    static Optional<IAuthRule> otherOrganisationsTrail(EffectiveAccess access) {
        return access.siteAdministratorOrganization().map(organization -> new IAuthRule() {
            @Override
            public AuthorizationInterceptor.Verdict applyRule(
                    RestOperationTypeEnum operation,
                    RequestDetails request,
                    IBaseResource input,
                    IIdType inputId,
                    IBaseResource output,
                    IRuleApplier applier,
                    Set<AuthorizationFlagsEnum> flags,
                    Pointcut pointcut) {
                String[] agents = request.getParameters() == null
                        ? null
                        : request.getParameters().get("agent");
                if (!"AuditEvent".equals(request.getResourceName()) || agents == null) {
                    return null;
                }
                for (String value : agents) {
                    for (String agent : value.split(",")) {
                        if (agent.startsWith("Organization/") && !agent.equals("Organization/" + organization)) {
                            request.getUserData().put(SmartAuthorizationInterceptor.DENYING_RULE, getName());
                            return new AuthorizationInterceptor.Verdict(PolicyEnum.DENY, this);
                        }
                    }
                }
                return null;
            }

            @Override
            public String getName() {
                return "site-admin: only the audit trail of Organization/" + organization;
            }
        });
    }

    private static IAuthRuleTester readsAndSearchesOnly(IAuthRuleTester organisationTrail) {
        return new IAuthRuleTester() {
            @Override
            public boolean matches(RuleTestRequest request) {
                return READS.contains(request.operation) && organisationTrail.matches(request);
            }

            @Override
            public boolean matchesOutput(RuleTestRequest request) {
                return READS.contains(request.operation) && organisationTrail.matchesOutput(request);
            }
        };
    }

    private static final Set<RestOperationTypeEnum> READS = Set.of(
            RestOperationTypeEnum.READ,
            RestOperationTypeEnum.VREAD,
            RestOperationTypeEnum.SEARCH_TYPE,
            RestOperationTypeEnum.GET_PAGE);
}
