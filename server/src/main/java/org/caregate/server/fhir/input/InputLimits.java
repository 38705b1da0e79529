package org.caregate.server.fhir.input;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds on what one FHIR request may ask for, under {@code caregate.fhir.limits}. A request over a bound is refused
 * with 400 and an OperationOutcome naming the bound, before any database work.
 *
 * @param maxParameters         query parameters (name=value pairs, a repeated name counting each time) of one
 *                              request or batch entry; 300 repeated {@code code=} made a 300-way join
 * @param maxValuesPerParameter comma-separated values (an OR list) of one parameter
 * @param maxParameterLength    characters of one parameter value
 * @param maxNestingDepth       nesting of objects and arrays (JSON) or elements (XML) in a request body
 */
@ConfigurationProperties("caregate.fhir.limits")
public record InputLimits(
        @DefaultValue("40") int maxParameters,
        @DefaultValue("100") int maxValuesPerParameter,
        @DefaultValue("2000") int maxParameterLength,
        @DefaultValue("100") int maxNestingDepth) {

    public InputLimits {
        if (maxParameters < 1 || maxValuesPerParameter < 1 || maxParameterLength < 1 || maxNestingDepth < 10) {
            throw new IllegalArgumentException(
                    "caregate.fhir.limits.* must be positive (max-nesting-depth at least 10)");
        }
    }
}
