package org.caregate.server.audit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Reference;

/**
 * What an audit reader is shown of a stored AuditEvent: the event, naming only the patients the reader may see
 * (issue 9 item 6, issue 15 item 4). The store keeps every event whole, for the hospital's privacy office; the API
 * shows each reader this view.
 *
 * <ul>
 *   <li>A patient entity the reader may not see is left out; if that leaves none (a site administrator reading
 *       their staff's accesses), one entity of type Patient without a reference says that a patient's record was
 *       involved.</li>
 *   <li>In an event that involves a patient the reader may not see, the other entities keep their resource type but
 *       lose their id; the outcome text (a refusal's reason may be a fact about a patient, such as their opt-out)
 *       is shown only in events about the reader's patients alone, else it becomes a neutral one.</li>
 *   <li>An agent that is a patient the reader may not see (a patient acting for themselves) keeps only its type.</li>
 *   <li>The query text keeps its path and its parameter names; a value is kept only where it names patients the
 *       reader may see, or for parameters that cannot identify a person ({@code _count}, {@code category}, ...);
 *       every other value becomes {@value #REDACTED}.</li>
 * </ul>
 */
final class AuditReaderView {

    static final String REDACTED = "[redacted]";
    static final String HIDDEN_OUTCOME =
            "The request was refused or failed; the details concern a patient whose " + "record you may not see.";

    /** Parameters whose values describe what was asked, never who: kept as they are. */
    private static final Set<String> PLAIN_PARAMETERS = Set.of(
            "_count",
            "_offset",
            "_sort",
            "_summary",
            "_total",
            "_elements",
            "_format",
            "_pretty",
            "_include",
            "_revinclude",
            "_include:iterate",
            "_revinclude:iterate",
            "_getpages",
            "_getpagesoffset",
            "_snapshot",
            "_lastUpdated",
            "_since",
            "_type",
            "_outputFormat",
            "category",
            "status",
            "code",
            "date",
            "intent",
            "clinical-status",
            "verification-status",
            "type",
            "subtype",
            "outcome",
            "action");
    /** Parameters whose values are patient references or ids: each kept only if it is a patient the reader sees. */
    private static final Set<String> PATIENT_PARAMETERS = Set.of(
            "patient",
            "subject",
            "subject:Patient",
            "patient:Patient",
            "beneficiary",
            "subscriber",
            "_id",
            "link",
            "entity",
            "agent");

    private AuditReaderView() {}

    /** {@code event} (changed in place) as {@code reader} may see it; {@code patients} the ones it is about. */
    static AuditEvent shown(AuditEvent event, Set<String> patients, AuditReader reader) {
        Set<String> visible = reader.patients();
        boolean involvesHidden = patients.stream().anyMatch(patient -> !visible.contains(patient));
        List<AuditEventEntityComponent> entities = new ArrayList<>();
        boolean patientRemoved = false;
        boolean patientKept = false;
        for (AuditEventEntityComponent entity : event.getEntity()) {
            String what = AuditRecord.referenceText(entity.getWhat());
            boolean isPatient = what != null && what.startsWith("Patient/");
            if (AuditRecord.ROLE_QUERY.equals(entity.getRole().getCode()) && entity.hasQuery()) {
                String query = new String(entity.getQuery(), StandardCharsets.UTF_8);
                entity.setQuery(redactedQuery(query, visible).getBytes(StandardCharsets.UTF_8));
            }
            if (AuditRecord.ROLE_PATIENT.equals(entity.getRole().getCode()) && !entity.hasWhat()) {
                patientRemoved = true; // a listing of further patients (BalpAuditEvents): described again below
                continue;
            }
            if (isPatient && !visible.contains(what.substring("Patient/".length()))) {
                patientRemoved = true;
                continue;
            }
            if (isPatient) {
                patientKept = true;
            } else if (involvesHidden && what != null) {
                entity.setWhat(typeOnly(entity.getWhat(), what));
            }
            entity.setDescription(null);
            entities.add(entity);
        }
        if (patientRemoved && !patientKept) {
            entities.add(
                    0,
                    new AuditEventEntityComponent()
                            .setWhat(new Reference().setType("Patient"))
                            .setType(new org.hl7.fhir.r4.model.Coding(BalpAuditEvents.CS_ENTITY_TYPE, "1", "Person"))
                            .setRole(new org.hl7.fhir.r4.model.Coding(BalpAuditEvents.CS_OBJECT_ROLE, "1", "Patient")));
        }
        event.setEntity(entities);
        for (AuditEventAgentComponent agent : event.getAgent()) {
            String who = AuditRecord.referenceText(agent.getWho());
            if (who != null && who.startsWith("Patient/") && !visible.contains(who.substring("Patient/".length()))) {
                agent.setWho(new Reference().setType("Patient"));
                agent.setName(null);
                agent.setAltId(null);
            }
        }
        // a refusal's text may name a patient or a fact about one: shown only where every patient is the reader's
        if (event.hasOutcomeDesc()) {
            event.setOutcomeDesc(
                    involvesHidden || patients.isEmpty()
                            ? HIDDEN_OUTCOME
                            : withoutHiddenPatientIds(event.getOutcomeDesc(), visible));
        }
        return event;
    }

