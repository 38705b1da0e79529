package org.caregate.server.fhir.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.Iterator;
import java.util.Map;

/**
 * FHIR JSON gives each primitive its JSON type: boolean as {@code true}/{@code false}, integer and decimal as
 * numbers, everything else as strings. HAPI's parser reads every scalar as text and so accepts
 * {@code "valueInteger": "5"}; this check compares the body with HAPI's own encoding of what it parsed and refuses
 * a scalar whose JSON type differs from the one FHIR gives it.
 *
 * @see <a href="https://hl7.org/fhir/R4/json.html#primitive">FHIR R4 JSON, primitive types</a>
 */
final class JsonTypeCheck {

    private JsonTypeCheck() {}

    /** @return the first mismatch ("Observation.valueInteger must be a JSON number, not a string"), or null */
    static String firstMismatch(JsonNode sent, JsonNode canonical, String path) {
        if (sent == null || canonical == null || sent.isNull() || canonical.isNull()) {
            return null;
        }
        if (sent.isObject() && canonical.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = sent.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String mismatch =
                        firstMismatch(field.getValue(), canonical.get(field.getKey()), path + "." + field.getKey());
                if (mismatch != null) {
                    return mismatch;
                }
            }
            return null;
        }
        if (sent.isArray() && canonical.isArray()) {
            for (int i = 0; i < Math.min(sent.size(), canonical.size()); i++) {
                String mismatch = firstMismatch(sent.get(i), canonical.get(i), path + "[" + i + "]");
                if (mismatch != null) {
                    return mismatch;
                }
            }
            return null;
        }
        JsonNodeType expected = scalarType(canonical.getNodeType());
        JsonNodeType actual = scalarType(sent.getNodeType());
        if (expected != null && expected != actual) {
            return path + " must be a JSON " + name(expected) + ", not " + article(sent.getNodeType());
        }
        return null;
    }

    private static JsonNodeType scalarType(JsonNodeType type) {
        return switch (type) {
            case STRING, NUMBER, BOOLEAN -> type;
            default -> null;
        };
    }

    private static String name(JsonNodeType type) {
        return switch (type) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean (true or false)";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String article(JsonNodeType type) {
        return switch (type) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
