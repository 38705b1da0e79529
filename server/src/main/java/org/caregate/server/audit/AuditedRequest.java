package org.caregate.server.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * What one FHIR request did, gathered by {@link AccessAuditInterceptor} as the request passes its hooks and turned
 * into AuditEvents when it completes. Lives in the request's user data, never beyond the request. Only references
 * are kept here: the work of reading them happens once, at the end.
 */
final class AuditedRequest {

    private static final String KEY = AuditedRequest.class.getName();

    /** At most this many resources are remembered per list; a page is 20 by default and 200 at most. */
    static final int MAX_RESOURCES = 500;

    /** The request URL as the client sent it, before search narrowing added its parameters. */
    final String url;
    /** Patients the request names itself: {@code Patient/x}, {@code ?patient=x}, {@code Patient/x/$everything}. */
    final Set<String> namedPatients;
    /** Resources the response carried (the resource read, search matches and includes). */
    final List<IBaseResource> returned = new ArrayList<>();
    /** Resources HAPI loaded to show before the checks after loading ran: what a refused request tried to see. */
    final List<IBaseResource> loaded = new ArrayList<>();
    /** Resources created, updated or deleted, with the change made to each. */
    final List<Written> written = new ArrayList<>();

    private BaseServerResponseException failure;
    /** The request itself (batch entries are sub-requests that may share its user data). */
    private final RequestDetails request;

    private boolean recorded;

    record Written(IBaseResource resource, Change change) {}

    enum Change {
        CREATED,
        UPDATED,
        DELETED
    }

    private AuditedRequest(RequestDetails request, String url, Set<String> namedPatients) {
        this.request = request;
        this.url = url;
        this.namedPatients = namedPatients;
    }

    static AuditedRequest start(RequestDetails request, String url, Set<String> namedPatients) {
        AuditedRequest audited = new AuditedRequest(request, url, new LinkedHashSet<>(namedPatients));
        request.getUserData().put(KEY, audited);
        return audited;
    }

    static AuditedRequest find(RequestDetails request) {
        return request == null ? null : (AuditedRequest) request.getUserData().get(KEY);
    }

    static void add(List<IBaseResource> list, IBaseResource resource) {
        if (resource != null && list.size() < MAX_RESOURCES) {
            list.add(resource);
        }
    }

    void addWritten(IBaseResource resource, Change change) {
        if (resource != null && written.size() < MAX_RESOURCES) {
            written.add(new Written(resource, change));
        }
    }

    void failed(BaseServerResponseException exception) {
        if (failure == null) {
            failure = exception;
        }
    }

    BaseServerResponseException failure() {
        return failure;
    }

    /** Whether {@code candidate} is the request itself, not a batch entry's sub-request. */
    boolean isRequest(RequestDetails candidate) {
        return candidate == request;
    }

    /** Marks the request as recorded; false if it was already (its records are stored once). */
    boolean markRecorded() {
        if (recorded) {
            return false;
        }
        recorded = true;
        return true;
    }
}
