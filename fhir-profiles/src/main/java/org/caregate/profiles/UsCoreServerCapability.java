package org.caregate.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;

/**
 * What US Core 6.1.0 requires of a server, read from its own server CapabilityStatement
 * ({@code CapabilityStatement-us-core-server.json} of the {@code hl7.fhir.us.core#6.1.0} package, CC0-1.0, copied
 * verbatim into {@code org/caregate/profiles/us-core/}): the resource types and, per type, the search parameters and
 * combinations it marks SHALL (the {@code capabilitystatement-expectation} extension).
 *
 * <p>The server serves every type listed here and the tests check its own CapabilityStatement against this one, so
 * neither the type list nor the search list is written by hand anywhere.
 */
public final class UsCoreServerCapability {

    /** The canonical URL of the US Core server CapabilityStatement. */
    public static final String URL = "http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server";

    static final String RESOURCE = "/org/caregate/profiles/us-core/CapabilityStatement-us-core-server.json";

    private static final String EXPECTATION = "http://hl7.org/fhir/StructureDefinition/capabilitystatement-expectation";
    private static final String COMBINATION =
            "http://hl7.org/fhir/StructureDefinition/capabilitystatement-search-parameter-combination";

    /** One resource type's requirements. */
    public record ResourceRequirement(
            String type,
            String expectation,
            List<String> supportedProfiles,
            Set<String> shallInteractions,
            List<String> shallSearchParameters,
            List<List<String>> shallCombinations) {

        /** Every search parameter named SHALL, alone or in a combination. */
        public Set<String> everyShallParameter() {
            Set<String> all = new LinkedHashSet<>(shallSearchParameters);
            shallCombinations.forEach(all::addAll);
            return Collections.unmodifiableSet(all);
        }
    }

    private final CapabilityStatement statement;
    private final Map<String, ResourceRequirement> resources;

    private UsCoreServerCapability(CapabilityStatement statement) {
        this.statement = statement;
        Map<String, ResourceRequirement> byType = new LinkedHashMap<>();
        for (CapabilityStatementRestResourceComponent resource :
                statement.getRestFirstRep().getResource()) {
            byType.put(resource.getType(), requirement(resource));
        }
        this.resources = Map.copyOf(byType);
    }

    /** The US Core 6.1.0 server CapabilityStatement, parsed (a new object on every call). */
    public static UsCoreServerCapability load(FhirContext fhirContext) {
        IParser parser = fhirContext.newJsonParser();
        try (InputStream in = UsCoreServerCapability.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("not on the classpath: " + RESOURCE);
            }
            return new UsCoreServerCapability(parser.parseResource(CapabilityStatement.class, in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The CapabilityStatement itself. */
    public CapabilityStatement statement() {
        return statement;
    }

    /** The version of US Core it belongs to ({@code 6.1.0}). */
    public String version() {
        return statement.getVersion();
    }

    /** Every resource type the statement lists (SHALL, SHOULD or MAY), in its order. */
    public List<String> resourceTypes() {
        return statement.getRestFirstRep().getResource().stream()
                .map(CapabilityStatementRestResourceComponent::getType)
                .toList();
    }

    /** What the statement requires of a type; every type of {@link #resourceTypes()} has one. */
    public ResourceRequirement requirement(String type) {
        ResourceRequirement requirement = resources.get(type);
        if (requirement == null) {
            throw new IllegalArgumentException(type + " is not in the US Core server CapabilityStatement");
        }
        return requirement;
    }

    private static ResourceRequirement requirement(CapabilityStatementRestResourceComponent resource) {
        List<String> parameters = new ArrayList<>();
        for (CapabilityStatementRestResourceSearchParamComponent parameter : resource.getSearchParam()) {
            if ("SHALL".equals(expectation(parameter))) {
                parameters.add(parameter.getName());
            }
        }
        List<List<String>> combinations = new ArrayList<>();
        for (Extension combination : resource.getExtensionsByUrl(COMBINATION)) {
            if ("SHALL".equals(expectation(combination))) {
                combinations.add(combination.getExtensionsByUrl("required").stream()
                        .map(required -> ((StringType) required.getValue()).getValue())
                        .toList());
            }
        }
        Set<String> interactions = resource.getInteraction().stream()
                .filter(interaction -> "SHALL".equals(expectation(interaction)))
                .map(interaction -> interaction.getCode().toCode())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        List<String> profiles = new ArrayList<>();
        if (resource.hasProfile()) {
            profiles.add(resource.getProfile());
        }
        resource.getSupportedProfile().forEach(profile -> profiles.add(profile.getValue()));
        return new ResourceRequirement(
                resource.getType(),
                expectation(resource),
                List.copyOf(profiles),
                Collections.unmodifiableSet(interactions),
                List.copyOf(parameters),
                List.copyOf(combinations));
    }

    private static String expectation(Element element) {
        Extension extension = element.getExtensionByUrl(EXPECTATION);
        return extension == null ? null : extension.getValue().primitiveValue();
    }
}
