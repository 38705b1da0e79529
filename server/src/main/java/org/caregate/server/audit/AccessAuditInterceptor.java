package org.caregate.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.caregate.server.security.AccessContext;
import org.caregate.server.security.BearerTokenInterceptor;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 6 of every FHIR request (DESIGN.md, "One request's way through"): every request made with a token, permitted
 * or refused, is recorded as AuditEvents (see {@link BalpAuditEvents} for their shape) and stored by the
 * {@link AuditEventWriter} before the answer is written: the request thread gathers references as the request
 * passes, builds the events at the end and waits for their (group) commit.
 *
 * <p>Hooks, in request order:
 * <ol>
 *   <li>right after the bearer token is checked: remember the URL as the client sent it and the patients it names,
 *       before search narrowing adds the permitted patients to it;</li>
 *   <li>{@code STORAGE_PRESHOW_RESOURCES} (before the authorization checks after loading): what was loaded, so that
 *       a refused read still says whose record it tried to reach;</li>
 *   <li>{@code STORAGE_PRECOMMIT_RESOURCE_*}: what was created, updated or deleted, batch and transaction entries
 *       included;</li>
 *   <li>{@code SERVER_OUTGOING_RESPONSE} (after every other interceptor): what the response carried; build the
 *       events and store them, before the response is written;</li>
 *   <li>{@code SERVER_HANDLE_EXCEPTION}: the refusal or failure and its text; build and store, before the
 *       OperationOutcome is written;</li>
 *   <li>{@code SERVER_PROCESSING_COMPLETED} (always, in a {@code finally}): store the events of a request that
 *       passed neither (an operation that wrote its answer itself).</li>
 * </ol>
 *
 * <p>A request without a valid token (401) is not recorded: there is nobody to record. Requests for the
 * CapabilityStatement are not recorded. The writer stores into CareGate's own audit table with JDBC, never
 * through this server, so storing is neither audited nor checked.
 */
@Interceptor
public final class AccessAuditInterceptor {

    private static final Logger log = LoggerFactory.getLogger(AccessAuditInterceptor.class);

    /** Right after the token check, before the scope check and search narrowing. */
    static final int CAPTURE_ORDER = BearerTokenInterceptor.ORDER + 1;
    /** After every interceptor that may still change or refuse the response. */
    static final int LATE_ORDER = 10_000;
    /** Before HAPI's authorization and consent interceptors (orders 100, 200) look at loaded resources. */
    static final int PRESHOW_ORDER = -100;

    private final BalpAuditEvents events;
    private final AuditEventWriter writer;
    private final PatientCompartmentOwners owners;
    private final LongAdder requests = new LongAdder();
    private final LongAdder recordingNanos = new LongAdder();
    private final LongAdder recordingCpuNanos = new LongAdder();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    AccessAuditInterceptor(BalpAuditEvents events, AuditEventWriter writer, PatientCompartmentOwners owners) {
        this.events = events;
        this.writer = writer;
        this.owners = owners;
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = CAPTURE_ORDER)
    public boolean captureRequest(RequestDetails request) {
        if (AccessContext.find(request).isEmpty() || request.getRestOperationType() == RestOperationTypeEnum.METADATA) {
            return true;
        }
        AuditedRequest.start(request, requestUrl(request), namedPatients(request));
        writer.requestOpened();
        return true;
    }

