package org.caregate.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Patch;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriAndListParam;
import ca.uhn.fhir.rest.param.UriOrListParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.caregate.server.fhir.FhirProperties;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;

/**
 * The audit trail as FHIR {@code AuditEvent}, read-only, from CareGate's {@link AuditStore} (a plain HAPI resource
 * provider in place of the JPA one: AuditEvents are not stored in HAPI's tables). Reads by id and searches by
 * {@code patient} (the patients an event is about), {@code agent}, {@code entity}, {@code date}, {@code type},
 * {@code subtype}, {@code outcome}, {@code action} and {@code policy} (the access token's {@code jti}), newest first
 * ({@code _sort=-date}, the default) or oldest first ({@code _sort=date}), {@code _count}, and paging by offset.
 *
 * <p>Each reader sees only the events about the patients they may see and, for a site administrator, their
 * organisation's events ({@link AuditReaders}), and in each only what {@link AuditReaderView} leaves. That
 * restriction is part of the query, so {@code total} (and {@code _summary=count}) counts exactly the events that
 * can be paged through; the first page fixes the highest id it counted ({@value #SNAPSHOT}, carried by the paging
 * links), so events stored while a client pages do not shift its pages. An event the reader may not see is not
 * found (404), like one that does not exist.
 *
 * <p>Writes are refused before they get here ({@link ReadOnlyAuditEventInterceptor}).
 */
public final class AuditEventProvider implements IResourceProvider {

    /** The paging parameter that pins a search to the events stored when its first page was counted. */
    static final String SNAPSHOT = "_snapshot";

    private final AuditStore store;
    private final AuditReaders readers;
    private final FhirContext fhirContext;
    private final FhirProperties paging;
    private final ThreadLocal<IParser> parsers;

    AuditEventProvider(AuditStore store, AuditReaders readers, FhirContext fhirContext, FhirProperties paging) {
        this.store = store;
        this.readers = readers;
        this.fhirContext = fhirContext;
        this.paging = paging;
        this.parsers = ThreadLocal.withInitial(fhirContext::newJsonParser);
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return AuditEvent.class;
    }

    /*
     * Writes exist only to be refused: HAPI answers a method it has no binding for with a generic 400 before any
     * interceptor sees the request. ReadOnlyAuditEventInterceptor refuses them first (and inside batches).
     */

    @Create
    public MethodOutcome create(@ResourceParam AuditEvent event, RequestDetails request) {
        throw ReadOnlyAuditEventInterceptor.readOnly(request);
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam AuditEvent event, RequestDetails request) {
        throw ReadOnlyAuditEventInterceptor.readOnly(request);
    }

    @Patch
    public MethodOutcome patch(
            @IdParam IdType id, PatchTypeEnum type, @ResourceParam String body, RequestDetails request) {
        throw ReadOnlyAuditEventInterceptor.readOnly(request);
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id, RequestDetails request) {
        throw ReadOnlyAuditEventInterceptor.readOnly(request);
    }

