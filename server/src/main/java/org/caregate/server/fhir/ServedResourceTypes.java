package org.caregate.server.fhir;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.caregate.profiles.UsCoreServerCapability;

/**
 * The resource types {@code /fhir} stores and serves: those of {@code caregate.fhir.resource-types} and every type of
 * the US Core 6.1.0 server CapabilityStatement ({@link UsCoreServerCapability}, read from the package's own file, so
 * US Core's list is nowhere written by hand). A type not in here is unknown to the server (HAPI-0544).
 */
public record ServedResourceTypes(List<String> all) {

    public ServedResourceTypes {
        all = List.copyOf(all);
    }

    static ServedResourceTypes of(FhirProperties properties, UsCoreServerCapability usCore) {
        Set<String> types = new LinkedHashSet<>(properties.resourceTypes());
        types.addAll(usCore.resourceTypes());
        return new ServedResourceTypes(List.copyOf(types));
    }

    public boolean contains(String type) {
        return all.contains(type);
    }
}
