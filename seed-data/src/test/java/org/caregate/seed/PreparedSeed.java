package org.caregate.seed;

import ca.uhn.fhir.context.FhirContext;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** The seed dataset prepared for one loading day, with its resources indexed by {@code Type/id}. */
record PreparedSeed(LocalDate loadingDay, List<Bundle> bundles, Map<String, Resource> byReference) {

    /** One context for all tests: building it is the slow part. */
    static final FhirContext FHIR = FhirContext.forR4Cached();

    static final SeedDataset DATASET = SeedDataset.load(FHIR);

    static PreparedSeed on(LocalDate loadingDay) {
        List<Bundle> bundles = DATASET.transactionBundles(loadingDay);
        Map<String, Resource> index = new LinkedHashMap<>();
        for (Bundle bundle : bundles) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource resource = entry.getResource();
                String key = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
                if (index.put(key, resource) != null) {
                    throw new IllegalStateException("duplicate resource " + key);
                }
            }
        }
        return new PreparedSeed(loadingDay, bundles, Map.copyOf(index));
    }

    Stream<Resource> resources() {
        return byReference.values().stream();
    }

    <T extends Resource> Stream<T> resources(Class<T> type) {
        return resources().filter(type::isInstance).map(type::cast);
    }

    <T extends Resource> T get(Class<T> type, String id) {
        Resource resource = byReference.get(type.getSimpleName() + "/" + id);
        if (resource == null) {
            throw new AssertionError("no " + type.getSimpleName() + "/" + id + " in the seed dataset");
        }
        return type.cast(resource);
    }
}
