package org.caregate.consent;

/**
 * A practitioner or an organization, identified by its bare FHIR logical id. Used as the holder of a
 * {@link CareRelationship} and as the actor a {@link ConsentDirective} refuses.
 *
 * @param type practitioner or organization
 * @param id   the bare logical id, e.g. {@code "prac-lee"} for {@code Practitioner/prac-lee}
 */
public record CareProvider(Type type, String id) {

    /** The kind of provider. */
    public enum Type {
        PRACTITIONER,
        ORGANIZATION
    }

    public CareProvider {
        java.util.Objects.requireNonNull(type, "type");
        LogicalIds.require(id, "provider id");
    }

    /** The practitioner with this logical id. */
    public static CareProvider practitioner(String id) {
        return new CareProvider(Type.PRACTITIONER, id);
    }

    /** The organization with this logical id. */
    public static CareProvider organization(String id) {
        return new CareProvider(Type.ORGANIZATION, id);
    }
}
