package org.caregate.consent.rules;

import java.time.Period;
import java.util.Objects;
import org.caregate.consent.AccessRequest;
import org.caregate.consent.AccessRule;
import org.caregate.consent.BackendClientRequester;
import org.caregate.consent.CareProvider;
import org.caregate.consent.CareRelationship;
import org.caregate.consent.Decision;
import org.caregate.consent.LocalizedText;

/**
 * A backend client of an organization and the organization's patients. Applies to every
 * {@link BackendClientRequester}: permit when the patient has an active care relationship held by the client's
 * organization (the same kinds and encounter window as {@link CareRelationshipRule}), deny otherwise.
 */
public final class BackendClientRule implements AccessRule {

    /** The rule's machine name. */
    public static final String NAME = "backend-client";

    static final LocalizedText NO_RELATIONSHIP = LocalizedText.of(
            "The client's organization has no active care relationship with this patient, so the client may not "
                    + "see their records.",
            "La organización del cliente no tiene una relación de atención activa con este paciente, por lo que el "
                    + "cliente no puede ver sus registros.");

    private final Period encounterWindow;

    /** @param encounterWindow how long after an encounter it still creates a care relationship */
    public BackendClientRule(Period encounterWindow) {
        this.encounterWindow = Objects.requireNonNull(encounterWindow, "encounterWindow");
    }

    @Override
    public Decision evaluate(AccessRequest request) {
        if (!(request.requester() instanceof BackendClientRequester client)) {
            return Decision.notApplicable(NAME);
        }
        CareProvider organization = CareProvider.organization(client.organizationId());
        return CareRelationship.firstActive(client.careRelationships(), request, organization::equals, encounterWindow)
                .map(r -> Decision.permit(NAME, permitReason(r)))
                .orElseGet(() -> Decision.deny(NAME, NO_RELATIONSHIP));
    }

    private static LocalizedText permitReason(CareRelationship relationship) {
        LocalizedText kind = relationship.kind().label();
        return LocalizedText.of(
                "The client's organization has an active care relationship with this patient (" + kind.english()
                        + "), so the client may see their records.",
                "La organización del cliente tiene una relación de atención activa con este paciente (" + kind.spanish()
                        + "), por lo que el cliente puede ver sus registros.");
    }

    @Override
    public String toString() {
        return NAME;
    }
}
