package org.caregate.server.access;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Keeps the {@link AccessIndex} in step with the FHIR data: on every create, update and delete of a type that
 * carries facts, the resource's facts are replaced just before HAPI commits, on HAPI's own transaction, whatever
 * the path (REST, transaction bundle, seed load, another node). Registered with HAPI's storage interceptors.
 */
@Interceptor
final class AccessIndexMaintainer {

    private final AccessIndex index;
    private final AccessFactExtractor extractor;

    AccessIndexMaintainer(AccessIndex index, AccessFactExtractor extractor) {
        this.index = index;
        this.extractor = extractor;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        write(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        write(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        if (AccessFactExtractor.INDEXED_TYPES.contains(resource.fhirType())) {
            index.replace(sourceOf(resource), java.util.List.of());
        }
    }

    private void write(IBaseResource resource) {
        if (AccessFactExtractor.INDEXED_TYPES.contains(resource.fhirType())) {
            index.replace(sourceOf(resource), extractor.factsOf(resource));
        }
    }

    private static String sourceOf(IBaseResource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }
}
