package org.caregate.server.audit;

import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/**
 * One row of the audit store ({@code caregate_audit.audit_record}): the columns the searches use, taken from the
 * AuditEvent once when it is stored, and the AuditEvent itself as FHIR JSON.
 *
 * @param types {@code system|code} and the bare code of {@code AuditEvent.type} (a token search may give either)
 * @param subtypes the same for every {@code AuditEvent.subtype}
 * @param tokenId the access token's {@code jti}: the requesting agent's {@code policy}
 * @param organization the requester's organisation (bare id), from the agent of type RoleClass PROV
 * @param agents {@code agent.who}: literal references, or {@code system|value} of a logical one
 * @param patients bare ids of the patients the event is about (entities with role 1 Patient)
 * @param entities {@code entity.what}: literal references, or the {@code Type/id} a logical one stands for
 * @param query the query of the entity with role 24 Query, as text
 */
record AuditRecord(
        Instant recorded,
        String[] types,
        String[] subtypes,
        String action,
        String outcome,
        String tokenId,
        String organization,
        String[] agents,
        String[] patients,
        String[] entities,
        String query,
        String json) {

    static final String ROLE_PATIENT = "1";
    static final String ROLE_QUERY = "24";

    /** The row of {@code event}; {@code json} encodes it (a parser of its own per thread: parsers are not shared). */
    static AuditRecord of(AuditEvent event, IParser json) {
        Set<String> agents = new LinkedHashSet<>();
        String organization = null;
        String tokenId = null;
        for (AuditEventAgentComponent agent : event.getAgent()) {
            String who = referenceText(agent.getWho());
            if (who != null) {
                agents.add(who);
            }
            if (agent.getType().getCoding().stream().anyMatch(coding -> "PROV".equals(coding.getCode()))
                    && who != null
                    && who.startsWith("Organization/")) {
                organization = who.substring("Organization/".length());
            }
            if (agent.getRequestor() && agent.hasPolicy() && tokenId == null) {
                tokenId = agent.getPolicy().get(0).getValue();
            }
        }
        Set<String> patients = new LinkedHashSet<>();
        Set<String> entities = new LinkedHashSet<>();
        String query = null;
        for (AuditEventEntityComponent entity : event.getEntity()) {
            String what = referenceText(entity.getWhat());
            if (what != null) {
                entities.add(what);
            }
            if (ROLE_PATIENT.equals(entity.getRole().getCode()) && what != null && what.startsWith("Patient/")) {
                patients.add(what.substring("Patient/".length()));
            }
            if (ROLE_QUERY.equals(entity.getRole().getCode()) && entity.hasQuery() && query == null) {
                query = new String(entity.getQuery(), StandardCharsets.UTF_8);
            }
        }
        List<String> subtypes = new ArrayList<>();
        event.getSubtype().forEach(subtype -> addToken(subtypes, subtype));
        List<String> types = new ArrayList<>();
        addToken(types, event.getType());
        return new AuditRecord(
                event.getRecorded().toInstant(),
                types.toArray(String[]::new),
                subtypes.toArray(String[]::new),
                event.hasAction() ? event.getAction().toCode() : null,
                event.hasOutcome() ? event.getOutcome().toCode() : "0",
                tokenId,
                organization,
                agents.toArray(String[]::new),
                patients.toArray(String[]::new),
                entities.toArray(String[]::new),
                query,
                json.encodeResourceToString(event));
    }

    private static void addToken(List<String> into, Coding coding) {
        if (coding == null || !coding.hasCode()) {
            return;
        }
        if (coding.hasSystem()) {
            into.add(coding.getSystem() + "|" + coding.getCode());
        }
        into.add(coding.getCode());
    }

    /**
     * {@code Type/id} of a literal reference (absolute URLs of this server reduced to it), or of a logical one whose
     * display is {@code Type/id} (a deleted resource, see {@link BalpAuditEvents}), else {@code system|value} of its
     * identifier; {@code null} if it has neither.
     */
    static String referenceText(Reference reference) {
        if (reference == null) {
            return null;
        }
        if (reference.hasReference()) {
            var id = reference.getReferenceElement();
            return id.hasResourceType() && id.hasIdPart()
                    ? id.getResourceType() + "/" + id.getIdPart()
                    : reference.getReference();
        }
        if (reference.hasType()
                && reference.hasDisplay()
                && reference.getDisplay().startsWith(reference.getType() + "/")) {
            return reference.getDisplay();
        }
        if (reference.hasIdentifier() && reference.getIdentifier().hasValue()) {
            return reference.getIdentifier().getSystem() + "|"
                    + reference.getIdentifier().getValue();
        }
        return null;
    }
}
