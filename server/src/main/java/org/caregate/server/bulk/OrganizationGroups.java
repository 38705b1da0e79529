package org.caregate.server.bulk;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Each organisation's Group of its patients, {@code Group/<organization id>-patients}: the patients with a care
 * relationship with the organisation whom the consent rules permit it, brought up to date at each export kick-off
 * of that organisation (so a Group export always has the members of that instant). The organisation's backend
 * client reads it like any other Group and exports it with {@code Group/<organization id>-patients/$export}.
 */
public final class OrganizationGroups {

    /** Marks the groups CareGate keeps; their members are replaced at the next kick-off whatever a client wrote. */
    public static final Coding MANAGED = new Coding(
            "https://caregate.example.org/fhir/CodeSystem/caregate", "organization-patients", "Organisation patients");

    private final DaoRegistry daoRegistry;

    public OrganizationGroups(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    /** The id of the organisation's Group. */
    public static String idFor(String organizationId) {
        return organizationId + "-patients";
    }

    /** Makes the organisation's Group hold exactly {@code members}. */
    public void refresh(String organizationId, Collection<String> members) {
        IFhirResourceDao<Group> groups = daoRegistry.getResourceDao(Group.class);
        SystemRequestDetails system = new SystemRequestDetails();
        String id = idFor(organizationId);
        Optional<Group> existing = read(groups, id, system);
        Set<String> wanted = new TreeSet<>(members);
        if (existing.isPresent() && membersOf(existing.get()).equals(wanted)) {
            return;
        }
        Group group = new Group();
        group.setId(new IdType("Group", id));
        group.getMeta().addTag(MANAGED);
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.setName("Patients of " + organizationId);
        group.setManagingEntity(new Reference("Organization/" + organizationId));
        wanted.forEach(patient -> group.addMember().setEntity(new Reference("Patient/" + patient)));
        groups.update(group, system);
    }

    static Optional<Group> read(IFhirResourceDao<Group> groups, String id, SystemRequestDetails system) {
        try {
            return Optional.of(groups.read(new IdType("Group", id), system));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }

    static Set<String> membersOf(Group group) {
        return group.getMember().stream()
                .map(member -> member.getEntity().getReferenceElement())
                .filter(reference -> "Patient".equals(reference.getResourceType()) && reference.hasIdPart())
                .map(reference -> reference.getIdPart())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
