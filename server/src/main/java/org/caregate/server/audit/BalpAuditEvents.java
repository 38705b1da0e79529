package org.caregate.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.caregate.server.security.AccessContext;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.token.SmartAccessToken;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;

/**
 * Turns one audited FHIR request into AuditEvents shaped after IHE Basic Audit Log Patterns (BALP 1.1, "RESTful
 * activities", profiles {@code IHE.BasicAudit.[Patient]Read}, {@code [Patient]Query}, {@code [Patient]Create},
 * {@code [Patient]Update}, {@code [Patient]Delete}):
 *
 * <ul>
 *   <li>{@code type} {@code rest}, {@code subtype} the FHIR restful interaction, {@code action} C/R/U/D/E,
 *       {@code outcome} 0 (success), 4 (refused or invalid: 4xx) or 8 (server failure: 5xx) with the
 *       OperationOutcome's text (a denial names its rule);</li>
 *   <li>agents: the user ({@code fhirUser}, type IRCP "information recipient", {@code altId} the login,
 *       {@code policy} the token's {@code jti}), the user's or backend client's organisation (RoleClass PROV), the
 *       client application (DICOM 110153 Source / 110152 Destination Role ID, by its {@code client_id}, with the
 *       caller's IP address) and this server (the other DICOM role); for a read the client is the destination of
 *       the data, for everything else its source, as BALP prescribes;</li>
 *   <li>entities: the patient (type 1 Person, role 1 Patient, {@code what = Patient/x}, which puts the event into
 *       that patient's compartment so that {@code AuditEvent?patient=x} finds it), the resource read or written
 *       (type 2 System Object, role 4 Domain Resource) and, for a search, history or operation, the query (role 24
 *       Query, the request URL base64-encoded).</li>
 * </ul>
 *
 * <p><b>One event per patient.</b> A request that touches several patients (a practitioner's search, a transaction)
 * yields one event per patient, each naming that patient only, as BALP recommends for patient-centric audit logs:
 * a patient who reads "who looked at my record" must not learn which other patients were looked at alongside. At
 * most {@code maxPatients} patients are recorded individually; any further ones are named together in one more event
 * (each reader is shown only the patients they may see of it, see {@link AuditReaderView}). A request that touches no patient yields one event without a patient.
 */
final class BalpAuditEvents {

    static final String PROFILE_BASE = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.";
    static final String CS_AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String CS_RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    static final String CS_DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String CS_PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    static final String CS_ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass";
    static final String CS_ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String CS_OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    static final String CS_SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
    static final String URI_SYSTEM = "urn:ietf:rfc:3986";
    /** CareGate's identifier system for OAuth client ids (the SMART {@code client_id}). */
    static final String CLIENT_ID_SYSTEM = "https://fhir.caregate.example/sid/client-id";

    static final String SERVER_NAME = "CareGate FHIR server";

    private final PatientCompartmentOwners owners;
    private final FhirContext fhirContext;
    private final Clock clock;
    private final String fhirBaseUrl;
    private final int maxPatients;

    BalpAuditEvents(
            FhirContext fhirContext,
            PatientCompartmentOwners owners,
            Clock clock,
            String fhirBaseUrl,
            int maxPatients) {
        this.fhirContext = fhirContext;
        this.owners = owners;
        this.clock = clock;
        this.fhirBaseUrl = fhirBaseUrl;
        this.maxPatients = maxPatients;
    }

    /** The events recording {@code audited}, made by the caller in {@code context}. */
    List<AuditEvent> eventsFor(RequestDetails request, AccessContext context, AuditedRequest audited) {
        Interaction interaction = Interaction.of(request);
        BaseServerResponseException failure = audited.failure();
        Involvement involvement = involvement(request, interaction, audited, failure == null);

        List<AuditEvent> events = new ArrayList<>();
        List<String> patients = new ArrayList<>(involvement.dataByPatient.keySet());
        int recorded = Math.min(patients.size(), maxPatients);
        for (String patient : patients.subList(0, recorded)) {
            AuditEvent event = common(request, context, audited, interaction, failure, true);
            event.addEntity(patientEntity(patient, involvement.deleted.contains("Patient/" + patient)));
            for (String data : involvement.dataByPatient.get(patient)) {
                event.addEntity(dataEntity(data, involvement.deleted.contains(data)));
            }
            events.add(event);
        }
        if (patients.isEmpty() || !involvement.dataWithoutPatient.isEmpty() || patients.size() > recorded) {
            AuditEvent event = common(request, context, audited, interaction, failure, false);
            for (String data : involvement.dataWithoutPatient) {
                event.addEntity(dataEntity(data, involvement.deleted.contains(data)));
            }
            if (patients.size() > recorded) {
                List<String> rest = patients.subList(recorded, patients.size());
                for (String patient : rest) {
                    event.addEntity(patientEntity(patient, involvement.deleted.contains("Patient/" + patient))
                            .setDescription("one of " + rest.size() + " further patients, beyond the " + maxPatients
                                    + " recorded individually"));
                }
            }
            events.add(event);
        }
        return events;
    }

