package org.caregate.smart.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.caregate.smart.scope.SmartScopes;

/**
 * A validated SMART access token: what the FHIR server may rely on for one request.
 *
 * @param tokenId   {@code jti} (RFC 7519, section 4.1.7)
 * @param clientId  {@code client_id} (RFC 9068, section 2.2), or {@code azp} / {@code cid} from issuers that use those
 * @param subject   {@code sub}: the user, or the client itself for a backend service
 * @param fhirUser  {@code fhirUser}, e.g. {@code Patient/pat-adult-alice} (SMART App Launch 2.2, "Scopes for
 *                  requesting identity data"); {@code null} when the token does not name one
 * @param patient   the launch patient's id ({@code patient}, SMART "Launch context arrives with your access_token");
 *                  {@code null} when there is none
 * @param encounter the launch encounter's id ({@code encounter}); {@code null} when there is none
 * @param scopes    the granted scopes, parsed ({@code scope}, or an {@code scp} array)
 * @param issuedAt  {@code iat}
 * @param expiresAt {@code exp}
 * @param issuer    {@code iss}, one of the trusted issuers
 * @param organization for a backend-services token, the id of the Organization the client acts for (CareGate's
 *                  {@code organization} claim); {@code null} otherwise
 */
public record SmartAccessToken(
        String tokenId,
        String clientId,
        String subject,
        String fhirUser,
        String patient,
        String encounter,
        SmartScopes scopes,
        Instant issuedAt,
        Instant expiresAt,
        String issuer,
        String organization) {

    public SmartAccessToken {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(scopes, "scopes");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(issuer, "issuer");
    }

    /** The {@code fhirUser} claim, if any. */
    public Optional<String> fhirUserReference() {
        return Optional.ofNullable(fhirUser);
    }

    /** The launch patient's id, if any. */
    public Optional<String> launchPatient() {
        return Optional.ofNullable(patient);
    }

    /** The Organization a backend client acts for, if any. */
    public Optional<String> clientOrganization() {
        return Optional.ofNullable(organization);
    }

    /** The launch encounter's id, if any. */
    public Optional<String> launchEncounter() {
        return Optional.ofNullable(encounter);
    }
}
