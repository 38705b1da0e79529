package org.caregate.consent;

import java.util.Objects;

/** Checks that ids are bare FHIR logical ids ({@code "pat-family-4"}, not {@code "Patient/pat-family-4"}). */
final class LogicalIds {

    private LogicalIds() {}

    static String require(String id, String what) {
        Objects.requireNonNull(id, what);
        if (id.isBlank() || id.indexOf('/') >= 0) {
            throw new IllegalArgumentException(
                    what + " must be a bare logical id such as \"pat-family-4\", not \"" + id + "\"");
        }
        return id;
    }
}
