package org.caregate.smart.authserver.user;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A person who logs in to CareGate. The password hash never leaves {@link UserAccountService}.
 *
 * @param username       the login name, unique
 * @param displayName    the name shown on pages
 * @param fhirUser       relative reference of the FHIR resource that is the user, e.g. {@code Patient/pat-adult-alice},
 *                       {@code RelatedPerson/rp-garcia-for-4}, {@code Practitioner/prac-north-gp}; the SMART
 *                       {@code fhirUser} claim
 * @param kind           the resource type of {@code fhirUser}
 * @param organizationId the Organization id a practitioner or staff member works for, or {@code null}
 * @param roles          CareGate account roles (e.g. {@code clinician}, {@code office-staff}, {@code site-admin})
 * @param status         whether the account may be used
 */
public record UserAccount(
        String username,
        String displayName,
        String fhirUser,
        UserKind kind,
        String organizationId,
        Set<String> roles,
        UserStatus status,
        Instant createdAt,
        Instant updatedAt) {

    public UserAccount {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(fhirUser, "fhirUser");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean isActive() {
        return status == UserStatus.ACTIVE;
    }

    /** The id part of {@link #fhirUser()}, e.g. {@code pat-adult-alice}. */
    public String fhirUserId() {
        return fhirUser.substring(fhirUser.indexOf('/') + 1);
    }
}