    @Read(version = true)
    public AuditEvent read(@IdParam IdType id, RequestDetails request) {
        long number = number(id.getIdPart()).orElseThrow(() -> notFound(id));
        if (id.hasVersionIdPart() && !"1".equals(id.getVersionIdPart())) {
            throw notFound(id);
        }
        AuditReader reader = readers.of(request);
        AuditStore.StoredEvent stored =
                store.read(number).filter(event -> visible(event, reader)).orElseThrow(() -> notFound(id));
        return shown(stored, reader);
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceAndListParam patient,
            @OptionalParam(name = AuditEvent.SP_AGENT) ReferenceAndListParam agent,
            @OptionalParam(name = AuditEvent.SP_ENTITY) ReferenceAndListParam entity,
            @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
            @OptionalParam(name = AuditEvent.SP_TYPE) TokenAndListParam type,
            @OptionalParam(name = AuditEvent.SP_SUBTYPE) TokenAndListParam subtype,
            @OptionalParam(name = AuditEvent.SP_OUTCOME) TokenAndListParam outcome,
            @OptionalParam(name = AuditEvent.SP_ACTION) TokenAndListParam action,
            @OptionalParam(name = AuditEvent.SP_POLICY) UriAndListParam policy,
            @Sort SortSpec sort,
            @Count Integer count,
            @Offset Integer offset,
            RequestDetails request) {
        AuditReader reader = readers.of(request);
        long snapshot = snapshot(request);
        AuditSearch search = new AuditSearch(reader, snapshot)
                .ascending(ascending(sort))
                .patients(references(patient, "Patient", true))
                .agents(references(agent, null, false))
                .entities(references(entity, null, false))
                .types(tokens(type))
                .subtypes(tokens(subtype))
                .outcomes(codes(outcome))
                .actions(codes(action))
                .policies(uris(policy));
        if (date != null) {
            Date from = date.getLowerBoundAsInstant();
            Date to = date.getUpperBoundAsInstant();
            search.recordedFrom(from == null ? null : from.toInstant())
                    .recordedBefore(to == null ? null : to.toInstant().plusMillis(1));
        }
        int pageSize = count == null ? paging.defaultPageSize() : Math.max(0, Math.min(count, paging.maxPageSize()));
        int start = offset == null ? 0 : Math.max(0, offset);
        long total = store.count(search);
        boolean countOnly = isCountOnly(request);
        List<IBaseResource> page = new ArrayList<>();
        if (!countOnly) {
            for (AuditStore.StoredEvent stored : store.page(search, start, pageSize)) {
                page.add(shown(stored, reader));
            }
        }
        pinSnapshot(request, snapshot);
        String next = !countOnly && start + pageSize < total ? String.valueOf(start + pageSize) : null;
        String previous = start > 0 ? String.valueOf(Math.max(0, start - pageSize)) : null;
        SimpleBundleProvider result = new SimpleBundleProvider(page) {
            @Override
            public String getNextPageId() {
                return next;
            }

            @Override
            public String getPreviousPageId() {
                return previous;
            }
        };
        result.setSize((int) Math.min(Integer.MAX_VALUE, total));
        result.setCurrentPageOffset(start);
        result.setCurrentPageSize(pageSize);
        return result;
    }

    private static boolean visible(AuditStore.StoredEvent event, AuditReader reader) {
        return event.patients().stream().anyMatch(reader.patients()::contains)
                || reader.organization().isPresent()
                        && reader.organization().get().equals(event.organization());
    }

    private AuditEvent shown(AuditStore.StoredEvent stored, AuditReader reader) {
        AuditEvent event = parsers.get().parseResource(AuditEvent.class, stored.json());
        event.setId(new IdType("AuditEvent", String.valueOf(stored.id()), "1"));
        event.getMeta().setVersionId("1").setLastUpdated(Date.from(stored.recorded()));
        return AuditReaderView.shown(event, stored.patients(), reader);
    }

    /** The snapshot a paging link carries, or the highest id stored now (a first page). */
    private long snapshot(RequestDetails request) {
        String[] values = request.getParameters().get(SNAPSHOT);
        if (values != null && values.length == 1) {
            return number(values[0])
                    .orElseThrow(() -> new InvalidRequestException(
                            SNAPSHOT + " must be a non-negative number (it comes from a paging link): " + values[0]));
        }
        if (values != null) {
            throw new InvalidRequestException(SNAPSHOT + " may be given once");
        }
        return store.lastId();
    }

    /** The paging links repeat the request's parameters: with the snapshot among them, every page counts alike. */
    private static void pinSnapshot(RequestDetails request, long snapshot) {
        Map<String, String[]> parameters = new HashMap<>(request.getParameters());
        parameters.put(SNAPSHOT, new String[] {String.valueOf(snapshot)});
        request.setParameters(parameters);
    }

