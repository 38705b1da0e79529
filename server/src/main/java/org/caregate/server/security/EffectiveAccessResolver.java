package org.caregate.server.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.caregate.server.access.AccessDecisions;
import org.caregate.server.access.RequesterAccess;
import org.caregate.server.feed.EhrFeedProperties;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.scope.ResourceScope;
import org.springframework.stereotype.Component;

/**
 * Builds a request's {@link EffectiveAccess} from its validated token and the consent decisions about the
 * requester now ({@link AccessDecisions}, kept across requests while they hold).
 */
@Component
public class EffectiveAccessResolver {

    private final AccessDecisions decisions;
    private final EhrFeedProperties ehrFeed;

    public EffectiveAccessResolver(AccessDecisions decisions, EhrFeedProperties ehrFeed) {
        this.decisions = decisions;
        this.ehrFeed = ehrFeed;
    }

    EffectiveAccess resolve(AccessContext context) {
        RequesterAccess consent = context.user()
                .map(decisions::forUser)
                .orElseGet(() -> decisions.forBackendClient(
                        context.token().clientId(),
                        context.token().clientOrganization().orElseThrow()));
        Set<String> permitted = consent.permittedPatientIds();
        Set<String> launchPatient = context.token()
                .launchPatient()
                .filter(permitted::contains)
                .map(Set::of)
                .orElse(Set.of());
        List<EffectiveAccess.Grant> grants = new ArrayList<>();
        for (ResourceScope scope : context.token().scopes().resourceScopes()) {
            Set<String> reach = switch (scope.context()) {
                case PATIENT -> launchPatient;
                case USER, SYSTEM -> permitted;
            };
            grants.add(new EffectiveAccess.Grant(scope, reach));
        }
        boolean feed =
                context.isBackendClient() && ehrFeed.isFeed(context.token().clientId());
        return new EffectiveAccess(context, consent, grants, siteAdministratorOrganization(context), feed);
    }

    private static Optional<String> siteAdministratorOrganization(AccessContext context) {
        return context.user()
                .filter(user -> user.roles().contains(SiteAdministratorAuditTrail.ROLE))
                .map(UserAccount::organizationId);
    }
}
