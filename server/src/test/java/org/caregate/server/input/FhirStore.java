package org.caregate.server.input;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the FHIR store holds, to show that a refused request changed nothing: the number of resource versions of
 * every type but the audit trail (which records the refused requests themselves, in the background), and their
 * newest update time.
 */
record FhirStore(long versions, String newestUpdate) {

    static FhirStore of(JdbcTemplate jdbc) {
        return jdbc.queryForObject(
                "select count(*), coalesce(max(res_updated)::text, '') from hfj_res_ver"
                        + " where res_type <> 'AuditEvent'",
                (row, n) -> new FhirStore(row.getLong(1), row.getString(2)));
    }
}
