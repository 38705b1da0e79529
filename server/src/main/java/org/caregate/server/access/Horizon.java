package org.caregate.server.access;

import java.time.Instant;
import java.time.ZoneId;
import org.caregate.consent.TimeRange;

/**
 * How long decisions made at {@link #at()} stay right as time passes: the earliest instant after it at which a fact
 * they used starts or stops counting (a guardianship's end, an encounter leaving the window, a refusal's start), and
 * at the latest the next midnight in the facility zone, when ages (and so guardians' access) change.
 */
final class Horizon {

    private final Instant at;
    private Instant until;

    Horizon(Instant at, ZoneId zone) {
        this.at = at;
        this.until =
                at.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }

    Instant at() {
        return at;
    }

    /** The first instant at which the decisions may change. */
    Instant until() {
        return until;
    }

    void consider(Instant instant) {
        if (instant != null && instant.isAfter(at) && instant.isBefore(until)) {
            until = instant;
        }
    }

    void consider(TimeRange range) {
        consider(range.start());
        consider(range.end());
    }
}
