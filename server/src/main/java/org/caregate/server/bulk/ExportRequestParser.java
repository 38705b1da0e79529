package org.caregate.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryMatchResult;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryResourceMatcher;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.caregate.server.security.EffectiveAccess;
import org.caregate.server.security.ResourcePlacement;
import org.caregate.smart.scope.Interaction;
import org.caregate.smart.scope.ScopeContext;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;

/**
 * Checks a kick-off request against the Bulk Data Access IG 2.0 ("Bulk Data Kick-off Request") and what this
 * client may export, and resolves it into an {@link ExportRequest}. Every refusal says what is wrong: a 400 for a
 * request the spec or CareGate does not support, a 403 naming the missing scope or the consent rule.
 *
 * <p>Parameters come from the query (GET) or a FHIR {@code Parameters} body (POST). With {@code Prefer:
 * handling=lenient} an unsupported parameter or type is left out instead of refused.
 */
final class ExportRequestParser {

    static final String RULE = "bulk-export";
    private static final Set<String> FORMATS = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
    private static final Set<String> IGNORED = Set.of("_format", "_pretty");
    private static final Pattern ELEMENT = Pattern.compile("([A-Z][A-Za-z]+\\.)?[a-z][A-Za-z0-9]*");
    private static final Pattern TYPE_FILTER = Pattern.compile("([A-Z][A-Za-z]+)\\?(.+)");

    private final FhirContext fhirContext;
    private final Set<String> servedTypes;
    private final InMemoryResourceMatcher matcher;

    ExportRequestParser(FhirContext fhirContext, Set<String> servedTypes, InMemoryResourceMatcher matcher) {
        this.fhirContext = fhirContext;
        this.servedTypes = servedTypes;
        this.matcher = matcher;
    }

    ExportRequest parse(RequestDetails request, ExportLevel level, Optional<String> groupId, EffectiveAccess access) {
        if (!access.context().isBackendClient() || !access.hasScopesIn(ScopeContext.SYSTEM)) {
            throw new ForbiddenOperationException("Access denied by rule '" + RULE + "': Bulk Data export is for "
                    + "backend services clients with system/ scopes (SMART Backend Services); this token has "
                    + "none. Use $everything or searches with a patient or user token.");
        }
        boolean lenient = preferences(request).contains("handling=lenient");
        if (!preferences(request).contains("respond-async")) {
            throw new InvalidRequestException("A Bulk Data kick-off request needs the header 'Prefer: respond-async' "
                    + "(the export runs in the background; its status is polled at the Content-Location given).");
        }
        String accept = request.getHeader("Accept");
        if (accept != null && !accept.isBlank() && !accept.contains("fhir+json") && !accept.contains("*/*")) {
            throw new InvalidRequestException("The Accept header of a kick-off request must be "
                    + "'application/fhir+json' (errors are OperationOutcomes), not '" + accept + "'.");
        }
        Map<String, List<String>> parameters = parameters(request);
        List<String> unsupported = new ArrayList<>();
        String format = single(parameters, "_outputFormat").orElse(ExportRequest.NDJSON);
        if (!FORMATS.contains(format)) {
            throw new InvalidRequestException("_outputFormat '" + format + "' is not supported: CareGate writes "
                    + "application/fhir+ndjson (also accepted as application/ndjson or ndjson).");
        }
        Optional<Instant> since = single(parameters, "_since").map(ExportRequestParser::instant);
        List<String> patients = patients(parameters, level, request);
        List<String> types = types(values(parameters, "_type"), level, access, lenient);
        List<String> typeFilters = typeFilters(values(parameters, "_typeFilter"), types, lenient);
        List<String> elements = elements(values(parameters, "_elements"));
        for (String name : parameters.keySet()) {
            if (!Set.of("_outputFormat", "_since", "_type", "_typeFilter", "_elements", "patient")
                            .contains(name)
                    && !IGNORED.contains(name)) {
                unsupported.add(name);
            }
        }
        if (!unsupported.isEmpty() && !lenient) {
            throw new InvalidRequestException("Unsupported export parameter(s) " + unsupported + ": CareGate supports "
                    + "_outputFormat, _since, _type, _typeFilter, _elements and patient (POST). Send 'Prefer: "
                    + "handling=lenient' to have unsupported parameters ignored.");
        }
        return new ExportRequest(
                level,
                groupId,
                types,
                since,
                typeFilters,
                elements,
                ExportRequest.NDJSON,
                patients,
                request.getCompleteUrl());
    }

