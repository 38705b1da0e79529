package org.caregate.server.fhir.input;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of a request's query parameters (of the request itself, of a batch or transaction entry's URL, of an
 * {@code If-None-Exist} header): bounds of {@link InputLimits}, no control characters (PostgreSQL cannot store
 * U+0000, and FHIR strings exclude characters below U+0020), and non-negative paging numbers. A failed check is an
 * {@link InvalidRequestException} whose message says what is wrong and how to fix it.
 */
final class QueryCheck {

    private final InputLimits limits;

    QueryCheck(InputLimits limits) {
        this.limits = limits;
    }

    /**
     * @param where how the message names the query: "This request", "Entry 3 of the batch"
     */
    void check(Map<String, String[]> parameters, String where) {
        int count = 0;
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            requireText(name, where, "the name of parameter '" + printable(name) + "'");
            String[] values = parameter.getValue() == null ? new String[0] : parameter.getValue();
            count += Math.max(1, values.length);
            for (String value : values) {
                checkValue(name, value == null ? "" : value, where);
            }
        }
        if (count > limits.maxParameters()) {
            throw InputProblem.tooCostly(
                    where + " has " + count + " query parameters; this server accepts at most " + limits.maxParameters()
                            + " (caregate.fhir.limits.max-parameters). Split it into several requests.");
        }
    }

    private void checkValue(String name, String value, String where) {
        requireText(value, where, "the value of parameter '" + printable(name) + "'");
        if (value.length() > limits.maxParameterLength()) {
            throw InputProblem.tooCostly(
                    where + ": the value of parameter '" + printable(name) + "' is " + value.length()
                            + " characters long; this server accepts at most " + limits.maxParameterLength()
                            + " (caregate.fhir.limits.max-parameter-length).");
        }
        int values = orValues(value);
        if (values > limits.maxValuesPerParameter()) {
            throw InputProblem.tooCostly(where + ": parameter '" + printable(name) + "' lists " + values
                    + " values; this server accepts at most " + limits.maxValuesPerParameter()
                    + " per parameter (caregate.fhir.limits.max-values-per-parameter). Split the search.");
        }
        for (String number : numbers(value)) {
            if (!NumberRange.contains(number)) {
                throw InputProblem.invalid(where + ": the number " + printable(number) + " in parameter '"
                        + printable(name) + "' is outside the range this server can search (" + NumberRange.RANGE
                        + ").");
            }
        }
        switch (name) {
            case "_offset", "_count", "_getpagesoffset" -> requireNonNegativeInteger(name, value, where);
            default -> {}
        }
    }

    private static void requireNonNegativeInteger(String name, String value, String where) {
        if (!value.matches("\\d{1,9}")) {
            throw InputProblem.invalid(where + ": " + name + " must be a whole number from 0 to 999999999, not '"
                    + printable(value) + "'.");
        }
    }

    /**
     * The numbers of a number or quantity search value worth a range check: {@code [prefix]number[|system|code]},
     * in each OR value, when written with an exponent or with more than 30 characters.
     */
    private static List<String> numbers(String value) {
        List<String> numbers = new ArrayList<>();
        for (String alternative : value.split(",")) {
            Matcher number = NUMBER.matcher(alternative);
            if (number.matches()
                    && (number.group(2).length() > 30 || number.group(2).matches(".*[eE].*"))) {
                numbers.add(number.group(2));
            }
        }
        return numbers;
    }

    private static final Pattern NUMBER =
            Pattern.compile("(eq|ne|gt|lt|ge|le|sa|eb|ap)?([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)(\\|.*)?");

    /** Comma-separated values, not counting an escaped comma ({@code \,}), FHIR search's OR list. */
    private static int orValues(String value) {
        int values = 1;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ',') {
                values++;
            }
        }
        return values;
    }

    private static void requireText(String text, String where, String what) {
        String problem = TextCheck.problem(text);
        if (problem != null) {
            throw InputProblem.invalid(where + ": " + what + " " + problem + ".");
        }
    }

    /** A value for a message: at most 60 characters, control characters shown as {@code U+XXXX}. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 60; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                out.append(String.format("U+%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return value.length() > 60 ? out + "…" : out.toString();
    }
}
