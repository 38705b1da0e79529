package org.caregate.server.security.release;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Locale;
import org.caregate.consent.LocalizedText;
import org.caregate.consent.rules.ReleaseHoldRule;
import org.caregate.server.security.AccessContext;
import org.caregate.server.security.Messages;
import org.caregate.server.security.RequestLocale;
import org.caregate.smart.authserver.user.UserKind;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Withholds results that the consent rules' release hold keeps from patients and guardians, from every response
 * they get: a direct read (or vread) is refused with the rule's reason; an included, revincluded,
 * {@code $everything} or history entry is left out. Searches leave held results out in the query already
 * ({@link ReleaseHoldSearchNarrowing}), so {@code total} and paging only count what is shown. Practitioners and
 * backend clients are not held back.
 *
 * <p>HAPI's ConsentInterceptor would do the per-resource part too, but it always drops {@code total} from search
 * bundles and walks every element of every response; this checks only Observation and DiagnosticReport entries.
 */
@Interceptor
public final class ReleaseHoldInterceptor {

    /** Patients and guardians (RelatedPerson users, and patient users who hold guardianships) are held back. */
    public static boolean appliesTo(RequestDetails request) {
        return AccessContext.find(request)
                .flatMap(AccessContext::user)
                .map(user -> user.kind() == UserKind.PATIENT || user.kind() == UserKind.RELATED_PERSON)
                .orElse(false);
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean withhold(RequestDetails request, ResponseDetails response) {
        IBaseResource resource = response.getResponseResource();
        if (resource == null || !appliesTo(request)) {
            return true;
        }
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().removeIf(entry -> entry.hasResource() && ReleaseState.isHeld(entry.getResource()));
            return true;
        }
        ReleaseState.holdReason(resource).ifPresent(reason -> {
            throw new ForbiddenOperationException(message(request, reason));
        });
        return true;
    }

    private static String message(RequestDetails request, LocalizedText reason) {
        Locale locale = RequestLocale.of(request);
        return Messages.deniedByRule(locale, ReleaseHoldRule.NAME, reason.in(locale));
    }
}