    private List<String> types(List<String> asked, ExportLevel level, EffectiveAccess access, boolean lenient) {
        Predicate<String> atLevel = type -> level == ExportLevel.SYSTEM || patientRecord(fhirContext, type);
        Predicate<String> readable = type -> readable(access, type);
        if (asked.isEmpty()) {
            // by default the records and the care system; conformance resources (ValueSet, ...) only when named
            return servedTypes.stream()
                    .filter(atLevel)
                    .filter(readable)
                    .filter(type -> ResourcePlacement.of(fhirContext, type)
                            .filter(placement -> placement == ResourcePlacement.DEFINITION)
                            .isEmpty())
                    .sorted()
                    .toList();
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : asked) {
            String problem = null;
            if (fhirContext.getResourceTypes().stream().noneMatch(type::equals)) {
                throw new InvalidRequestException("_type '" + type + "' is not a FHIR R4 resource type.");
            } else if (!servedTypes.contains(type)) {
                problem = "_type '" + type + "' is not served by CareGate, so it cannot be exported.";
            } else if (!atLevel.test(type)) {
                problem = "_type '" + type + "' is not in the Patient compartment, so a " + level.code()
                        + "-level export has none of it; ask [base]/$export for it.";
            } else if (!readable.test(type)) {
                if (!lenient) {
                    throw new ForbiddenOperationException("Access denied: exporting " + type + " needs a scope such "
                            + "as system/" + type + ".rs, which this token does not have.");
                }
                continue;
            }
            if (problem != null) {
                if (!lenient) {
                    throw new InvalidRequestException(problem);
                }
                continue;
            }
            types.add(type);
        }
        return List.copyOf(types);
    }

    /**
     * Whether a system scope of the token reads {@code type}, as the authorization rules have it
     * ({@link ResourcePlacement}): any placed type through a scope naming it, every placed type but the records by
     * reference (Binary, Task) through a wildcard scope, nothing of a type the rules do not place.
     */
    private boolean readable(EffectiveAccess access, String type) {
        Optional<ResourcePlacement> placement = ResourcePlacement.of(fhirContext, type);
        if (placement.isEmpty()) {
            return false;
        }
        // Binary and Task are read through scopes naming them only
        boolean wildcardReads = placement.get() != ResourcePlacement.PATIENT_RECORD_BY_REFERENCE;
        return access.grants().stream()
                .filter(grant -> grant.scope().context() == ScopeContext.SYSTEM)
                .filter(grant -> grant.scope().permits(ScopeContext.SYSTEM, type, Interaction.READ))
                .anyMatch(grant -> wildcardReads || !grant.scope().isWildcard());
    }

    /** A type whose resources are patients' records: exported through the patients they belong to. */
    static boolean patientRecord(FhirContext fhirContext, String type) {
        return ResourcePlacement.of(fhirContext, type)
                .filter(placement -> placement == ResourcePlacement.PATIENT_COMPARTMENT
                        || placement == ResourcePlacement.PATIENT_RECORD_BY_REFERENCE)
                .isPresent();
    }

    private List<String> typeFilters(List<String> filters, List<String> types, boolean lenient) {
        List<String> accepted = new ArrayList<>();
        for (String filter : filters) {
            var match = TYPE_FILTER.matcher(filter);
            if (!match.matches()) {
                throw new InvalidRequestException("_typeFilter '" + filter + "' is not of the form "
                        + "[ResourceType]?[search parameters], e.g. Observation?category=laboratory.");
            }
            if (!types.contains(match.group(1))) {
                if (!lenient) {
                    throw new InvalidRequestException("_typeFilter '" + filter + "' is for " + match.group(1)
                            + ", which this export does not contain (_type: " + types + ").");
                }
                continue;
            }
            InMemoryMatchResult supported;
            try {
                supported = matcher.canBeEvaluatedInMemory(filter);
            } catch (RuntimeException e) {
                throw new InvalidRequestException("_typeFilter '" + filter + "' cannot be read: " + e.getMessage());
            }
            if (!supported.supported()) {
                if (!lenient) {
                    throw new InvalidRequestException(
                            "_typeFilter '" + filter + "' is not supported: " + supported.getUnsupportedReason() + ".");
                }
                continue;
            }
            accepted.add(filter);
        }
        return accepted;
    }

