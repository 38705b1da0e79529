package org.caregate.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.QualifiedParamList;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.UrlUtil;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.caregate.server.security.release.ReleaseHoldSearchNarrowing;
import org.caregate.smart.scope.Interaction;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/**
 * Narrows every search on a Patient-compartment type to the permitted patients inside the query itself, so that
 * paging and {@code total} only ever count what the caller may see (filtering afterwards would leak through both).
 *
 * <p>A search that names only patients the caller may not see ({@code Observation?patient=<not permitted>}), or a
 * caller who may see nobody, gets an empty result rather than a refusal: searches return what is permitted. The
 * query is then narrowed to {@link #NO_PATIENT}, a compartment nobody is in (HAPI's own narrowing would answer 403
 * with a message of its own).
 */
public final class PatientSearchNarrowingInterceptor extends SearchNarrowingInterceptor {

    /** The id of a Patient compartment nobody is in; read rules allow it, so that a search for it finds nothing. */
    public static final String NO_PATIENT = "caregate-no-permitted-patient";

    /** Set on a request whose searches this class narrowed by a panel list, which HAPI's narrowing must not undo. */
    private static final String NARROWED_BY_PANEL = PatientSearchNarrowingInterceptor.class.getName() + ".panel";

    private final PatientPanels panels;

    public PatientSearchNarrowingInterceptor(PatientPanels panels) {
        this.panels = panels;
        // conditional create, update and delete URLs are searches too: narrowed, they cannot match other patients'
        setNarrowConditionalUrls(true);
    }

    @Override
    protected AuthorizedList buildAuthorizedList(RequestDetails request) {
        EffectiveAccess access = EffectiveAccess.find(request).orElse(null);
        if (access == null
                || access.isEhrFeed()
                || SiteAdministratorAuditTrail.appliesTo(access, request.getResourceName())
                || request.getUserData().containsKey(NARROWED_BY_PANEL)) {
            return null; // the EHR feed's scopes reach every record (EhrFeedRules)
        }
        Set<String> patients = searchable(access, request.getResourceName());
        return new AuthorizedList()
                .addCompartments(Stream.concat(patients.stream(), Stream.of(NO_PATIENT))
                        .map(id -> "Patient/" + id)
                        .toArray(String[]::new));
    }

    @Override
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void hookIncomingRequestPostProcessed(
            RequestDetails request, HttpServletRequest servletRequest, HttpServletResponse servletResponse) {
        EffectiveAccess access = EffectiveAccess.find(request).orElse(null);
        if (access != null
                && !access.isEhrFeed()
                && request.getRestOperationType() == RestOperationTypeEnum.SEARCH_TYPE
                && !SiteAdministratorAuditTrail.appliesTo(access, request.getResourceName())) {
            request.setParameters(narrowed(request, access, request.getResourceName(), request.getParameters()));
        }
        super.hookIncomingRequestPostProcessed(request, servletRequest, servletResponse);
    }

    /**
     * HAPI's {@code $everything} counts its {@code total} with a query that is not the one it pages through (HAPI
     * 8.8: {@code Patient/x/$everything?_count=3} said 1115, the number of resources on the server, while 22 were
     * there to page through), so that total, repeated on every {@code _getpages} page, is left out. Clients page
     * by the {@code next} links; a search's own total is on its first page.
     */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void withoutUnnarrowedTotal(RequestDetails request, IBaseResource response) {
        if (response instanceof Bundle bundle
                && ("$everything".equals(request.getOperation())
                        || request.getRestOperationType() == RestOperationTypeEnum.GET_PAGE)) {
            bundle.setTotalElement(null);
        }
    }