    /** Which patients the request involved and which resources of each it read or wrote. */
    private Involvement involvement(
            RequestDetails request, Interaction interaction, AuditedRequest audited, boolean succeeded) {
        Involvement involvement = new Involvement();
        audited.namedPatients.forEach(involvement::patient);
        if (interaction.targetsInstance()
                && request.getId() != null
                && request.getId().hasIdPart()
                && request.getResourceName() != null) {
            String target = request.getResourceName() + "/" + request.getId().getIdPart();
            Set<String> targetOwners = new LinkedHashSet<>();
            if ("Patient".equals(request.getResourceName())) {
                targetOwners.add(request.getId().getIdPart());
            }
            for (IBaseResource resource : succeeded ? audited.returned : audited.loaded) {
                if (sameResource(resource, target)) {
                    owners.addOwners(resource, targetOwners);
                }
            }
            if (interaction.recordsTarget()) {
                involvement.data(target, targetOwners);
            } else {
                targetOwners.forEach(involvement::patient);
            }
        }
        for (IBaseResource resource : succeeded ? audited.returned : audited.loaded) {
            Set<String> resourceOwners = new LinkedHashSet<>();
            owners.addOwners(resource, resourceOwners);
            resourceOwners.forEach(involvement::patient);
        }
        for (AuditedRequest.Written written : audited.written) {
            String reference = reference(written.resource());
            if (reference == null) {
                continue;
            }
            Set<String> resourceOwners = new LinkedHashSet<>();
            owners.addOwners(written.resource(), resourceOwners);
            if (written.change() == AuditedRequest.Change.DELETED) {
                involvement.deleted.add(reference);
            }
            involvement.data(reference, resourceOwners);
        }
        return involvement;
    }

    private static boolean sameResource(IBaseResource resource, String reference) {
        IIdType id = resource.getIdElement();
        return id != null && id.hasIdPart() && reference.equals(id.getResourceType() + "/" + id.getIdPart());
    }

    private String reference(IBaseResource resource) {
        IIdType id = resource.getIdElement();
        if (id == null || !id.hasIdPart()) {
            return null;
        }
        String type = id.hasResourceType() ? id.getResourceType() : fhirContext.getResourceType(resource);
        return type + "/" + id.getIdPart();
    }

    private static final class Involvement {
        /** Patient → the resources of theirs read or written (bare patient ids, in order of first mention). */
        final Map<String, Set<String>> dataByPatient = new LinkedHashMap<>();

        final Set<String> dataWithoutPatient = new LinkedHashSet<>();
        final Set<String> deleted = new LinkedHashSet<>();

        void patient(String id) {
            dataByPatient.computeIfAbsent(id, key -> new LinkedHashSet<>());
        }

        void data(String reference, Set<String> patients) {
            if (patients.isEmpty()) {
                dataWithoutPatient.add(reference);
            }
            for (String patient : patients) {
                dataByPatient
                        .computeIfAbsent(patient, key -> new LinkedHashSet<>())
                        .add(reference);
            }
        }
    }

    private AuditEvent common(
            RequestDetails request,
            AccessContext context,
            AuditedRequest audited,
            Interaction interaction,
            BaseServerResponseException failure,
            boolean withPatient) {
        AuditEvent event = new AuditEvent();
        if (failure == null && interaction.profile != null) {
            event.getMeta().addProfile(PROFILE_BASE + (withPatient ? "Patient" : "") + interaction.profile);
        }
        event.setType(coding(CS_AUDIT_EVENT_TYPE, "rest", "Restful Operation"));
        if (interaction.code != null) {
            event.addSubtype(coding(CS_RESTFUL_INTERACTION, interaction.code, interaction.code));
        }
        event.setAction(interaction.action);
        event.setRecorded(Date.from(clock.instant()));
        if (failure == null) {
            event.setOutcome(AuditEventOutcome._0);
        } else {
            event.setOutcome(failure.getStatusCode() >= 500 ? AuditEventOutcome._8 : AuditEventOutcome._4);
            event.setOutcomeDesc(failureText(failure));
        }
        addAgents(event, request, context, interaction.clientReceivesData);
        event.getSource()
                .setSite("CareGate")
                .setObserver(serverReference())
                .addType(coding(CS_SOURCE_TYPE, "4", "Application Server"));
        if (interaction.isQuery) {
            event.addEntity()
                    .setType(coding(CS_ENTITY_TYPE, "2", "System Object"))
                    .setRole(coding(CS_OBJECT_ROLE, "24", "Query"))
                    .setQuery(audited.url.getBytes(StandardCharsets.UTF_8));
        }
        return event;
    }

