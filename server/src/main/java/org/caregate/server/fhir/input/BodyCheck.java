package org.caregate.server.fhir.input;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DecimalType;

/**
 * Strict reading of a request body before HAPI's own, lenient parse: what HAPI would store silently or fail on with a
 * 500 is refused with a 400 that says what is wrong.
 * <ul>
 *   <li>JSON: well-formed, no duplicate keys (which value counts is undefined), nesting within
 *       {@link InputLimits#maxNestingDepth()}, no control characters or lone surrogates in strings, numbers within
 *       the range a FHIR decimal can be stored and searched in (±1e300);</li>
 *   <li>XML: no DOCTYPE (FHIR XML has none; no entities), elements in the FHIR namespace (XHTML inside narrative),
 *       nesting within the limit;</li>
 *   <li>then HAPI's parser with {@link StrictErrorHandler}: unknown elements, wrong JSON types, invalid primitive
 *       values, repeated non-repeating elements are errors rather than warnings.</li>
 * </ul>
 *
 * @see <a href="https://hl7.org/fhir/R4/json.html">FHIR R4 JSON</a>, <a href="https://hl7.org/fhir/R4/xml.html">XML</a>
 */
final class BodyCheck {

    private static final String FHIR_NAMESPACE = "http://hl7.org/fhir";
    private static final String XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml";

    private static final ObjectMapper TREES = new ObjectMapper();

    private final FhirContext fhirContext;
    private final InputLimits limits;
    private final JsonFactory json;
    private final XMLInputFactory xml;

