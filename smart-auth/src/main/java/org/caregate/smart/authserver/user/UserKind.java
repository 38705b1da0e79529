package org.caregate.smart.authserver.user;

/** What kind of FHIR resource a user's {@code fhirUser} is. */
public enum UserKind {
    PATIENT("Patient"),
    RELATED_PERSON("RelatedPerson"),
    PRACTITIONER("Practitioner");

    private final String resourceType;

    UserKind(String resourceType) {
        this.resourceType = resourceType;
    }

    /** The FHIR resource type, e.g. {@code RelatedPerson}. */
    public String resourceType() {
        return resourceType;
    }
}
