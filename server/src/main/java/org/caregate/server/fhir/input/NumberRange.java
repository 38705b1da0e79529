package org.caregate.server.fhir.input;

import java.math.BigDecimal;

/**
 * The numbers this server can store and search: HAPI indexes quantities as PostgreSQL {@code double precision}, so
 * {@code 1e400} (infinite as a double) or {@code 9e999} in a search failed deep in the database with a 500.
 */
final class NumberRange {

    static final String RANGE = "1e-300 to 1e300 in magnitude";
    private static final BigDecimal LARGEST = new BigDecimal("1e300");
    private static final BigDecimal SMALLEST = new BigDecimal("1e-300");

    private NumberRange() {}

    /** @return whether {@code number} (a decimal, possibly with an exponent) is zero or within {@link #RANGE} */
    static boolean contains(String number) {
        BigDecimal magnitude;
        try {
            magnitude = new BigDecimal(number).abs();
        } catch (NumberFormatException e) {
            return false;
        }
        return magnitude.signum() == 0 || (magnitude.compareTo(LARGEST) <= 0 && magnitude.compareTo(SMALLEST) >= 0);
    }
}