    private List<String> elements(List<String> values) {
        List<String> elements = new ArrayList<>();
        for (String value : values) {
            if (!ELEMENT.matcher(value).matches()) {
                throw new InvalidRequestException("_elements '" + value + "' is not an element name ('name') or a "
                        + "type and element ('Patient.name').");
            }
            if (value.contains(".")) {
                String type = value.substring(0, value.indexOf('.'));
                if (fhirContext.getResourceTypes().stream().noneMatch(type::equals)) {
                    throw new InvalidRequestException(
                            "_elements '" + value + "': " + type + " is not a FHIR R4 " + "resource type.");
                }
            }
            elements.add(value);
        }
        return elements;
    }

    private static List<String> patients(
            Map<String, List<String>> parameters, ExportLevel level, RequestDetails request) {
        List<String> references = parameters.getOrDefault("patient", List.of());
        if (references.isEmpty()) {
            return List.of();
        }
        if (level == ExportLevel.SYSTEM) {
            throw new InvalidRequestException("The patient parameter is for Patient/$export and Group/[id]/$export, "
                    + "not for a system-level export.");
        }
        if (!"POST".equals(request.getRequestType().name())) {
            throw new InvalidRequestException("The patient parameter is sent in a POST Parameters body, as "
                    + "valueReference (Bulk Data Access IG, 'Query Parameters').");
        }
        List<String> ids = new ArrayList<>();
        for (String reference : references) {
            String[] parts = reference.split("/");
            if (parts.length != 2 || !"Patient".equals(parts[0]) || parts[1].isBlank()) {
                throw new InvalidRequestException(
                        "patient '" + reference + "' is not a reference of the form " + "Patient/[id].");
            }
            ids.add(parts[1]);
        }
        return ids;
    }

    private Map<String, List<String>> parameters(RequestDetails request) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        request.getParameters().forEach((name, values) -> {
            for (String value : values) {
                add(parameters, name, value);
            }
        });
        if (!"POST".equals(request.getRequestType().name())) {
            return parameters;
        }
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            return parameters;
        }
        Parameters resource;
        try {
            String text = new String(body, StandardCharsets.UTF_8);
            resource = text.stripLeading().startsWith("<")
                    ? fhirContext.newXmlParser().parseResource(Parameters.class, text)
                    : fhirContext.newJsonParser().parseResource(Parameters.class, text);
        } catch (RuntimeException e) {
            throw new InvalidRequestException(
                    "The kick-off body must be a FHIR Parameters resource: " + e.getMessage());
        }
        for (Parameters.ParametersParameterComponent parameter : resource.getParameter()) {
            if (parameter.getValue() instanceof Reference reference) {
                add(parameters, parameter.getName(), reference.getReference());
            } else if (parameter.getValue() != null && parameter.getValue().isPrimitive()) {
                add(parameters, parameter.getName(), parameter.getValue().primitiveValue());
            } else {
                throw new InvalidRequestException("Parameter '" + parameter.getName() + "' has no value of a "
                        + "primitive type or valueReference.");
            }
        }
        return parameters;
    }

    private static void add(Map<String, List<String>> parameters, String name, String value) {
        List<String> values = parameters.computeIfAbsent(name, key -> new ArrayList<>());
        if (Set.of("_type", "_elements").contains(name)) {
            Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(part -> !part.isEmpty())
                    .forEach(values::add);
        } else {
            values.add(value);
        }
    }

    private static List<String> values(Map<String, List<String>> parameters, String name) {
        return parameters.getOrDefault(name, List.of());
    }

    private static Optional<String> single(Map<String, List<String>> parameters, String name) {
        List<String> values = values(parameters, name);
        if (values.size() > 1) {
            throw new InvalidRequestException(name + " may be given once, not " + values.size() + " times.");
        }
        return values.stream().findFirst();
    }

    private static Instant instant(String value) {
        try {
            InstantType instant = new InstantType(value);
            if (instant.getValue() == null) {
                throw new IllegalArgumentException("empty");
            }
            return instant.getValue().toInstant();
        } catch (RuntimeException e) {
            throw new InvalidRequestException("_since '" + value + "' is not a FHIR instant (e.g. "
                    + "2026-01-31T12:00:00Z, with seconds and a time zone).");
        }
    }

    private static Set<String> preferences(RequestDetails request) {
        Set<String> preferences = new LinkedHashSet<>();
        List<String> headers = request.getHeaders("Prefer");
        for (String header : headers == null ? List.<String>of() : headers) {
            Arrays.stream(header.split(","))
                    .map(part -> part.trim().toLowerCase(Locale.ROOT).replace(" ", ""))
                    .forEach(preferences::add);
        }
        return preferences;
    }

    static Collection<String> servedExportTypes(Collection<String> registered) {
        return registered.stream().filter(type -> !"AuditEvent".equals(type)).toList();
    }
}
