package org.caregate.server.fhir.input;

/**
 * What FHIR and PostgreSQL accept as text: FHIR strings "SHALL NOT contain Unicode character points below 32,
 * except for u0009 (horizontal tab), u0010 (carriage return) and u0013 (line feed)", PostgreSQL cannot store U+0000,
 * and a UTF-16 surrogate without its pair is no character at all.
 *
 * @see <a href="https://hl7.org/fhir/R4/datatypes.html#string">FHIR R4 string</a>
 */
final class TextCheck {

    private TextCheck() {}

    /** @return why {@code text} is refused ("contains the control character U+0000"), or null if it is fine */
    static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
                return String.format("contains the control character U+%04X, which FHIR text may not contain", (int) c);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return String.format(
                        "contains U+%04X, half of a UTF-16 surrogate pair without the other half", (int) c);
            }
            if (Character.isLowSurrogate(c)) {
                return String.format(
                        "contains U+%04X, half of a UTF-16 surrogate pair without the other half", (int) c);
            }
        }
        return null;
    }
}