    /**
     * {@code $everything} gathers every resource in the patient's compartment, also those that are in another
     * patient's compartment too (the AuditEvent of this patient's own refused attempt at someone else's record, a
     * family Coverage whose beneficiary is a teenager): those are left out of it and of its pages, instead of the
     * authorization rules refusing the whole record. Neither carries a total (above), so nothing counts them.
     */
    @Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = -500)
    public void withoutOtherPatientsResources(RequestDetails request, IPreResourceShowDetails details) {
        EffectiveAccess access = EffectiveAccess.find(request).orElse(null);
        if (access == null
                || !("$everything".equals(request.getOperation())
                        || request.getRestOperationType() == RestOperationTypeEnum.GET_PAGE)) {
            return;
        }
        for (int i = 0; i < details.size(); i++) {
            IBaseResource resource = details.getResource(i);
            if (resource != null
                    && !access.patientsFor(resource.fhirType(), Interaction.READ)
                            .containsAll(PatientOwners.of(request, resource))) {
                details.setResource(i, null);
            }
        }
    }

    /**
     * Batch and transaction entries: HAPI narrows {@code GET} entries by rewriting their URL into a search, which
     * turns a read ({@code GET Patient/x}) into a search of every permitted patient and answers it with their
     * Bundle. Reads are left as they are (the authorization rules check them as reads), and searches are narrowed
     * as above.
     */
    @Override
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void hookIncomingRequestPreHandled(
            ServletRequestDetails request, HttpServletRequest servletRequest, HttpServletResponse servletResponse) {
        EffectiveAccess access = EffectiveAccess.find(request).orElse(null);
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (access == null
                || access.isEhrFeed()
                || !(request.getResource() instanceof Bundle bundle)
                || (operation != RestOperationTypeEnum.TRANSACTION && operation != RestOperationTypeEnum.BATCH)) {
            super.hookIncomingRequestPreHandled(request, servletRequest, servletResponse);
            return;
        }
        Map<Bundle.BundleEntryRequestComponent, String> reads = new IdentityHashMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryRequestComponent entryRequest = entry.getRequest();
            if (entryRequest.getMethod() != Bundle.HTTPVerb.GET || !entryRequest.hasUrl()) {
                continue;
            }
            if (entryRequest.getUrl().contains("_getpages=")) {
                throw new InvalidRequestException("A batch or transaction entry cannot fetch a page of another search "
                        + "(" + entryRequest.getUrl() + "): follow the page's own 'next' link instead.");
            }
            UrlUtil.UrlParts url = UrlUtil.parseUrl(entryRequest.getUrl());
            boolean search = url.getResourceId() == null
                    && url.getResourceType() != null
                    && request.getFhirContext().getResourceTypes().contains(url.getResourceType());
            if (!search) { // a read, vread, history or operation
                reads.put(entryRequest, entryRequest.getUrl());
                entryRequest.setUrl(null); // HAPI's narrowing skips entries without a URL
                continue;
            }
            // exactly the checks of the same search sent alone: patients, granular scopes, release hold
            String type = url.getResourceType();
            Map<String, String[]> narrowed = narrowed(
                    request,
                    access,
                    type,
                    url.getParams() == null ? Map.of() : UrlUtil.parseQueryString(url.getParams()));
            narrowed =
                    GranularScopeInterceptor.narrowed(access.context().token().scopes(), type, narrowed);
            narrowed = ReleaseHoldSearchNarrowing.narrowed(request, type, narrowed);
            entryRequest.setUrl(type + "?" + queryString(narrowed));
        }
        try {
            super.hookIncomingRequestPreHandled(request, servletRequest, servletResponse);
        } finally {
            reads.forEach(Bundle.BundleEntryRequestComponent::setUrl);
        }
    }

    private static String queryString(Map<String, String[]> parameters) {
        List<String> pairs = new ArrayList<>();
        parameters.forEach((name, values) -> {
            for (String value : values) {
                pairs.add(UrlUtil.escapeUrlParam(name) + "=" + UrlUtil.escapeUrlParam(value));
            }
        });
        return String.join("&", pairs);
    }

    /** The patients a search of this type may find (any type: every patient some scope reaches). */
    private static Set<String> searchable(EffectiveAccess access, String resourceType) {
        return resourceType == null ? access.reachablePatients() : access.patientsFor(resourceType, Interaction.SEARCH);
    }

    /**
     * A search of {@code resourceType} narrowed to the patients it may find: its own compartment parameters keep
     * only those patients ({@link #withoutOtherPatients}); a compartment parameter that the request only names with
     * a modifier or a chain ({@code _id:not=x}, {@code subject:missing=true}, {@code subject.name=y}), which HAPI's
     * narrowing takes as already narrowed, gets the plain parameter with those patients beside it; and a reverse
     * chain ({@code _has}) through another type's patient records may only name patients the caller may find.
     */
    Map<String, String[]> narrowed(
            RequestDetails request, EffectiveAccess access, String resourceType, Map<String, String[]> query) {
        FhirContext fhirContext = request.getFhirContext();
        Set<String> permitted = searchable(access, resourceType);
        Map<String, String[]> parameters = withoutOtherPatients(fhirContext, resourceType, query, permitted);
        List<String> names = compartmentParameters(fhirContext, resourceType);
        if (!names.isEmpty() && names.stream().noneMatch(parameters::containsKey)) {
            boolean qualified = parameters.keySet().stream().anyMatch(key -> names.contains(baseName(key)));
            String panelParameter = panelParameter(fhirContext, resourceType);
            Optional<String> panel = panelParameter == null ? Optional.empty() : panels.listOf(permitted);
            if (panel.isPresent()) {
                // a large panel: join its list in SQL instead of listing every patient
                String[] existing = parameters.getOrDefault(panelParameter, new String[0]);
                String[] values = Arrays.copyOf(existing, existing.length + 1);
                values[existing.length] = panel.get();
                parameters.put(panelParameter, values);
                request.getUserData().put(NARROWED_BY_PANEL, Boolean.TRUE);
            } else if (qualified) {
                String plain = names.contains("patient") ? "patient" : names.get(0);
                List<String> ids = permitted.isEmpty() ? List.of(NO_PATIENT) : List.copyOf(permitted);
                parameters.put(plain, new String[] {
                    String.join(
                            ",",
                            "_id".equals(plain)
                                    ? ids
                                    : ids.stream().map(id -> "Patient/" + id).toList())
                });
            }
        }
        return withoutOtherPatientsInHas(fhirContext, access, resourceType, parameters);
    }

    /**
     * The parameter that narrows a search of this type to the members of a panel: {@code _has:Group:member:_id}
     * for Patient, else a chain through the type's compartment parameter that refers to patients only
     * ({@code patient:Patient._has:Group:member:_id}); {@code null} if the type has none (it is then narrowed by ids).
     * The chain names its type: without {@code :Patient} HAPI also joins the panel's links to member Groups in an
     * {@code OR} across two joins of {@code HFJ_RES_LINK}, which PostgreSQL can only answer by pairing every link of
     * every target (10,008 links of one general practitioner: ~10^8 pairs, 26-46 s for a 10,000-patient panel; with
     * the type, one indexed join, 60 ms).
     */
    private static String panelParameter(FhirContext fhirContext, String resourceType) {
        if ("Patient".equals(resourceType)) {
            return "_has:Group:member:_id";
        }
        if ("AuditEvent".equals(resourceType)) {
            return null; // served by CareGate's audit store, which narrows to the reader's patients itself
        }
        List<RuntimeSearchParam> parameters =
                fhirContext.getResourceDefinition(resourceType).getSearchParamsForCompartmentName("Patient");
        return parameters.stream()
                .filter(parameter -> parameter.getName().equals("patient")
                        || parameter.getTargets().equals(Set.of("Patient")))
                .sorted(Comparator.comparing(parameter -> !parameter.getName().equals("patient")))
                .map(parameter -> parameter.getName() + ":Patient._has:Group:member:_id")
                .findFirst()
                .orElse(null);
    }

    private static String baseName(String parameter) {
        int end = parameter.length();
        int colon = parameter.indexOf(':');
        int dot = parameter.indexOf('.');
        if (colon >= 0) {
            end = colon;
        }
        if (dot >= 0 && dot < end) {
            end = dot;
        }
        return parameter.substring(0, end);
    }

    private static List<String> compartmentParameters(FhirContext fhirContext, String resourceType) {
        if (resourceType == null || !fhirContext.getResourceTypes().contains(resourceType)) {
            return List.of();
        }
        // AuditEvent: only 'patient' names the patients an event is about (agent and entity also name practitioners,
        // organisations, records); the audit provider restricts every search to the reader's patients itself
        return "Patient".equals(resourceType)
                ? List.of("_id")
                : "AuditEvent".equals(resourceType)
                        ? List.of("patient")
                        : fhirContext
                                .getResourceDefinition(resourceType)
                                .getSearchParamsForCompartmentName("Patient")
                                .stream()
                                .map(RuntimeSearchParam::getName)
                                .toList();
    }

    /**
     * {@code _has:<Type>:<reference>:<parameter>=<value>} finds resources that records of {@code Type} point to; when
     * those are patient records ({@code Medication?_has:MedicationRequest:medication:subject=Patient/x}), it tells
     * what they hold. Such a filter must name the patients by one of Type's compartment parameters, and keeps only
     * the patients the caller may find (else {@link #NO_PATIENT}); any other filter through patient records is
     * refused. A Patient search needs none of this: the patients it finds are narrowed already.
     */
    private static Map<String, String[]> withoutOtherPatientsInHas(
            FhirContext fhirContext, EffectiveAccess access, String resourceType, Map<String, String[]> query) {
        if ("Patient".equals(resourceType)) {
            return query;
        }
        Map<String, String[]> parameters = new LinkedHashMap<>(query);
        for (Map.Entry<String, String[]> entry : query.entrySet()) {
            if (!entry.getKey().startsWith("_has:")) {
                continue;
            }
            String[] parts = entry.getKey().split(":");
            if (parts.length < 4) {
                continue; // malformed: HAPI answers 400
            }
            String innerType = parts[1];
            List<String> innerNames = compartmentParameters(fhirContext, innerType);
            if (innerNames.isEmpty() || "Patient".equals(innerType)) {
                continue; // not patient records
            }
            if (parts.length != 4 || !innerNames.contains(parts[3])) {
                throw new ForbiddenOperationException("'" + entry.getKey() + "' filters " + resourceType
                        + " by " + innerType + " records of any patient; name the patients with one of "
                        + innerNames + " instead (rule 'reverse chain through patient records').");
            }
            Set<String> permitted = access.patientsFor(innerType, Interaction.SEARCH);
            Map<String, String[]> inner =
                    withoutOtherPatients(fhirContext, innerType, Map.of(parts[3], entry.getValue()), permitted);
            parameters.put(entry.getKey(), inner.get(parts[3]));
        }
        return parameters;
    }

    /**
     * The search's own Patient-compartment parameters ({@code _id} of a Patient search, {@code patient},
     * {@code subject}, ...) with only the permitted patients left in them, or {@link #NO_PATIENT} where none is.
     */
    private static Map<String, String[]> withoutOtherPatients(
            FhirContext fhirContext, String resourceType, Map<String, String[]> query, Set<String> permitted) {
        List<String> names = compartmentParameters(fhirContext, resourceType);
        Map<String, String[]> parameters = new LinkedHashMap<>(query);
        for (String name : names) {
            String[] values = parameters.get(name);
            if (values == null) {
                continue;
            }
            String[] kept = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                List<String> ids = new ArrayList<>();
                for (String value : QualifiedParamList.splitQueryStringByCommasIgnoreEscape(null, values[i])) {
                    String id = new IdType(value).getIdPart();
                    if (id != null && permitted.contains(id)) {
                        ids.add(id);
                    }
                }
                if (ids.isEmpty()) {
                    ids.add(NO_PATIENT);
                }
                kept[i] = String.join(
                        ",",
                        "_id".equals(name)
                                ? ids
                                : ids.stream().map(id -> "Patient/" + id).toList());
            }
            parameters.put(name, kept);
        }
        return parameters;
    }
}
