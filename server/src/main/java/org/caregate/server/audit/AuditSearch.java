package org.caregate.server.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One search of the audit store: what the reader may be shown, and the search parameters, each an AND of ORs as
 * FHIR defines them. Turned into one SQL condition; the values are bound, never concatenated.
 *
 * <p>Filters never reach beyond the reader: a {@code patient} (or {@code entity}, {@code agent}) value naming a
 * patient the reader may not see matches nothing, so that a count cannot tell whether someone looked at that
 * patient; an {@code entity} value naming something else only matches events about the reader's patients or about
 * no patient.
 */
final class AuditSearch {

    private final AuditReader reader;
    private final long snapshot;
    private boolean ascending;
    private boolean nothing;
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    /**
     * @param reader who is shown the result
     * @param snapshot only rows up to this id (see {@link AuditStore}): the rows the first page counted
     */
    AuditSearch(AuditReader reader, long snapshot) {
        this.reader = reader;
        this.snapshot = snapshot;
        this.nothing = reader.seesNothing();
    }

    long snapshot() {
        return snapshot;
    }

    boolean ascending() {
        return ascending;
    }

    AuditSearch ascending(boolean ascending) {
        this.ascending = ascending;
        return this;
    }

    boolean matchesNothing() {
        return nothing;
    }

    /** {@code patient}: bare patient ids, one set per AND. */
    AuditSearch patients(List<Set<String>> and) {
        for (Set<String> or : and) {
            String[] visible =
                    or.stream().filter(reader.patients()::contains).distinct().toArray(String[]::new);
            any("patients", visible);
        }
        return this;
    }

    /** {@code agent}: {@code Type/id} references or {@code system|value} identifiers. */
    AuditSearch agents(List<Set<String>> and) {
        for (Set<String> or : and) {
            any("agents", withoutHiddenPatients(or).toArray(String[]::new));
        }
        return this;
    }

    /** {@code entity}: {@code Type/id} references. */
    AuditSearch entities(List<Set<String>> and) {
        for (Set<String> or : and) {
            Set<String> kept = withoutHiddenPatients(or);
            any("entities", kept.toArray(String[]::new));
            if (kept.stream().anyMatch(value -> !value.startsWith("Patient/"))) {
                conditions.add("(patients && ? or cardinality(patients) = 0)");
                values.add(reader.patients().toArray(String[]::new));
            }
        }
        return this;
    }

    /** {@code type}: {@code system|code} or bare codes. */
    AuditSearch types(List<Set<String>> and) {
        and.forEach(or -> any("types", or.toArray(String[]::new)));
        return this;
    }

    AuditSearch subtypes(List<Set<String>> and) {
        and.forEach(or -> any("subtypes", or.toArray(String[]::new)));
        return this;
    }

    AuditSearch outcomes(List<Set<String>> and) {
        and.forEach(or -> oneOf("outcome", or));
        return this;
    }

    AuditSearch actions(List<Set<String>> and) {
        and.forEach(or -> oneOf("action", or));
        return this;
    }

    /** {@code policy}: the access token's {@code jti}. */
    AuditSearch policies(List<Set<String>> and) {
        and.forEach(or -> oneOf("token_id", or));
        return this;
    }

    /** {@code date}: recorded at or after {@code from} (null: no bound). */
    AuditSearch recordedFrom(Instant from) {
        if (from != null) {
            conditions.add("recorded >= ?");
            values.add(from);
        }
        return this;
    }

    /** {@code date}: recorded before {@code to} (null: no bound). */
    AuditSearch recordedBefore(Instant to) {
        if (to != null) {
            conditions.add("recorded < ?");
            values.add(to);
        }
        return this;
    }

    /** The SQL condition; its values are appended to {@code parameters} in order. */
    String where(List<Object> parameters) {
        StringBuilder where = new StringBuilder("id <= ?");
        parameters.add(snapshot);
        if (reader.organization().isPresent()) {
            where.append(" and (patients && ? or organization = ?)");
            parameters.add(reader.patients().toArray(String[]::new));
            parameters.add(reader.organization().get());
        } else {
            where.append(" and patients && ?");
            parameters.add(reader.patients().toArray(String[]::new));
        }
        for (String condition : conditions) {
            where.append(" and ").append(condition);
        }
        parameters.addAll(values);
        return where.toString();
    }

    private Set<String> withoutHiddenPatients(Set<String> references) {
        Set<String> kept = new LinkedHashSet<>();
        for (String reference : references) {
            if (!reference.startsWith("Patient/")
                    || reader.patients().contains(reference.substring("Patient/".length()))) {
                kept.add(reference);
            }
        }
        return kept;
    }

    private void any(String column, String[] or) {
        if (or.length == 0) {
            nothing = true;
            return;
        }
        conditions.add(column + " && ?");
        values.add(or);
    }

    private void oneOf(String column, Set<String> or) {
        if (or.isEmpty()) {
            nothing = true;
            return;
        }
        conditions.add(column + " = any(?)");
        values.add(or.toArray(String[]::new));
    }
}
