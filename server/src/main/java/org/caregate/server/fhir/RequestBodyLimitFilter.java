package org.caregate.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a FHIR request whose body is larger than {@code caregate.fhir.max-request-body-size} (the EHR feed's
 * clients: {@code caregate.ehr-feed.max-request-body-size}, {@link RequestBodyLimit}) with
 * 413 and an OperationOutcome, before HAPI parses anything. A declared {@code Content-Length} is checked
 * up front; a chunked body is read up to the limit and refused as soon as it passes it. A compressed body
 * ({@code Content-Encoding: gzip} or {@code deflate}) is decoded here, and the limit applies to the decoded
 * body: 61 KB of gzip expand to 60 MB. Other content codings are refused with 415.
 */
final class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final RequestBodyLimit limits;
    private final FhirContext fhirContext;

    RequestBodyLimitFilter(DataSize limit, FhirContext fhirContext) {
        this(request -> limit.toBytes(), fhirContext);
    }

    RequestBodyLimitFilter(RequestBodyLimit limits, FhirContext fhirContext) {
        this.limits = limits;
        this.fhirContext = fhirContext;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared <= 0 && request.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(request, response); // no body
            return;
        }
        long limit = limits.bytesFor(request);
        if (declared > limit) {
            refuse(response, limit);
            return;
        }
        String coding = request.getHeader("Content-Encoding");
        if (coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
            decodeThenFilter(coding.trim().toLowerCase(java.util.Locale.ROOT), limit, request, response, chain);
            return;
        }
        boolean chunked = declared < 0 && "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
        if (!chunked) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (body.length > limit) {
            refuse(response, limit);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body, false), response);
    }

    private void decodeThenFilter(
            String coding, long limit, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        byte[] decoded;
        try (InputStream compressed = request.getInputStream()) {
            InputStream in = switch (coding) {
                case "gzip", "x-gzip" -> new GZIPInputStream(compressed);
                case "deflate" -> new InflaterInputStream(compressed);
                default -> null;
            };
            if (in == null) {
                send(
                        response,
                        HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                        OperationOutcome.IssueType.NOTSUPPORTED,
                        "Content-Encoding '" + coding.replaceAll("[^\\x20-\\x7e]", "?") + "' is not supported;"
                                + " send the body as it is, or with gzip or deflate.");
                return;
            }
            decoded = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (ZipException | java.io.EOFException e) {
            send(
                    response,
                    HttpServletResponse.SC_BAD_REQUEST,
                    OperationOutcome.IssueType.STRUCTURE,
                    "The request body is not valid " + coding + " data, as its Content-Encoding says it is.");
            return;
        }
        if (decoded.length > limit) {
            refuse(response, limit);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, decoded, true), response);
    }

    private void refuse(HttpServletResponse response, long limit) throws IOException {
        send(
                response,
                HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                OperationOutcome.IssueType.TOOLONG,
                "The request body is larger than this server accepts (" + limit
                        + " bytes, after decoding its Content-Encoding). Split the data into smaller requests.");
    }

    private void send(HttpServletResponse response, int status, OperationOutcome.IssueType type, String message)
            throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(type)
                .setDiagnostics(message);
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.setHeader("Connection", "close");
        response.getOutputStream()
                .write(fhirContext
                        .newJsonParser()
                        .encodeResourceToString(outcome)
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;
        private final boolean decoded;

        /** @param decoded the body was decoded from its Content-Encoding, which the request then no longer has */
        BufferedBodyRequest(HttpServletRequest request, byte[] body, boolean decoded) {
            super(request);
            this.body = body;
            this.decoded = decoded;
        }

        private boolean hidden(String name) {
            return decoded && ("Content-Encoding".equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name));
        }

        @Override
        public String getHeader(String name) {
            if ("Content-Length".equalsIgnoreCase(name) && decoded) {
                return Integer.toString(body.length);
            }
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if ("Content-Length".equalsIgnoreCase(name) && decoded) {
                return Collections.enumeration(List.of(Integer.toString(body.length)));
            }
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (Enumeration<String> all = super.getHeaderNames(); all.hasMoreElements(); ) {
                String name = all.nextElement();
                if (!decoded || !"Content-Encoding".equalsIgnoreCase(name)) {
                    names.add(name);
                }
            }
            return Collections.enumeration(names);
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return false;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("asynchronous reads are not used by the FHIR server");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
