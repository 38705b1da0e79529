package org.caregate.server.security;

import java.util.Optional;
import java.util.Set;
import org.caregate.consent.Decision;
import org.caregate.server.access.AccessFactsResolver;
import org.caregate.server.access.PatientAccess;
import org.caregate.server.access.RequesterRoles;
import org.caregate.smart.scope.ScopeContext;
import org.springframework.stereotype.Component;

/**
 * Permitted patients from the consent rules, evaluated at the request's instant:
 * <ul>
 *   <li>a person's token with {@code user/} scopes: every patient the consent rules permit that person now;</li>
 *   <li>a person's token with only {@code patient/} scopes: the launch patient, if the rules still permit them
 *       (a guardian's token for an 11-year-old stops working at 00:00 on the 12th birthday);</li>
 *   <li>a backend client: its organisation's patients.</li>
 * </ul>
 */
@Component
public class ConsentPermittedPatients implements PermittedPatients {

    private final AccessFactsResolver facts;
    private final PatientAccess access;

    public ConsentPermittedPatients(AccessFactsResolver facts, PatientAccess access) {
        this.facts = facts;
        this.access = access;
    }

    @Override
    public Set<String> of(AccessContext context) {
        return context.once("permitted-patients", () -> compute(context));
    }

    @Override
    public Optional<Decision> decide(AccessContext context, String patientId) {
        return Optional.of(access.decide(requester(context), patientId, access.now()));
    }

    private Set<String> compute(AccessContext context) {
        Set<String> permitted = access.permittedPatientIds(requester(context), access.now());
        if (context.isBackendClient() || context.hasScopesIn(ScopeContext.USER)) {
            return permitted;
        }
        return context.token().launchPatient().filter(permitted::contains).map(Set::of).orElse(Set.of());
    }

    private RequesterRoles requester(AccessContext context) {
        return context.once("requester", () -> context.user()
                .map(facts::requesterFor)
                .orElseGet(() -> RequesterRoles.of(facts.backendClient(context.token().clientId(),
                        context.token().clientOrganization().orElseThrow()))));
    }
}
