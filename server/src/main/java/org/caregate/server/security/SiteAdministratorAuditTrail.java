package org.caregate.server.security;

import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.Optional;
import org.caregate.server.audit.OrganisationAuditTrail;
import org.caregate.smart.authserver.user.UserAccount;

/**
 * A site administrator reads the audit trail of their organisation's users (who looked at which record), and no
 * patient data: AuditEvents that name the organisation as an agent, searched as
 * {@code AuditEvent?agent=Organization/<id>} (with a scope such as {@code user/AuditEvent.rs}). That search is not
 * narrowed to patients (an administrator has none); each event shown must name the organisation.
 */
final class SiteAdministratorAuditTrail {

    static final String ROLE = "site-admin";

    private SiteAdministratorAuditTrail() {
    }

    static boolean appliesTo(AccessContext context, String resourceType) {
        return "AuditEvent".equals(resourceType) && organizationOf(context).isPresent();
    }

    /** The rule, first in the list, for a site administrator's token; empty for everyone else. */
    static Optional<IAuthRule> rule(AccessContext context) {
        return organizationOf(context).map(organization -> new RuleBuilder()
                .allow("site-admin: audit trail of Organization/" + organization)
                .read().resourcesOfType("AuditEvent").withAnyId()
                .withTester(OrganisationAuditTrail.tester(organization))
                .build().get(0));
    }

    private static Optional<String> organizationOf(AccessContext context) {
        return context.user()
                .filter(user -> user.roles().contains(ROLE))
                .map(UserAccount::organizationId);
    }
}
