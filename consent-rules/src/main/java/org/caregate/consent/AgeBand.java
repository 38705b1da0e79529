package org.caregate.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/** The age bands of the access policy, counted with {@link Age}. */
public enum AgeBand {
    /** Aged 0 to 11: parents and guardians may see the records; no own access. */
    CHILD,
    /** Aged 12 to 17: no online access for parents and guardians, nor (by default) for the patient. */
    ADOLESCENT,
    /** Aged 18 or older: own access; guardians only as court-appointed guardian of an incapacitated adult. */
    ADULT;

    /** The band of someone aged {@code years}. */
    public static AgeBand ofYears(int years) {
        if (years < Age.ADOLESCENCE) {
            return CHILD;
        }
        return years < Age.ADULTHOOD ? ADOLESCENT : ADULT;
    }

    /** The band on {@code today} (a date in the facility time zone). */
    public static AgeBand of(LocalDate birthDate, LocalDate today) {
        return ofYears(Age.inYears(birthDate, today));
    }

    /** The band at {@code instant} in the facility {@code zone}; empty when the birth date is unknown ({@code null}). */
    public static Optional<AgeBand> at(LocalDate birthDate, Instant instant, ZoneId zone) {
        return Optional.ofNullable(birthDate).map(date -> of(date, Age.today(instant, zone)));
    }
}