    @Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = PRESHOW_ORDER)
    public void captureLoaded(RequestDetails request, IPreResourceShowDetails details) {
        AuditedRequest audited = AuditedRequest.find(request);
        if (audited != null) {
            for (IBaseResource resource : details) {
                AuditedRequest.add(audited.loaded, resource);
            }
        }
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = LATE_ORDER)
    public void captureCreated(RequestDetails request, IBaseResource resource) {
        written(request, resource, AuditedRequest.Change.CREATED);
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = LATE_ORDER)
    public void captureUpdated(RequestDetails request, IBaseResource previous, IBaseResource updated) {
        written(request, updated, AuditedRequest.Change.UPDATED);
    }

    @Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, order = LATE_ORDER)
    public void captureDeleted(RequestDetails request, IBaseResource resource) {
        written(request, resource, AuditedRequest.Change.DELETED);
    }

    private static void written(RequestDetails request, IBaseResource resource, AuditedRequest.Change change) {
        AuditedRequest audited = AuditedRequest.find(request);
        if (audited != null) {
            audited.addWritten(resource, change);
        }
    }

    /** Success: the answer is about to be written. Its records are stored first (see {@link AuditEventWriter}). */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = LATE_ORDER)
    public boolean captureResponse(RequestDetails request, ResponseDetails response) {
        AuditedRequest audited = AuditedRequest.find(request);
        if (audited != null && audited.isRequest(request)) {
            if (response != null) {
                BalpAuditEvents.addResponseResources(response.getResponseResource(), audited.returned);
            }
            store(request, audited, true);
        }
        return true;
    }

    /** Refusal or failure: the OperationOutcome is about to be written; its records are stored first. */
    @Hook(value = Pointcut.SERVER_HANDLE_EXCEPTION, order = LATE_ORDER)
    public boolean captureFailure(RequestDetails request, BaseServerResponseException exception) {
        AuditedRequest audited = AuditedRequest.find(request);
        if (audited != null && audited.isRequest(request)) {
            audited.failed(exception);
            store(request, audited, false);
        }
        return true;
    }

    /**
     * Always, last: stores the records of a request that passed neither hook above (an answer written by an
     * operation itself), and closes the request for {@link AuditEventWriter#flush()}.
     */
    @Hook(value = Pointcut.SERVER_PROCESSING_COMPLETED, order = LATE_ORDER)
    public void record(RequestDetails request) {
        AuditedRequest audited = AuditedRequest.find(request);
        if (audited == null || !audited.isRequest(request)) {
            return;
        }
        try {
            store(request, audited, false);
        } finally {
            writer.requestClosed();
        }
    }

    /**
     * Builds the request's events and stores them, once per request. Before a successful answer a failure to
     * store refuses the request (503); before a refusal, or after the answer, it can only be logged.
     */
    private void store(RequestDetails request, AuditedRequest audited, boolean refuseIfNotStored) {
        if (!audited.markRecorded()) {
            return;
        }
        AccessContext context = AccessContext.find(request).orElse(null);
        long start = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        try {
            writer.store(events.eventsFor(request, context, audited));
        } catch (AuditUnavailableException e) {
            if (refuseIfNotStored) {
                throw e;
            }
        } catch (RuntimeException e) {
            // never fail a request because its events could not be built; but say loudly that its record is missing
            log.error(
                    "AUDIT RECORD MISSING: could not record {} {} by client {}: {}",
                    request.getRequestType(),
                    audited.url,
                    context == null ? "?" : context.token().clientId(),
                    e.toString(),
                    e);
        } finally {
            recordingNanos.add(System.nanoTime() - start);
            recordingCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpuStart);
            requests.increment();
        }
    }

    /** Requests recorded so far and the request-thread time spent building and enqueueing their events. */
    public RecordingCost cost() {
        return new RecordingCost(requests.sum(), recordingNanos.sum(), recordingCpuNanos.sum());
    }

    /**
     * @param requests requests recorded
     * @param nanos request-thread wall time spent on them (building the events, turning them into rows, and waiting
     *     for their commit)
     * @param cpuNanos the CPU time of the same work (wall time also counts waiting for the commit and for a core)
     */
    public record RecordingCost(long requests, long nanos, long cpuNanos) {}

    PatientCompartmentOwners owners() {
        return owners;
    }

    /** The URL as sent; a POST {@code _search}'s form parameters are added to it as a query string. */
    private static String requestUrl(RequestDetails request) {
        String url = request.getCompleteUrl();
        if (url == null) {
            url = request.getFhirServerBase() + "/" + request.getRequestPath();
        }
        if (url.indexOf('?') < 0
                && request.getRequestType() == ca.uhn.fhir.rest.api.RequestTypeEnum.POST
                && !request.getParameters().isEmpty()) {
            StringBuilder query = new StringBuilder(url).append('?');
            for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
                for (String value : parameter.getValue()) {
                    if (query.charAt(query.length() - 1) != '?') {
                        query.append('&');
                    }
                    query.append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
                            .append('=')
                            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            }
            url = query.toString();
        }
        return url;
    }

    /**
     * The patients a request names in its URL: {@code Patient/x[/...]}, and the values of the Patient-reference
     * search parameters ({@code patient}, {@code subject}, {@code beneficiary}) that name a Patient.
     */
    private static Set<String> namedPatients(RequestDetails request) {
        Set<String> patients = new LinkedHashSet<>();
        if ("Patient".equals(request.getResourceName())
                && request.getId() != null
                && request.getId().hasIdPart()) {
            patients.add(request.getId().getIdPart());
        }
        if ("Patient".equals(request.getCompartmentName())
                && request.getId() != null
                && request.getId().hasIdPart()) {
            patients.add(request.getId().getIdPart());
        }
        for (String name : List.of("patient", "subject", "subject:Patient", "beneficiary", "patient:Patient")) {
            String[] values = request.getParameters().get(name);
            if (values == null) {
                continue;
            }
            for (String value : values) {
                for (String one : value.split(",")) {
                    String id = one.trim();
                    if (id.startsWith("Patient/")) {
                        id = id.substring("Patient/".length());
                    } else if (id.contains("/") || name.startsWith("subject") && !name.endsWith(":Patient")) {
                        continue; // another type, or a subject that need not be a Patient
                    }
                    if (!id.isEmpty()
                            && id.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '.')) {
                        patients.add(id);
                    }
                }
            }
        }
        return patients;
    }
}
