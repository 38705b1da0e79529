package org.caregate.consent;

import java.util.Set;

/**
 * A site administrator. Administration gives no access to patient records: no rule permits this requester, so the
 * policy's default deny applies.
 *
 * @param userId the administrator's user account (for messages and audit only)
 */
public record SiteAdministratorRequester(String userId) implements Requester {

    public SiteAdministratorRequester {
        java.util.Objects.requireNonNull(userId, "userId");
    }

    @Override
    public Set<String> candidatePatientIds() {
        return Set.of();
    }
}
