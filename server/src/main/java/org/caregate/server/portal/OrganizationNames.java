package org.caregate.server.portal;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.springframework.stereotype.Component;

/** The name of an Organization of this server, for pages (read as the system: pages show it to people entitled). */
@Component
public class OrganizationNames {

    private final DaoRegistry daoRegistry;

    public OrganizationNames(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    /** The organisation's name (its id if it has none), or empty if there is no such Organization. */
    public Optional<String> find(String organizationId) {
        if (organizationId == null) {
            return Optional.empty();
        }
        try {
            Organization organization = daoRegistry
                    .getResourceDao(Organization.class)
                    .read(new IdType("Organization", organizationId), new SystemRequestDetails());
            return Optional.of(organization.hasName() ? organization.getName() : organizationId);
        } catch (BaseServerResponseException e) {
            return Optional.empty();
        }
    }
}
