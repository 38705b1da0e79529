package org.caregate.server.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Large sets of permitted patients as a server-side list, so that a search narrowed to a provider's 10,000 patients
 * joins that list in SQL ({@code patient:Patient._has:Group:member:_id=<panel>}) instead of carrying 10,000 ids in its
 * parameters, its SQL and its {@code self} link.
 *
 * <p>A panel is a FHIR {@code Group} of the patients, named by a hash of its members (the same set is the same
 * list on every node, a changed set is another list), created on first use below the security chain and tagged
 * {@link #INTERNAL}: CareGate never shows it to anyone ({@link InternalResources}). Sets of at most
 * {@code caregate.access.panel-list-threshold} patients (default 200) are narrowed by their ids as before.
 */
@Component
public class PatientPanels {

    /** The tag of CareGate's own bookkeeping resources, never shown through the API. */
    public static final Coding INTERNAL = new Coding(
            "https://fhir.caregate.example/CodeSystem/caregate-internal",
            "access-panel",
            "CareGate access panel (internal)");

    private static final Logger log = LoggerFactory.getLogger(PatientPanels.class);

    private final DaoRegistry daoRegistry;
    private final int threshold;
    private final Set<String> stored = ConcurrentHashMap.newKeySet();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "caregate-panel-writer");
        thread.setDaemon(true);
        return thread;
    });

    public PatientPanels(DaoRegistry daoRegistry, @Value("${caregate.access.panel-list-threshold:200}") int threshold) {
        this.daoRegistry = daoRegistry;
        this.threshold = threshold;
    }

    /**
     * The id of the stored panel of these patients, if they are more than the threshold and their panel is ready.
     * A panel not stored yet is prepared in the background (storing thousands of members takes seconds): until it
     * is, the caller narrows by ids, which is slower but as exact.
     */
    public Optional<String> listOf(Set<String> patients) {
        if (patients.size() <= threshold) {
            return Optional.empty();
        }
        String id = "cg-panel-" + hash(patients);
        if (stored.contains(id)) {
            return Optional.of(id);
        }
        if (pending.add(id)) {
            Set<String> members = Set.copyOf(patients);
            writer.execute(() -> {
                try {
                    ensureStored(id, members);
                    stored.add(id);
                } catch (RuntimeException e) {
                    log.warn(
                            "Could not store access panel {} ({} patients); searches narrow by ids meanwhile",
                            id,
                            members.size(),
                            e);
                } finally {
                    pending.remove(id);
                }
            });
        }
        return Optional.empty();
    }

    /** Waits until the panels asked for so far are stored (for tests and benchmarks); false on timeout. */
    public boolean awaitStored(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Whether a resource is one of CareGate's panel lists. */
    public static boolean isInternal(IBaseResource resource) {
        return resource instanceof Resource stored
                && stored.getMeta().getTag(INTERNAL.getSystem(), INTERNAL.getCode()) != null;
    }

    private void ensureStored(String id, Set<String> patients) {
        IFhirResourceDao<Group> groups = daoRegistry.getResourceDao(Group.class);
        try {
            groups.read(new IdType("Group", id), new SystemRequestDetails());
            return;
        } catch (ResourceNotFoundException | ResourceGoneException absent) {
            // create it below
        }
        Group panel =
                new Group().setType(Group.GroupType.PERSON).setActual(true).setName("CareGate access panel (internal)");
        panel.setId(id);
        panel.getMeta().addTag(INTERNAL.copy());
        patients.stream().sorted().forEach(patient -> panel.addMember().setEntity(new Reference("Patient/" + patient)));
        try {
            groups.update(panel, new SystemRequestDetails());
        } catch (RuntimeException e) {
            // another node stored the same panel at the same moment: it has the same members
            groups.read(new IdType("Group", id), new SystemRequestDetails());
        }
    }

    private static String hash(Set<String> patients) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            patients.stream().sorted().forEach(patient -> {
                digest.update(patient.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            });
            return HexFormat.of().formatHex(digest.digest()).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
