package org.caregate.server.audit;

import java.util.Optional;
import java.util.Set;

/**
 * Who reads the audit trail, as far as the trail is concerned: the patients whose records the reader may see now,
 * and, for a site administrator, the organisation whose trail they may read. A reader is shown the events about
 * their patients and their organisation's events, and in them only the patients they may see (see
 * {@link AuditReaderView}).
 *
 * @param patients bare ids of the patients the reader may see
 * @param organization a site administrator's organisation (bare id), whose users' and clients' events they read
 */
public record AuditReader(Set<String> patients, Optional<String> organization) {

    /** A reader who is shown nothing. */
    public static final AuditReader NOBODY = new AuditReader(Set.of(), Optional.empty());

    public AuditReader {
        patients = Set.copyOf(patients);
    }

    boolean seesNothing() {
        return patients.isEmpty() && organization.isEmpty();
    }
}
