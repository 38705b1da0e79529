package org.caregate.consent;

import java.util.List;
import java.util.Set;

/**
 * A backend (system) client acting for an organization, e.g. for Bulk Data export with {@code system/} scopes.
 * It may see the organization's patients: those with an active care relationship held by the organization.
 * The server records the relationships held by the organization's practitioners as held by the organization.
 *
 * @param clientId          the OAuth client id (for messages and audit only)
 * @param organizationId    the organization the client acts for, bare logical id
 * @param careRelationships the organization's care relationships
 */
public record BackendClientRequester(String clientId, String organizationId, List<CareRelationship> careRelationships)
        implements Requester {

    public BackendClientRequester {
        java.util.Objects.requireNonNull(clientId, "clientId");
        LogicalIds.require(organizationId, "organizationId");
        careRelationships = CareRelationshipList.of(careRelationships);
    }

    @Override
    public Set<String> candidatePatientIds() {
        return ((CareRelationshipList) careRelationships).patientIds();
    }
}
