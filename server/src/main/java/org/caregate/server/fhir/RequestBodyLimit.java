package org.caregate.server.fhir;

import jakarta.servlet.http.HttpServletRequest;

/** How many bytes of body a FHIR request may send (after decoding its Content-Encoding). */
@FunctionalInterface
public interface RequestBodyLimit {

    long bytesFor(HttpServletRequest request);
}