    private static final java.util.regex.Pattern PATIENT_ID =
            java.util.regex.Pattern.compile("Patient/([A-Za-z0-9\\-.]{1,64})");

    /** Text with every {@code Patient/<id>} of a patient the reader may not see redacted. */
    static String withoutHiddenPatientIds(String text, Set<String> visible) {
        return PATIENT_ID
                .matcher(text)
                .replaceAll(match -> visible.contains(match.group(1))
                        ? java.util.regex.Matcher.quoteReplacement(match.group())
                        : "Patient/" + REDACTED);
    }

    private static Reference typeOnly(Reference reference, String what) {
        String type = reference.hasType()
                ? reference.getType()
                : what.contains("/") ? what.substring(0, what.indexOf('/')) : null;
        return new Reference().setType(type);
    }

    /** The query with every value the reader may not read replaced by {@value #REDACTED}. */
    static String redactedQuery(String url, Set<String> visible) {
        int question = url.indexOf('?');
        String path = question < 0 ? url : url.substring(0, question);
        StringBuilder shown = new StringBuilder(redactedPath(path, visible));
        if (question < 0) {
            return shown.toString();
        }
        shown.append('?');
        boolean first = true;
        for (String pair : url.substring(question + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? null : decode(pair.substring(equals + 1));
            if (!first) {
                shown.append('&');
            }
            first = false;
            shown.append(name);
            if (value != null) {
                shown.append('=').append(redactedValue(name, value, visible));
            }
        }
        return shown.toString();
    }

    private static String redactedValue(String name, String value, Set<String> visible) {
        if (PLAIN_PARAMETERS.contains(name)) {
            return value;
        }
        if (PATIENT_PARAMETERS.contains(name)) {
            List<String> kept = new ArrayList<>();
            for (String one : value.split(",")) {
                String id = one.startsWith("Patient/") ? one.substring("Patient/".length()) : one;
                kept.add(visible.contains(id) ? one : REDACTED);
            }
            return String.join(",", kept);
        }
        return REDACTED;
    }

    /** {@code .../Patient/<id>/...}: an id of a patient the reader may not see becomes {@value #REDACTED}. */
    private static String redactedPath(String path, Set<String> visible) {
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            if ("Patient".equals(segments[i - 1])
                    && !segments[i].isEmpty()
                    && !segments[i].startsWith("$")
                    && !segments[i].startsWith("_")
                    && !visible.contains(decode(segments[i]))) {
                segments[i] = REDACTED;
            }
        }
        return String.join("/", segments);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
