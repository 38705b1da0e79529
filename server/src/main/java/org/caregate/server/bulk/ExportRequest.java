package org.caregate.server.bulk;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A kick-off request that passed every check ({@link ExportRequestParser}): what to export, with the types resolved.
 *
 * @param level system, patient or group
 * @param groupId the group's id, for a group export
 * @param types the resource types to export, in the order their files are written
 * @param since only resources changed after this instant, if given
 * @param typeFilters {@code _typeFilter} criteria ({@code Type?query}); a resource of a type with criteria is
 *     exported if it matches any of them
 * @param elements {@code _elements}: the elements to keep ({@code element} or {@code Type.element}); empty for all
 * @param outputFormat always {@code application/fhir+ndjson}
 * @param patients the {@code patient} parameter's patient ids, empty when not given
 * @param requestUrl the kick-off URL, for the manifest
 */
public record ExportRequest(
        ExportLevel level,
        Optional<String> groupId,
        List<String> types,
        Optional<Instant> since,
        List<String> typeFilters,
        List<String> elements,
        String outputFormat,
        List<String> patients,
        String requestUrl) {

    public static final String NDJSON = "application/fhir+ndjson";
}
