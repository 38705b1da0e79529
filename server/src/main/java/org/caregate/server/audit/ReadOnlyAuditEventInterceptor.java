package org.caregate.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.EnumSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Nobody changes the audit trail through the API: creating, updating, patching or deleting an AuditEvent (or
 * changing its tags) is refused with 403, whatever the token's scopes, directly or as an entry of a batch or
 * transaction. Reads and searches are left to the authorization rules.
 *
 * <p>Two checks: the URL and the batch/transaction entries before anything runs (a clear refusal, before the scope
 * check and the authorization rules), and the storage layer itself ({@code STORAGE_PRESTORAGE_RESOURCE_*}) as a
 * backstop for any path the first one does not foresee ({@link AuditEventProvider} refuses writes too). The audit
 * trail itself is stored with JDBC by {@link AuditEventWriter}, never through the API.
 */
@Interceptor
public final class ReadOnlyAuditEventInterceptor {

    /** After the token check and the audit's own capture (so the attempt is recorded), before the scope check. */
    static final int ORDER = AccessAuditInterceptor.CAPTURE_ORDER + 1;

    private static final String AUDIT_EVENT = "AuditEvent";
    private static final Set<RestOperationTypeEnum> READS = EnumSet.of(
            RestOperationTypeEnum.READ,
            RestOperationTypeEnum.VREAD,
            RestOperationTypeEnum.SEARCH_TYPE,
            RestOperationTypeEnum.HISTORY_INSTANCE,
            RestOperationTypeEnum.HISTORY_TYPE,
            RestOperationTypeEnum.GET_PAGE,
            RestOperationTypeEnum.META,
            RestOperationTypeEnum.GET_TAGS,
            RestOperationTypeEnum.VALIDATE);

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = ORDER)
    public boolean refuseWritesByUrl(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (AUDIT_EVENT.equals(request.getResourceName())
                && operation != null
                && !READS.contains(operation)
                && !isValidate(request)) {
            throw readOnly(request);
        }
        return true;
    }

    /** Batch and transaction bodies are parsed by now. */
    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = ORDER)
    public void refuseWritesInBundles(RequestDetails request) {
        if (request.getResource() instanceof Bundle bundle
                && (request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION
                        || request.getRestOperationType() == RestOperationTypeEnum.BATCH)) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Bundle.HTTPVerb method = entry.getRequest().getMethod();
                if (method == null || method == Bundle.HTTPVerb.GET || method == Bundle.HTTPVerb.HEAD) {
                    continue;
                }
                String url = entry.getRequest().getUrl();
                if (entry.getResource() instanceof AuditEvent || url != null && namesAuditEvent(url)) {
                    throw readOnly(request);
                }
            }
        }
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = ORDER)
    public void refuseCreate(RequestDetails request, IBaseResource resource) {
        refuseIfAuditEvent(request, resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = ORDER)
    public void refuseUpdate(RequestDetails request, IBaseResource previous, IBaseResource updated) {
        refuseIfAuditEvent(request, previous);
        refuseIfAuditEvent(request, updated);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = ORDER)
    public void refuseDelete(RequestDetails request, IBaseResource resource) {
        refuseIfAuditEvent(request, resource);
    }

    private static void refuseIfAuditEvent(RequestDetails request, IBaseResource resource) {
        if (resource instanceof AuditEvent && !(request instanceof SystemRequestDetails)) {
            throw readOnly(request);
        }
    }

    private static boolean namesAuditEvent(String url) {
        String path = url.startsWith("/") ? url.substring(1) : url;
        int fhir = path.indexOf("/fhir/");
        if (path.startsWith("http") && fhir >= 0) {
            path = path.substring(fhir + "/fhir/".length());
        }
        return path.equals(AUDIT_EVENT) || path.startsWith(AUDIT_EVENT + "/") || path.startsWith(AUDIT_EVENT + "?");
    }

    private static boolean isValidate(RequestDetails request) {
        return "$validate".equals(request.getOperation());
    }

    static ForbiddenOperationException readOnly(RequestDetails request) {
        String language = request == null ? null : request.getHeader("Accept-Language");
        boolean spanish = language != null && language.trim().toLowerCase().startsWith("es");
        return new ForbiddenOperationException(
                spanish
                        ? "Los registros de auditoría son de solo lectura: ningún AuditEvent se puede crear, modificar ni "
                                + "eliminar a través de la API."
                        : "Audit records are read-only: no AuditEvent can be created, changed or deleted through the API.");
    }
}
