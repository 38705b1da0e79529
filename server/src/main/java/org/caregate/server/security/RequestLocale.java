package org.caregate.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Locale;

/** The language of denials: Spanish when the caller's {@code Accept-Language} prefers it, otherwise English. */
public final class RequestLocale {

    static final Locale SPANISH = Locale.forLanguageTag("es");

    private RequestLocale() {}

    public static Locale of(RequestDetails request) {
        String header = request.getHeader("Accept-Language");
        if (header == null) {
            return Locale.ENGLISH;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                String language = range.getRange().split("-")[0];
                if (language.equals("es")) {
                    return SPANISH;
                }
                if (language.equals("en")) {
                    return Locale.ENGLISH;
                }
            }
        } catch (IllegalArgumentException malformed) {
            return Locale.ENGLISH;
        }
        return Locale.ENGLISH;
    }
}