    private void addAgents(
            AuditEvent event, RequestDetails request, AccessContext context, boolean clientReceivesData) {
        SmartAccessToken token = context.token();
        UserAccount user = context.user().orElse(null);
        String fhirUser = token.fhirUserReference().orElse(user == null ? null : user.fhirUser());
        if (fhirUser != null) {
            AuditEventAgentComponent agent = event.addAgent()
                    .setType(concept(CS_PARTICIPATION_TYPE, "IRCP", "information recipient"))
                    .setWho(new Reference(fhirUser))
                    .setAltId(user != null ? user.username() : token.subject())
                    .setRequestor(true);
            agent.addPolicy(token.tokenId());
            if (user != null) {
                agent.setName(user.displayName());
                agent.getWho().setDisplay(user.displayName());
            }
        }
        String organization = user != null && user.organizationId() != null
                ? user.organizationId()
                : token.clientOrganization().orElse(null);
        if (organization != null) {
            event.addAgent()
                    .setType(concept(CS_ROLE_CLASS, "PROV", "healthcare provider"))
                    .setWho(new Reference("Organization/" + organization))
                    .setRequestor(false);
        }
        AuditEventAgentComponent client = event.addAgent()
                .setType(
                        clientReceivesData
                                ? concept(CS_DICOM, "110152", "Destination Role ID")
                                : concept(CS_DICOM, "110153", "Source Role ID"))
                .setWho(new Reference()
                        .setIdentifier(
                                new Identifier().setSystem(CLIENT_ID_SYSTEM).setValue(token.clientId()))
                        .setDisplay(token.clientId()))
                .setName(token.clientId())
                .setRequestor(fhirUser == null);
        if (fhirUser == null) {
            client.addPolicy(token.tokenId());
        }
        String address = remoteAddress(request);
        if (address != null) {
            client.getNetwork().setAddress(address).setType(AuditEventAgentNetworkType._2);
        }
        event.addAgent()
                .setType(
                        clientReceivesData
                                ? concept(CS_DICOM, "110153", "Source Role ID")
                                : concept(CS_DICOM, "110152", "Destination Role ID"))
                .setWho(serverReference())
                .setRequestor(false)
                .getNetwork()
                .setAddress(fhirBaseUrl)
                .setType(AuditEventAgentNetworkType._5);
    }