    BodyCheck(FhirContext fhirContext, InputLimits limits) {
        this.fhirContext = fhirContext;
        this.limits = limits;
        this.json = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // our own depth check gives the better message; Jackson's is a backstop
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Math.max(limits.maxNestingDepth() + 1, 1000))
                        .build())
                .build();
        this.xml = XMLInputFactory.newFactory();
        xml.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xml.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        xml.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    }

    /** What kind of body a Content-Type announces, as far as this check is concerned. */
    enum Kind {
        FHIR_JSON,
        FHIR_XML,
        JSON_PATCH,
        OTHER
    }

    static Kind kind(String contentType) {
        if (contentType == null) {
            return Kind.OTHER;
        }
        String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mime.equals("application/json-patch+json")) {
            return Kind.JSON_PATCH;
        }
        EncodingEnum encoding = EncodingEnum.forContentType(mime);
        if (encoding == EncodingEnum.JSON) {
            return Kind.FHIR_JSON;
        }
        if (encoding == EncodingEnum.XML) {
            return Kind.FHIR_XML;
        }
        return Kind.OTHER;
    }

    static Charset charset(String contentType) {
        if (contentType != null) {
            for (String part : contentType.split(";")) {
                String[] pair = part.trim().split("=", 2);
                if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                    try {
                        return Charset.forName(pair[1].trim().replace("\"", ""));
                    } catch (IllegalArgumentException e) {
                        throw InputProblem.invalid("The Content-Type names an unknown charset '"
                                + QueryCheck.printable(pair[1].trim()) + "'; send UTF-8.");
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** @return the resource the body holds, parsed strictly, or null for a body that is no FHIR resource */
    IBaseResource check(byte[] body, String contentType) {
        switch (kind(contentType)) {
            case FHIR_JSON -> {
                checkJson(body);
                String text = new String(body, charset(contentType));
                IBaseResource resource = checkWithStrictParser(fhirContext.newJsonParser(), text, "JSON");
                checkJsonTypes(text, resource);
                return resource;
            }
            case FHIR_XML -> {
                checkXml(body);
                return checkWithStrictParser(fhirContext.newXmlParser(), new String(body, charset(contentType)), "XML");
            }
            case JSON_PATCH -> {
                checkJson(body);
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private void checkJson(byte[] body) {
        try (JsonParser parser = json.createParser(body)) {
            int depth = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > limits.maxNestingDepth()) {
                            throw InputProblem.tooCostly("The request body nests objects and arrays more than "
                                    + limits.maxNestingDepth() + " deep (caregate.fhir.limits.max-nesting-depth).");
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME, VALUE_STRING -> requireText(parser.getText(), parser);
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                        requireNumberInRange(parser.getText(), "at " + location(parser));
                    default -> {}
                }
            }
        } catch (JsonProcessingException e) {
            throw InputProblem.structure(
                    "The request body is not valid JSON: " + e.getOriginalMessage() + " (" + location(e) + ").");
        } catch (IOException e) {
            throw InputProblem.structure("The request body could not be read as JSON: " + e.getMessage());
        }
    }

    private static void requireText(String text, JsonParser parser) {
        String problem = TextCheck.problem(text);
        if (problem != null) {
            throw InputProblem.invalid("A string in the request body (" + location(parser) + ") " + problem + ".");
        }
    }

    private static void requireNumberInRange(String number, String where) {
        if (!NumberRange.contains(number)) {
            throw InputProblem.invalid("The number " + QueryCheck.printable(number) + " " + where
                    + " is outside the range this server can store and search (" + NumberRange.RANGE + ").");
        }
    }

    private static String location(JsonParser parser) {
        return "line " + parser.currentLocation().getLineNr() + ", column "
                + parser.currentLocation().getColumnNr();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? "position unknown"
                : "line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
    }

    private void checkXml(byte[] body) {
        XMLStreamReader reader = null;
        try {
            reader = xml.createXMLStreamReader(new ByteArrayInputStream(body));
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.DTD) {
                    throw InputProblem.structure("The request body has a DOCTYPE; FHIR XML has none"
                            + " (https://hl7.org/fhir/R4/xml.html).");
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    if (++depth > limits.maxNestingDepth()) {
                        throw InputProblem.tooCostly("The request body nests elements more than "
                                + limits.maxNestingDepth() + " deep (caregate.fhir.limits.max-nesting-depth).");
                    }
                    String namespace = reader.getNamespaceURI();
                    boolean fhir = FHIR_NAMESPACE.equals(namespace);
                    if (!fhir && !(depth > 1 && XHTML_NAMESPACE.equals(namespace))) {
                        throw InputProblem.structure("The element <" + reader.getLocalName() + "> on line "
                                + reader.getLocation().getLineNumber() + " is not in the FHIR namespace "
                                + FHIR_NAMESPACE
                                + (namespace == null || namespace.isEmpty()
                                        ? ""
                                        : " but in '" + QueryCheck.printable(namespace) + "'")
                                + "; FHIR XML elements need xmlns=\""
                                + FHIR_NAMESPACE + "\".");
                    }
                }
                if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException e) {
            String message =
                    e.getMessage() == null ? "unreadable" : e.getMessage().replace('\n', ' ');
            throw InputProblem.structure("The request body is not well-formed XML: " + message);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing was opened that needs closing
                }
            }
        }
    }

    private void checkJsonTypes(String body, IBaseResource resource) {
        String mismatch;
        try {
            mismatch = JsonTypeCheck.firstMismatch(
                    TREES.readTree(body),
                    TREES.readTree(fhirContext.newJsonParser().encodeResourceToString(resource)),
                    resource.fhirType());
        } catch (JsonProcessingException e) {
            throw InputProblem.structure("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (mismatch != null) {
            throw InputProblem.structure("The request body is not a valid FHIR JSON resource: " + mismatch
                    + " (https://hl7.org/fhir/R4/json.html#primitive).");
        }
    }

    private IBaseResource checkWithStrictParser(IParser parser, String body, String format) {
        IBaseResource resource;
        try {
            parser.setParserErrorHandler(new StrictErrorHandler());
            resource = parser.parseResource(body);
        } catch (DataFormatException e) {
            throw InputProblem.structure(
                    "The request body is not a valid FHIR " + format + " resource: " + withoutHapiCode(e.getMessage()));
        }
        for (DecimalType decimal :
                fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, DecimalType.class)) {
            if (decimal.getValueAsString() != null) {
                requireNumberInRange(decimal.getValueAsString(), "in the request body");
            }
        }
        return resource;
    }

    /** "HAPI-1825: Unknown element 'foo'" → "Unknown element 'foo'": the code means nothing to a client. */
    private static String withoutHapiCode(String message) {
        if (message == null) {
            return "unreadable";
        }
        return message.replaceAll("HAPI-\\d{4}: ", "");
    }
}
