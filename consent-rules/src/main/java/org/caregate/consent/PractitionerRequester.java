package org.caregate.consent;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A community practitioner or a member of their office staff, acting for an organization
 * ({@code fhirUser} is a {@code Practitioner}).
 *
 * @param practitionerId    the requester's Practitioner, bare logical id
 * @param organizationId    the organization they act for, bare logical id
 * @param role              practitioner or office staff (both have the same access)
 * @param status            whether their access is active, suspended or terminated
 * @param ownPatientIds     the patient records that are the requester themself (never visible through this role)
 * @param careRelationships the care relationships of the requester and of their organization
 */
public record PractitionerRequester(
        String practitionerId,
        String organizationId,
        StaffRole role,
        AccessStatus status,
        Set<String> ownPatientIds,
        List<CareRelationship> careRelationships)
        implements Requester {

    /** Practitioner or office staff member. */
    public enum StaffRole {
        PRACTITIONER,
        OFFICE_STAFF
    }

    /** The state of a practitioner's access to CareGate. */
    public enum AccessStatus {
        ACTIVE,
        SUSPENDED,
        TERMINATED
    }

    public PractitionerRequester {
        LogicalIds.require(practitionerId, "practitionerId");
        LogicalIds.require(organizationId, "organizationId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(status, "status");
        ownPatientIds = Set.copyOf(ownPatientIds);
        careRelationships = CareRelationshipList.of(careRelationships);
    }

    /** An active practitioner of the organization with the given care relationships and no patient record. */
    public static PractitionerRequester active(
            String practitionerId, String organizationId, List<CareRelationship> careRelationships) {
        return new PractitionerRequester(
                practitionerId,
                organizationId,
                StaffRole.PRACTITIONER,
                AccessStatus.ACTIVE,
                Set.of(),
                careRelationships);
    }

    /** A copy with another access status. */
    public PractitionerRequester withStatus(AccessStatus newStatus) {
        return new PractitionerRequester(
                practitionerId, organizationId, role, newStatus, ownPatientIds, careRelationships);
    }

    /** A copy whose own patient records are {@code patientIds}. */
    public PractitionerRequester withOwnPatientIds(String... patientIds) {
        return new PractitionerRequester(
                practitionerId, organizationId, role, status, Set.of(patientIds), careRelationships);
    }

    /** Whether the provider is this practitioner or their organization. */
    public boolean isOrWorksFor(CareProvider provider) {
        return switch (provider.type()) {
            case PRACTITIONER -> provider.id().equals(practitionerId);
            case ORGANIZATION -> provider.id().equals(organizationId);
        };
    }

    @Override
    public Set<String> candidatePatientIds() {
        Set<String> panel = ((CareRelationshipList) careRelationships).patientIds();
        if (ownPatientIds.isEmpty()) {
            return panel;
        }
        return panel.stream().filter(id -> !ownPatientIds.contains(id)).collect(Collectors.toUnmodifiableSet());
    }
}