    private Reference serverReference() {
        return new Reference()
                .setIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue(fhirBaseUrl))
                .setDisplay(SERVER_NAME);
    }

    private AuditEventEntityComponent patientEntity(String patientId, boolean deleted) {
        return new AuditEventEntityComponent()
                .setWhat(what("Patient/" + patientId, deleted))
                .setType(coding(CS_ENTITY_TYPE, "1", "Person"))
                .setRole(coding(CS_OBJECT_ROLE, "1", "Patient"));
    }

    private AuditEventEntityComponent dataEntity(String reference, boolean deleted) {
        return new AuditEventEntityComponent()
                .setWhat(what(reference, deleted))
                .setType(coding(CS_ENTITY_TYPE, "2", "System Object"))
                .setRole(coding(CS_OBJECT_ROLE, "4", "Domain Resource"));
    }

    /** A literal reference, or for a resource that no longer exists a logical one (its full URL as identifier). */
    private Reference what(String reference, boolean gone) {
        return gone ? logicalReference(reference, fhirBaseUrl) : new Reference(reference);
    }

    static Reference logicalReference(String reference, String fhirBaseUrl) {
        String type = reference.substring(0, reference.indexOf('/'));
        return new Reference()
                .setType(type)
                .setIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue(fhirBaseUrl + "/" + reference))
                .setDisplay(reference);
    }

    private static String failureText(BaseServerResponseException failure) {
        if (failure.getOperationOutcome() instanceof OperationOutcome outcome
                && outcome.hasIssue()
                && outcome.getIssueFirstRep().hasDiagnostics()) {
            return outcome.getIssueFirstRep().getDiagnostics();
        }
        return failure.getMessage() != null ? failure.getMessage() : "HTTP " + failure.getStatusCode();
    }

    private static String remoteAddress(RequestDetails request) {
        if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
            return servlet.getServletRequest().getRemoteAddr();
        }
        return null;
    }

    private static Coding coding(String system, String code, String display) {
        return new Coding(system, code, display);
    }

    private static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept(new Coding(system, code, display));
    }

    /** The FHIR restful interaction of a request, and how BALP records it. */
    enum Interaction {
        READ("read", AuditEventAction.R, "Read", true, false),
        VREAD("vread", AuditEventAction.R, "Read", true, false),
        HISTORY_INSTANCE("history-instance", AuditEventAction.R, "Read", true, false),
        SEARCH_TYPE("search-type", AuditEventAction.E, "Query", false, true),
        SEARCH_SYSTEM("search-system", AuditEventAction.E, "Query", false, true),
        HISTORY_TYPE("history-type", AuditEventAction.E, "Query", false, true),
        HISTORY_SYSTEM("history-system", AuditEventAction.E, "Query", false, true),
        CREATE("create", AuditEventAction.C, "Create", false, false),
        UPDATE("update", AuditEventAction.U, "Update", false, false),
        PATCH("patch", AuditEventAction.U, "Update", false, false),
        DELETE("delete", AuditEventAction.D, "Delete", false, false),
        TRANSACTION("transaction", AuditEventAction.E, null, false, false),
        BATCH("batch", AuditEventAction.E, null, false, false),
        OPERATION("operation", AuditEventAction.E, "Query", false, true),
        OTHER(null, AuditEventAction.E, null, false, false);

        final String code;
        final AuditEventAction action;
        /** The BALP profile's name without its {@code Patient} prefix; {@code null} where BALP has none. */
        final String profile;

        final boolean clientReceivesData;
        final boolean isQuery;

        Interaction(String code, AuditEventAction action, String profile, boolean clientReceivesData, boolean isQuery) {
            this.code = code;
            this.action = action;
            this.profile = profile;
            this.clientReceivesData = clientReceivesData;
            this.isQuery = isQuery;
        }

        /** Whether the URL names one instance: {@code Type/id}, {@code Type/id/_history}, {@code Type/id/$op}. */
        boolean targetsInstance() {
            return this == READ
                    || this == VREAD
                    || this == HISTORY_INSTANCE
                    || this == UPDATE
                    || this == PATCH
                    || this == DELETE
                    || this == OPERATION;
        }

        /** Whether that instance is recorded as a data entity (an operation records its target's patient only). */
        boolean recordsTarget() {
            return this != OPERATION;
        }

        static Interaction of(RequestDetails request) {
            RestOperationTypeEnum operation = request.getRestOperationType();
            if (operation == null) {
                return OTHER;
            }
            return switch (operation) {
                case READ -> READ;
                case VREAD -> VREAD;
                case HISTORY_INSTANCE -> HISTORY_INSTANCE;
                case SEARCH_TYPE, GET_PAGE -> SEARCH_TYPE;
                case SEARCH_SYSTEM -> SEARCH_SYSTEM;
                case HISTORY_TYPE -> HISTORY_TYPE;
                case HISTORY_SYSTEM -> HISTORY_SYSTEM;
                case CREATE -> CREATE;
                case UPDATE, UPDATE_REWRITE_HISTORY -> UPDATE;
                case PATCH -> PATCH;
                case DELETE -> DELETE;
                case TRANSACTION, BATCH -> isBatch(request) ? BATCH : TRANSACTION;
                case EXTENDED_OPERATION_SERVER,
                        EXTENDED_OPERATION_TYPE,
                        EXTENDED_OPERATION_INSTANCE,
                        VALIDATE,
                        GRAPHQL_REQUEST,
                        META,
                        META_ADD,
                        META_DELETE,
                        GET_TAGS,
                        ADD_TAGS,
                        DELETE_TAGS -> OPERATION;
                default -> OTHER;
            };
        }

        private static boolean isBatch(RequestDetails request) {
            IBaseResource body = request.getResource();
            return body instanceof Bundle bundle && bundle.getType() == Bundle.BundleType.BATCH
                    || request.getRestOperationType() == RestOperationTypeEnum.BATCH;
        }
    }

    /** The resources a response carries: the resource itself, or a bundle's entries. */
    static void addResponseResources(IBaseResource response, List<IBaseResource> into) {
        if (response instanceof IBaseBundle) {
            if (response instanceof Bundle bundle) {
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    if (entry.getResource() != null && !(entry.getResource() instanceof OperationOutcome)) {
                        AuditedRequest.add(into, entry.getResource());
                    }
                }
            }
        } else if (response != null && !(response instanceof OperationOutcome)) {
            AuditedRequest.add(into, response);
        }
    }
}
