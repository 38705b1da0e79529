package org.caregate.server.security.release;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;

/**
 * Keeps the {@link ReleaseState#HELD} tag right on every stored Observation and DiagnosticReport, however it is
 * written (REST, transaction, seed load): added while the result is held, removed once it is final or released.
 * Registered with HAPI's storage interceptor service, so it sees every write.
 */
@Interceptor
public final class ReleaseStateTagger {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        tag(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        tag(resource);
    }

    private static void tag(IBaseResource resource) {
        if (!(resource instanceof Observation) && !(resource instanceof DiagnosticReport)) {
            return;
        }
        Resource stored = (Resource) resource;
        stored.getMeta().getTag().removeIf(tag -> ReleaseState.HELD.getSystem().equals(tag.getSystem()));
        if (ReleaseState.isHeld(stored)) {
            stored.getMeta().addTag(ReleaseState.HELD.copy());
        }
    }
}
