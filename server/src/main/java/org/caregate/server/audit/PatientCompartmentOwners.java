package org.caregate.server.audit;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * The patients a resource belongs to: the owners of the Patient compartments it is in (FHIR R4
 * CompartmentDefinition "patient"), read from the references that the compartment's search parameters name, e.g.
 * {@code Observation.subject}, {@code Observation.performer}, {@code AuditEvent.entity.what}.
 *
 * <p>Cheap by construction: the search parameters' FHIRPath expressions are reduced once per resource type to plain
 * element paths ({@code subject.where(resolve() is Patient)} → {@code subject}, keeping only Patient targets), and
 * each resource is then walked once through HAPI's element definitions, with no FHIRPath engine and no terser path
 * parsing per resource.
 */
final class PatientCompartmentOwners {

    private static final String PATIENT = "Patient";

    private final FhirContext fhirContext;
    private final Map<String, List<String[]>> pathsByType = new ConcurrentHashMap<>();

    PatientCompartmentOwners(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /**
     * Adds the bare ids of the patients whose compartment {@code resource} is in to {@code owners}; a Patient is in
     * its own compartment.
     */
    void addOwners(IBaseResource resource, Set<String> owners) {
        RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(resource);
        String type = definition.getName();
        if (PATIENT.equals(type) && resource.getIdElement().hasIdPart()) {
            owners.add(resource.getIdElement().getIdPart());
        }
        for (String[] path : pathsByType.computeIfAbsent(type, this::compile)) {
            collect(definition, resource, path, 0, owners);
        }
    }

    /** The element paths (without the leading type) of the type's Patient-compartment search parameters. */
    List<String[]> paths(String resourceType) {
        return pathsByType.computeIfAbsent(resourceType, this::compile);
    }

    private List<String[]> compile(String resourceType) {
        RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(resourceType);
        List<String[]> paths = new ArrayList<>();
        for (RuntimeSearchParam parameter : definition.getSearchParamsForCompartmentName(PATIENT)) {
            for (String expression : parameter.getPathsSplitForResourceType(resourceType)) {
                String[] path = elementPath(expression, resourceType);
                if (path != null && paths.stream().noneMatch(known -> java.util.Arrays.equals(known, path))) {
                    paths.add(path);
                }
            }
        }
        return List.copyOf(paths);
    }

    /**
     * {@code Observation.subject.where(resolve() is Patient)} → {@code [subject]}; {@code null} for an expression
     * that restricts to another type ({@code where(resolve() is Group)}) or that is not a plain path.
     */
    static String[] elementPath(String expression, String resourceType) {
        String path = expression.trim();
        while (path.startsWith("(") && path.endsWith(")")) {
            path = path.substring(1, path.length() - 1).trim();
        }
        int where = path.indexOf(".where(");
        if (where >= 0) {
            String condition = path.substring(where);
            if (!condition.contains("is " + PATIENT) && !condition.contains("is Reference")) {
                return null;
            }
            path = path.substring(0, where);
        }
        if (!path.startsWith(resourceType + ".")) {
            return null;
        }
        String[] parts = path.substring(resourceType.length() + 1).split("\\.");
        for (String part : parts) {
            if (part.isEmpty() || !part.chars().allMatch(Character::isLetterOrDigit)) {
                return null;
            }
        }
        return parts;
    }

    private void collect(
            BaseRuntimeElementCompositeDefinition<?> definition,
            IBase element,
            String[] path,
            int index,
            Set<String> owners) {
        BaseRuntimeChildDefinition child = definition.getChildByName(path[index]);
        if (child == null) {
            child = definition.getChildByName(path[index] + "[x]");
            if (child == null) {
                return;
            }
        }
        for (IBase value : child.getAccessor().getValues(element)) {
            if (index == path.length - 1) {
                if (value instanceof IBaseReference reference) {
                    String patient = patientId(reference);
                    if (patient != null) {
                        owners.add(patient);
                    }
                }
            } else {
                BaseRuntimeElementDefinition<?> next = child.getChildElementDefinitionByDatatype(value.getClass());
                if (next instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
                    collect(composite, value, path, index + 1, owners);
                }
            }
        }
    }

    /** The bare id of a reference to a Patient ({@code Patient/x}, or an absolute URL ending so), else {@code null}. */
    static String patientId(IBaseReference reference) {
        IIdType id = reference.getReferenceElement();
        if (id == null || id.isEmpty() || id.isLocal() || !PATIENT.equals(id.getResourceType()) || !id.hasIdPart()) {
            return null;
        }
        return id.getIdPart();
    }
}
