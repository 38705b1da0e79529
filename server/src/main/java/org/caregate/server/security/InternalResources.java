package org.caregate.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * CareGate's own bookkeeping resources ({@link PatientPanels}' groups) are never shown through the API and never
 * written by a client: left out of every response before the authorization rules see it (an included panel
 * would otherwise refuse a whole search), left out of Group searches in the query (so {@code total} never counts
 * them), and refused to every write that does not come from CareGate itself.
 */
@Interceptor
public final class InternalResources {

    private static final String NOT_INTERNAL =
            PatientPanels.INTERNAL.getSystem() + "|" + PatientPanels.INTERNAL.getCode();

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = 200)
    public boolean leaveOutOfGroupSearches(RequestDetails request) {
        if (request.getRestOperationType() == RestOperationTypeEnum.SEARCH_TYPE
                && "Group".equals(request.getResourceName())) {
            Map<String, String[]> parameters = new HashMap<>(request.getParameters());
            String[] existing = parameters.getOrDefault("_tag:not", new String[0]);
            String[] narrowed = Arrays.copyOf(existing, existing.length + 1);
            narrowed[existing.length] = NOT_INTERNAL;
            parameters.put("_tag:not", narrowed);
            request.setParameters(parameters);
        }
        return true;
    }

    @Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = -1000)
    public void leaveOutOfResponses(RequestDetails request, IPreResourceShowDetails details) {
        if (request == null || request instanceof SystemRequestDetails) {
            return;
        }
        for (int i = 0; i < details.size(); i++) {
            IBaseResource resource = details.getResource(i);
            if (resource != null && PatientPanels.isInternal(resource)) {
                details.setResource(i, null);
            }
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void refuseCreate(IBaseResource resource, RequestDetails request) {
        refuseIfInternal(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void refuseUpdate(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        refuseIfInternal(previous, request);
        refuseIfInternal(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void refuseDelete(IBaseResource resource, RequestDetails request) {
        refuseIfInternal(resource, request);
    }

    private static void refuseIfInternal(IBaseResource resource, RequestDetails request) {
        if (request != null
                && !(request instanceof SystemRequestDetails)
                && resource != null
                && PatientPanels.isInternal(resource)) {
            throw new ForbiddenOperationException("CareGate's internal access panels cannot be written through the "
                    + "API (rule 'internal resource').");
        }
    }
}
