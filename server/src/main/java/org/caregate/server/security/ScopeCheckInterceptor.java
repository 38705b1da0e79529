package org.caregate.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.caregate.smart.scope.Interaction;
import org.caregate.smart.scope.ResourceScope;
import org.caregate.smart.scope.ScopeContext;

/**
 * Step 2: the interaction itself must be granted by a scope: {@code r} for read and history of an instance,
 * {@code s} for search, {@code c}, {@code u}, {@code d} for writes (SMART App Launch 2.2, "Scopes for requesting
 * clinical data"). A missing scope is a 403 whose OperationOutcome names a scope that would have been enough.
 * Which instances the scope reaches is decided afterwards, by {@link SmartAuthorizationInterceptor}.
 */
@Interceptor(order = ScopeCheckInterceptor.ORDER)
public final class ScopeCheckInterceptor {

    public static final int ORDER = BearerTokenInterceptor.ORDER + 10;

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = ORDER)
    public boolean checkScopes(RequestDetails request) {
        AccessContext context = AccessContext.find(request).orElse(null);
        RestOperationTypeEnum operation = request.getRestOperationType();
        String resourceType = request.getResourceName();
        if (context == null || operation == null || resourceType == null) {
            return true; // metadata, system-level operations and batch bodies are checked by the authorization rules
        }
        Interaction interaction = interactionOf(operation);
        if (interaction == null) {
            return true;
        }
        if (!permitsAnyContext(context, resourceType, interaction)) {
            ScopeContext scopeContext = context.isBackendClient()
                    ? ScopeContext.SYSTEM
                    : context.hasScopesIn(ScopeContext.USER) ? ScopeContext.USER : ScopeContext.PATIENT;
            String example = scopeContext.prefix() + "/" + resourceType + "." + interaction.letter();
            throw new ForbiddenOperationException(
                    Messages.missingScope(RequestLocale.of(request), verb(interaction), resourceType, example));
        }
        return true;
    }

    private static boolean permitsAnyContext(AccessContext context, String resourceType, Interaction interaction) {
        for (ResourceScope scope : context.token().scopes().resourceScopes()) {
            if (scope.permits(scope.context(), resourceType, interaction)) {
                return true;
            }
        }
        return false;
    }

    private static Interaction interactionOf(RestOperationTypeEnum operation) {
        return switch (operation) {
            case READ, VREAD, HISTORY_INSTANCE -> Interaction.READ;
            case SEARCH_TYPE, HISTORY_TYPE -> Interaction.SEARCH;
            case CREATE -> Interaction.CREATE;
            case UPDATE, PATCH -> Interaction.UPDATE;
            case DELETE -> Interaction.DELETE;
            default -> null;
        };
    }

    private static String verb(Interaction interaction) {
        return switch (interaction) {
            case READ -> "reading";
            case SEARCH -> "searching";
            case CREATE -> "creating";
            case UPDATE -> "updating";
            case DELETE -> "deleting";
        };
    }
}