    private static boolean isCountOnly(RequestDetails request) {
        String[] summary = request.getParameters().get("_summary");
        return summary != null && List.of(summary).contains("count");
    }

    private static boolean ascending(SortSpec sort) {
        if (sort == null) {
            return false;
        }
        if (!AuditEvent.SP_DATE.equals(sort.getParamName()) || sort.getChain() != null) {
            throw new InvalidRequestException("AuditEvent searches sort by date only: _sort=-date (newest first, "
                    + "the default) or _sort=date");
        }
        return sort.getOrder() != SortOrderEnum.DESC;
    }

    /**
     * The values of a reference parameter as {@code Type/id} (or {@code system|value} for {@code :identifier}); with
     * {@code bareIds}, Patient ids without their type.
     */
    private static List<Set<String>> references(ReferenceAndListParam and, String defaultType, boolean bareIds) {
        List<Set<String>> result = new ArrayList<>();
        if (and == null) {
            return result;
        }
        for (ReferenceOrListParam or : and.getValuesAsQueryTokens()) {
            Set<String> values = new LinkedHashSet<>();
            for (ReferenceParam reference : or.getValuesAsQueryTokens()) {
                if (reference.hasChain()) {
                    throw new InvalidRequestException(
                            "AuditEvent searches do not support chained parameters: " + reference.getChain());
                }
                if (reference.getMissing() != null) {
                    throw new InvalidRequestException("AuditEvent searches do not support :missing");
                }
                String type = reference.getResourceType() != null ? reference.getResourceType() : defaultType;
                String id = reference.getIdPart();
                if ("identifier"
                        .equals(
                                reference.getQueryParameterQualifier() == null
                                        ? null
                                        : reference.getQueryParameterQualifier().replace(":", ""))) {
                    values.add(reference.getValue());
                } else if (type == null) {
                    throw new InvalidRequestException("Give the type of the reference, e.g. Practitioner/" + id);
                } else if (bareIds) {
                    values.add(id);
                } else {
                    values.add(type + "/" + id);
                }
            }
            result.add(values);
        }
        return result;
    }

    private static List<Set<String>> tokens(TokenAndListParam and) {
        return tokenValues(
                and,
                token -> token.getSystem() == null || token.getSystem().isEmpty()
                        ? token.getValue()
                        : token.getSystem() + "|" + token.getValue());
    }

    private static List<Set<String>> codes(TokenAndListParam and) {
        return tokenValues(and, TokenParam::getValue);
    }

    private static List<Set<String>> tokenValues(TokenAndListParam and, Function<TokenParam, String> value) {
        List<Set<String>> result = new ArrayList<>();
        if (and == null) {
            return result;
        }
        for (TokenOrListParam or : and.getValuesAsQueryTokens()) {
            Set<String> values = new LinkedHashSet<>();
            for (TokenParam token : or.getValuesAsQueryTokens()) {
                if (token.getModifier() != null) {
                    throw new InvalidRequestException("AuditEvent searches do not support :"
                            + token.getModifier().getValue());
                }
                values.add(value.apply(token));
            }
            result.add(values);
        }
        return result;
    }

    private static List<Set<String>> uris(UriAndListParam and) {
        List<Set<String>> result = new ArrayList<>();
        if (and == null) {
            return result;
        }
        for (UriOrListParam or : and.getValuesAsQueryTokens()) {
            Set<String> values = new LinkedHashSet<>();
            for (UriParam uri : or.getValuesAsQueryTokens()) {
                values.add(uri.getValue());
            }
            result.add(values);
        }
        return result;
    }

    private static java.util.Optional<Long> number(String text) {
        if (text == null
                || text.isEmpty()
                || text.length() > 18
                || !text.chars().allMatch(Character::isDigit)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Long.parseLong(text));
    }

    private static ResourceNotFoundException notFound(IdType id) {
        return new ResourceNotFoundException(new IdType("AuditEvent", id.getIdPart()));
    }
}
