package org.caregate.smart.authserver.context;

import java.time.Instant;

/**
 * The context of an EHR launch, stored under an opaque random id (the SMART {@code launch} parameter) that the
 * portal passes to the app and the app passes back in its authorization request. Single use and short-lived.
 *
 * @param launchId    the opaque id
 * @param patientId   the patient in context (bare id)
 * @param encounterId the encounter in context, or {@code null}
 * @param username    the user who launched the app; only this user may redeem the launch
 * @param clientId    the client it was launched for, or {@code null} for any client
 */
public record LaunchContext(
        String launchId,
        String patientId,
        String encounterId,
        String username,
        String clientId,
        Instant createdAt,
        Instant expiresAt,
        Instant usedAt) {

    public boolean isUsable(Instant now) {
        return usedAt == null && now.isBefore(expiresAt);
    }
}
