package org.caregate.server.security;

import org.caregate.consent.DataCategory;
import org.caregate.server.security.release.ReleaseState;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The consent rules' data category of a resource (an unreleased radiology report, a laboratory result that is not
 * final, or ordinary data), for the enforcement points outside the REST security chain (Bulk Data export), which
 * ask the consent rules about it like the chain's release hold does.
 */
public final class DataCategories {

    private DataCategories() {}

    public static DataCategory of(IBaseResource resource) {
        return ReleaseState.categoryOf(resource);
    }
}
