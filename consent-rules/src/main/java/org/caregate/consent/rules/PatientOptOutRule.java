package org.caregate.consent.rules;

import java.util.function.Predicate;
import org.caregate.consent.AccessRequest;
import org.caregate.consent.AccessRule;
import org.caregate.consent.BackendClientRequester;
import org.caregate.consent.CareProvider;
import org.caregate.consent.ConsentDirective;
import org.caregate.consent.Decision;
import org.caregate.consent.LocalizedText;
import org.caregate.consent.PractitionerRequester;

/**
 * The patient's own refusal to share with a practitioner or an organization. Denies a practitioner refused by name or
 * through their organization, and a backend client whose organization is refused, while the directive's period holds;
 * not applicable otherwise. It never permits: use it in a deny-overrides policy so that it overrides any permit.
 */
public final class PatientOptOutRule implements AccessRule {

    /** The rule's machine name. */
    public static final String NAME = "patient-opt-out";

    static final LocalizedText REFUSED = LocalizedText.of(
            "The patient has asked that their records not be shared with you or your organization, so you may not "
                    + "see them.",
            "El paciente ha pedido que sus registros no se compartan con usted ni con su organización, por lo que no "
                    + "puede verlos.");

    @Override
    public Decision evaluate(AccessRequest request) {
        Predicate<CareProvider> refusedRequester;
        if (request.requester() instanceof PractitionerRequester practitioner) {
            refusedRequester = practitioner::isOrWorksFor;
        } else if (request.requester() instanceof BackendClientRequester client) {
            refusedRequester = CareProvider.organization(client.organizationId())::equals;
        } else {
            return Decision.notApplicable(NAME);
        }
        for (ConsentDirective directive : request.patient().consentDirectives()) {
            if (directive.period().contains(request.at()) && refusedRequester.test(directive.refused())) {
                return Decision.deny(NAME, REFUSED);
            }
        }
        return Decision.notApplicable(NAME);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
