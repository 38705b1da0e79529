package org.caregate.server.web;

import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's own error report (a request line or headers it cannot parse or that exceed its limits, an encoded slash,
 * a request no servlet ever saw) in the format of the path it was meant for ({@link ContainerErrors}) instead of
 * Tomcat's HTML page. Without a path to go by, or for the portal and pages, it leaves the report to Spring Boot's
 * error report valve (no server information, no stack trace). A request line too long or malformed to be read has
 * no path at all; it gets a plain-text reason.
 */
final class FhirAwareErrorReportValve extends ErrorReportValve {

    private final ContainerErrors errors;

    FhirAwareErrorReportValve(ContainerErrors errors) {
        this.errors = errors;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        String path = path(request);
        ContainerErrors.Body body = errors.body(path, status, null);
        if (path != null && !path.isEmpty() && body.contentType().startsWith("text/plain")) {
            super.report(request, response, throwable); // the portal and pages: Spring Boot's report
            return;
        }
        // a request line Tomcat could not read has no path: plain text that says why, rather than an HTML page
        if (!response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType(body.contentType());
            response.setContentLength(body.bytes().length);
            response.getOutputStream().write(body.bytes());
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body; nothing more to tell it
        }
    }

    private static String path(Request request) {
        try {
            String uri = request.getCoyoteRequest().requestURI().toString();
            return uri == null ? null : uri;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
