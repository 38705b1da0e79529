package org.caregate.server.fhir.input;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.util.DateUtils;
import ca.uhn.fhir.util.UrlUtil;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Checks what a FHIR request brings before anything acts on it: its query parameters ({@link QueryCheck}), the
 * conditional headers HAPI would fail on with a 500 ({@code If-Match}, {@code If-Modified-Since},
 * {@code If-None-Exist}), its body ({@link BodyCheck}), and the URL and headers of every batch or transaction entry.
 * Runs right after the bearer token is checked (a request without a valid token still gets its 401), before scopes,
 * search narrowing and the access rules.
 */
@Interceptor
final class RequestInputInterceptor {

    /** After {@code BearerTokenInterceptor} (-1000) and the audit trail's capture (-999, -998). */
    static final int ORDER = -995;

    private static final Pattern VERSION_ETAG = Pattern.compile("(W/)?\"[0-9]{1,18}\"");

    private final QueryCheck queries;
    private final BodyCheck bodies;

    RequestInputInterceptor(FhirContext fhirContext, InputLimits limits) {
        this.queries = new QueryCheck(limits);
        this.bodies = new BodyCheck(fhirContext, limits);
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = ORDER)
    public boolean checkRequest(RequestDetails request) {
        queries.check(request.getParameters(), "This request");
        checkIfMatch(request.getHeader("If-Match"), "This request");
        checkIfModifiedSince(request.getHeader("If-Modified-Since"));
        checkIfNoneExist(request.getHeader("If-None-Exist"), "This request");
        RequestTypeEnum method = request.getRequestType();
        if (method == RequestTypeEnum.POST || method == RequestTypeEnum.PUT || method == RequestTypeEnum.PATCH) {
            String contentType = request.getHeader("Content-Type");
            if (BodyCheck.kind(contentType) != BodyCheck.Kind.OTHER) {
                byte[] body = request.loadRequestContents();
                if (body != null && body.length > 0 && bodies.check(body, contentType) instanceof Bundle bundle) {
                    checkEntries(bundle);
                }
            }
        }
        return true;
    }

    /**
     * The entries of a transaction, and each entry of a batch (HAPI hands every batch entry over again as a
     * one-entry bundle, so a bad batch entry fails alone, with its own 400, as the batch rules want). Called for the
     * request's body, before anything reads its entries, and by HAPI for each batch entry.
     */
    @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSING)
    public void checkEntries(IBaseBundle bundle) {
        if (!(bundle instanceof Bundle entries)) {
            return;
        }
        List<Bundle.BundleEntryComponent> list = entries.getEntry();
        if (entries.getType() == Bundle.BundleType.BATCH) {
            // every entry's URL is decoded before any entry runs; one that cannot be decoded fails the whole batch
            for (int i = 0; i < list.size(); i++) {
                String url = list.get(i).getRequest().getUrl();
                if (url != null && url.indexOf('?') >= 0) {
                    parse(url.substring(url.indexOf('?') + 1), "Entry " + (i + 1) + ": the request URL");
                }
            }
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            Bundle.BundleEntryRequestComponent request = list.get(i).getRequest();
            String where = list.size() == 1 ? "The entry" : "Entry " + (i + 1);
            String url = request.getUrl();
            if (url != null) {
                String problem = TextCheck.problem(url);
                if (problem != null) {
                    throw InputProblem.invalid(where + ": the request URL " + problem + ".");
                }
                int query = url.indexOf('?');
                if (query >= 0) {
                    queries.check(parse(url.substring(query + 1), where + ": the request URL"), where);
                }
            }
            // Bundle.entry.request.ifModifiedSince is an instant, which the parser has checked already
            checkIfMatch(request.getIfMatch(), where);
            checkIfNoneExist(request.getIfNoneExist(), where);
        }
    }

    private static void checkIfMatch(String ifMatch, String where) {
        if (ifMatch != null && !VERSION_ETAG.matcher(ifMatch.trim()).matches()) {
            throw InputProblem.invalid(where + ": If-Match must name a version of the resource as its ETag shows it,"
                    + " e.g. W/\"3\", not '" + QueryCheck.printable(ifMatch) + "'.");
        }
    }

    private static void checkIfModifiedSince(String ifModifiedSince) {
        if (ifModifiedSince != null && DateUtils.parseDate(ifModifiedSince) == null) {
            throw InputProblem.invalid("If-Modified-Since must be an HTTP date such as 'Thu, 03 Dec 2026 06:49:47 GMT'"
                    + " (RFC 9110 section 5.6.7), not '" + QueryCheck.printable(ifModifiedSince) + "'.");
        }
    }

    private void checkIfNoneExist(String ifNoneExist, String where) {
        if (ifNoneExist != null) {
            String query =
                    ifNoneExist.contains("?") ? ifNoneExist.substring(ifNoneExist.indexOf('?') + 1) : ifNoneExist;
            queries.check(parse(query, where + ": If-None-Exist"), where + ": If-None-Exist");
        }
    }

    /** A query string decoded as HAPI decodes it, or a 400 where HAPI's decoder would throw. */
    static Map<String, String[]> parse(String query, String where) {
        try {
            return UrlUtil.parseQueryString(query);
        } catch (IllegalArgumentException e) {
            throw InputProblem.invalid(where + " has a malformed percent-encoding: '%' must be followed by two"
                    + " hexadecimal digits (write a literal '%' as %25).");
        }
    }
}
