package org.caregate.seed;

import java.util.Objects;
import java.util.Set;

/**
 * A user account of the seed dataset: one persona who logs in to CareGate.
 *
 * <p>The loader creates one account per {@code SeedUser}. The passwords are <strong>documented development
 * credentials</strong> (always {@code <username>-dev-password}, listed in {@code seed-data/README.md}); they are
 * deliberately not secret and must never be used outside a development or test installation.
 *
 * <p>How the server finds the FHIR resources that are this user: {@link #fhirUser()} is the SMART {@code fhirUser}
 * claim. In addition, every Patient, RelatedPerson and Practitioner that <em>is</em> this user carries the identifier
 * {@value #USER_IDENTIFIER_SYSTEM}{@code |<username>}. So
 * <ul>
 *   <li>the user's guardianships (a parent has one RelatedPerson per child) are
 *       {@code RelatedPerson?identifier=https://fhir.caregate.example/sid/user|<username>};</li>
 *   <li>the user's own patient record, if any (for a practitioner who is also a patient, so that "never their own
 *       record" can be enforced), is {@code Patient?identifier=https://fhir.caregate.example/sid/user|<username>}.</li>
 * </ul>
 *
 * @param username       the login name, unique, lower case
 * @param devPassword    the documented development password
 * @param displayName    the name shown in the portal
 * @param fhirUser       relative reference of the FHIR resource that represents the user, e.g.
 *                       {@code Patient/pat-adult-alice}, {@code RelatedPerson/rp-guardian-court},
 *                       {@code Practitioner/prac-north-gp}
 * @param kind           the resource type of {@code fhirUser}
 * @param organizationId for practitioners and staff, the id of the Organization they work for (e.g.
 *                       {@code org-clinic-north}); {@code null} for patients and related persons
 * @param roles          CareGate account roles: {@value #ROLE_CLINICIAN}, {@value #ROLE_OFFICE_STAFF},
 *                       {@value #ROLE_SITE_ADMIN}, {@value #ROLE_CAREGATE_ADMIN}; empty for patients and related
 *                       persons
 * @param status         {@link Status#TERMINATED} for an account whose access has ended (the account exists, so the
 *                       login can be refused with a reason, but it must grant nothing)
 */
public record SeedUser(
        String username,
        String devPassword,
        String displayName,
        String fhirUser,
        Kind kind,
        String organizationId,
        Set<String> roles,
        Status status) {

    /** Identifier system that marks a Patient, RelatedPerson or Practitioner as being a given user. */
    public static final String USER_IDENTIFIER_SYSTEM = "https://fhir.caregate.example/sid/user";

    /** A practitioner who treats patients. */
    public static final String ROLE_CLINICIAN = "clinician";
    /** Office staff of a clinic (front desk, scheduling, billing). */
    public static final String ROLE_OFFICE_STAFF = "office-staff";
    /** Administers the accounts of the staff of their organisation. */
    public static final String ROLE_SITE_ADMIN = "site-admin";
    /**
     * A CareGate administrator (hospital IT): registers, reviews, approves and disables clients. Such an account has
     * no organisation and no PractitionerRole: it is given no patient data.
     */
    public static final String ROLE_CAREGATE_ADMIN = "caregate-admin";

    /** What kind of FHIR resource {@link #fhirUser()} is. */
    public enum Kind {
        PATIENT("Patient"),
        RELATED_PERSON("RelatedPerson"),
        PRACTITIONER("Practitioner");

        private final String resourceType;

        Kind(String resourceType) {
            this.resourceType = resourceType;
        }

        /** The FHIR resource type name, e.g. {@code RelatedPerson}. */
        public String resourceType() {
            return resourceType;
        }
    }

    /** Whether the account may be used. */
    public enum Status {
        ACTIVE,
        TERMINATED
    }

    public SeedUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(devPassword, "devPassword");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(fhirUser, "fhirUser");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        roles = Set.copyOf(roles);
        if (!fhirUser.startsWith(kind.resourceType() + "/")) {
            throw new IllegalArgumentException("fhirUser " + fhirUser + " is not a " + kind.resourceType());
        }
    }

    /** The id part of {@link #fhirUser()}, e.g. {@code pat-adult-alice}. */
    public String fhirUserId() {
        return fhirUser.substring(fhirUser.indexOf('/') + 1);
    }
}
