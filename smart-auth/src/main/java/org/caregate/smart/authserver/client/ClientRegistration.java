package org.caregate.smart.authserver.client;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * CareGate's record of a registered client, beside Spring Authorization Server's {@code RegisteredClient}: its
 * review status and what SAS has no place for.
 *
 * @param clientId     the client id
 * @param status       where the review stands
 * @param launchTypes  EHR and/or standalone launch (empty for backend services)
 * @param launchUri    where the provider portal sends the browser for an EHR launch (with {@code iss}, {@code launch})
 * @param contacts     e-mail addresses of the people responsible (RFC 7591 {@code contacts})
 * @param registeredBy {@code api} (RFC 7591), the administrator's username (page), or {@code operator}
 * @param createdAt    registration time
 * @param updatedAt    last change of metadata or status
 * @param reviewedBy   the administrator who last approved or disabled it, if any
 * @param reviewedAt   when
 */
public record ClientRegistration(
        String clientId,
        ClientStatus status,
        Set<LaunchType> launchTypes,
        String launchUri,
        List<String> contacts,
        String registeredBy,
        Instant createdAt,
        Instant updatedAt,
        String reviewedBy,
        Instant reviewedAt) {

    public ClientRegistration {
        launchTypes = Set.copyOf(launchTypes);
        contacts = List.copyOf(contacts);
    }

    public boolean isApproved() {
        return status == ClientStatus.APPROVED;
    }

    /** Registered for EHR launch with a launch URI: the provider portal can launch it once approved. */
    public boolean isEhrLaunchable() {
        return launchTypes.contains(LaunchType.EHR) && launchUri != null;
    }
}
