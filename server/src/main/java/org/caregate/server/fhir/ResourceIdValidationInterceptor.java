package org.caregate.server.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Refuses a request whose resource id (in the URL, or in the body of a create/update) is not a valid FHIR id,
 * with a 400 that says so, instead of HAPI's "not known" 404 or a stored odd id.
 *
 * @see <a href="https://hl7.org/fhir/R4/datatypes.html#id">FHIR R4 id datatype</a>
 */
@Interceptor
final class ResourceIdValidationInterceptor {

    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean checkUrlId(RequestDetails request) {
        IIdType id = request.getId();
        if (id != null && id.hasIdPart()) {
            requireValid(id.getIdPart());
        }
        return true;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void checkCreatedId(IBaseResource resource) {
        checkBodyId(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void checkUpdatedId(IBaseResource previous, IBaseResource resource) {
        checkBodyId(resource);
    }

    private static void checkBodyId(IBaseResource resource) {
        IIdType id = resource.getIdElement();
        if (id != null && id.hasIdPart()) {
            requireValid(id.getIdPart());
        }
    }

    private static void requireValid(String id) {
        if (!FHIR_ID.matcher(id).matches()) {
            throw new InvalidRequestException("'" + id + "' is not a valid FHIR resource id: an id is 1 to 64 letters, "
                    + "digits, '-' or '.' (https://hl7.org/fhir/R4/datatypes.html#id)");
        }
    }
}
