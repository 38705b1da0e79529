package org.caregate.server.leak;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

/**
 * Looks at one response the way an attacker would: every resource in it (the body itself, bundle entries and their
 * outcomes, contained resources, Parameters parts), the Patient compartments each belongs to, and the raw text for
 * a forbidden patient's id, medical record number or name. Patient-compartment membership is taken as widely as
 * possible: a resource belongs to every patient it references anywhere (a superset of the FHIR
 * CompartmentDefinition), and a Patient to itself.
 */
final class LeakInspector {

    /**
     * What may be seen.
     *
     * @param allowed patients whose compartments the persona may see now
     * @param held ids of results held back from the persona (release hold), e.g. {@code Observation/x}
     * @param forbiddenText per forbidden patient id, the strings that identify them (id, MRN, name)
     */
    record Expectation(Set<String> allowed, Set<String> held, Map<String, List<String>> forbiddenText) {}

    private final FhirContext fhirContext;

    LeakInspector(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /** Findings (empty: nothing leaked) for one exchange. */
    List<String> inspect(FhirExchange exchange, Expectation expectation) {
        List<String> findings = new ArrayList<>();
        if (exchange.status() >= 500) {
            findings.add("server error " + exchange.status() + ": " + abbreviate(exchange.body()));
        }
        IBaseResource body = parse(exchange);
        if (body != null) {
            for (IBaseResource resource : allResources(body)) {
                inspectResource(resource, expectation, findings);
            }
            if (body instanceof Bundle bundle && !exchange.url().contains("_summary=count")) {
                inspectTotal(bundle, findings);
            }
        }
        // AuditEvents are checked like everything else, their queries (base64 in the JSON) decoded
        String visibleText = (body instanceof Bundle bundle ? textWithoutLinks(bundle) : exchange.body())
                + (body == null ? "" : auditQueries(body));
        String request = exchange.url() + " " + exchange.requestBody();
        expectation.forbiddenText().forEach((patient, texts) -> {
            for (String text : texts) {
                if (!request.contains(text)
                        && Pattern.compile("\\b" + Pattern.quote(text) + "\\b")
                                .matcher(visibleText)
                                .find()) {
                    findings.add("text of forbidden patient " + patient + " in the body: '" + text + "'");
                }
            }
        });
        return findings;
    }

    private void inspectResource(IBaseResource resource, Expectation expectation, List<String> findings) {
        String id = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        if (expectation.held().contains(id)) {
            findings.add("held result " + id + " shown");
        }
        for (String owner : owners(resource)) {
            if (!expectation.allowed().contains(owner)) {
                findings.add(id + " is in the compartment of forbidden patient " + owner);
            }
        }
    }

    /** A searchset complete on one page must count exactly what it shows. */
    private static void inspectTotal(Bundle bundle, List<String> findings) {
        if (bundle.getType() != Bundle.BundleType.SEARCHSET
                || !bundle.hasTotal()
                || bundle.getLink(Bundle.LINK_NEXT) != null
                || bundle.getLink(Bundle.LINK_PREV) != null
                || bundle.getLink("previous") != null) {
            return;
        }
        long matches = bundle.getEntry().stream()
                .filter(entry -> !entry.hasSearch()
                        || entry.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE
                                && entry.getSearch().getMode() != Bundle.SearchEntryMode.OUTCOME)
                .count();
        if (bundle.getTotal() != matches) {
            findings.add("total " + bundle.getTotal() + " but " + matches + " matches shown");
        }
    }

    /** The bare ids of the patients whose compartment the resource is in (as widely as possible). */
    Set<String> owners(IBaseResource resource) {
        Set<String> owners = new java.util.TreeSet<>();
        if ("Patient".equals(resource.fhirType()) && resource.getIdElement().hasIdPart()) {
            owners.add(resource.getIdElement().getIdPart());
        }
        for (IBaseReference reference :
                fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, IBaseReference.class)) {
            IIdType target = reference.getReferenceElement();
            if (target != null && "Patient".equals(target.getResourceType()) && target.hasIdPart()) {
                owners.add(target.getIdPart());
            }
        }
        return owners;
    }

    /** Every resource in the body: itself, bundle entries and outcomes, contained, Parameters, recursively. */
    static List<IBaseResource> allResources(IBaseResource body) {
        List<IBaseResource> all = new ArrayList<>();
        collect(body, all, new IdentityHashMap<>());
        return all;
    }

    private static void collect(IBaseResource resource, List<IBaseResource> all, Map<Object, Boolean> seen) {
        if (resource == null || seen.put(resource, Boolean.TRUE) != null) {
            return;
        }
        if (resource instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                collect(entry.getResource(), all, seen);
                collect(entry.getResponse().getOutcome(), all, seen);
            }
            return;
        }
        if (resource instanceof Parameters parameters) {
            collectParameters(parameters.getParameter(), all, seen);
            return;
        }
        all.add(resource);
        if (resource instanceof DomainResource domain) {
            for (Resource contained : domain.getContained()) {
                collect(contained, all, seen);
            }
        }
    }

    private static void collectParameters(
            List<Parameters.ParametersParameterComponent> parameters,
            List<IBaseResource> all,
            Map<Object, Boolean> seen) {
        for (Parameters.ParametersParameterComponent parameter : parameters) {
            collect(parameter.getResource(), all, seen);
            collectParameters(parameter.getPart(), all, seen);
        }
    }

    private IBaseResource parse(FhirExchange exchange) {
        String body = exchange.body();
        if (body == null || body.isBlank()) {
            return null;
        }
        String trimmed = body.trim();
        IParser parser;
        if (trimmed.startsWith("{")) {
            parser = fhirContext.newJsonParser();
        } else if (trimmed.startsWith("<")
                && !trimmed.regionMatches(true, 0, "<html", 0, 5)
                && !trimmed.regionMatches(true, 0, "<!doctype", 0, 9)) {
            parser = fhirContext.newXmlParser();
        } else {
            return null;
        }
        parser.setParserErrorHandler(new LenientErrorHandler(false));
        try {
            return parser.parseResource(trimmed);
        } catch (RuntimeException notFhir) {
            return null; // e.g. GraphQL's own JSON: only the text check applies
        }
    }

    /** The body as JSON without {@code Bundle.link} (which echoes the caller's own query). */
    private String textWithoutLinks(Bundle bundle) {
        Bundle copy = bundle.copy();
        copy.setLink(List.of());
        copy.getEntry().forEach(entry -> entry.setLink(List.of()));
        return fhirContext.newJsonParser().encodeResourceToString(copy);
    }

    /** The query texts of every AuditEvent in the body, decoded (an AuditEvent carries them base64-encoded). */
    private static String auditQueries(IBaseResource body) {
        StringBuilder queries = new StringBuilder();
        for (IBaseResource resource : allResources(body)) {
            if (resource instanceof AuditEvent event) {
                event.getEntity().stream()
                        .filter(AuditEvent.AuditEventEntityComponent::hasQuery)
                        .forEach(entity -> queries.append(' ')
                                .append(new String(entity.getQuery(), java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return queries.toString();
    }

    static String abbreviate(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
