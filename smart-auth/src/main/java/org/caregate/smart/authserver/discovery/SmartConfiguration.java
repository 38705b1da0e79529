package org.caregate.smart.authserver.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.client.ExampleClients;

/**
 * The SMART configuration document (SMART App Launch 2.2, "Conformance": {@code .well-known/smart-configuration}),
 * built once: it only depends on configuration.
 */
public final class SmartConfiguration {

    /** SMART App Launch 2.2 capabilities this server supports. */
    public static final List<String> CAPABILITIES = List.of(
            "launch-ehr",
            "launch-standalone",
            "authorize-post",
            "client-public",
            "client-confidential-symmetric",
            "client-confidential-asymmetric",
            "sso-openid-connect",
            "context-banner",
            "context-style",
            "context-ehr-patient",
            "context-ehr-encounter",
            "context-standalone-patient",
            "permission-offline",
            "permission-patient",
            "permission-user",
            "permission-v1",
            "permission-v2");

    private final Map<String, Object> document;
    private final byte[] json;

    public SmartConfiguration(SmartAuthUrls urls, ObjectMapper objectMapper) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", urls.issuer());
        doc.put("jwks_uri", urls.jwksUri());
        doc.put("authorization_endpoint", urls.authorizationEndpoint());
        doc.put("token_endpoint", urls.tokenEndpoint());
        doc.put("introspection_endpoint", urls.url(SmartAuthPaths.INTROSPECT));
        doc.put("revocation_endpoint", urls.url(SmartAuthPaths.REVOKE));
        doc.put("userinfo_endpoint", urls.url(SmartAuthPaths.USERINFO));
        doc.put("registration_endpoint", urls.url(SmartAuthPaths.REGISTER));
        doc.put("grant_types_supported", AdvertisedMetadata.GRANT_TYPES);
        doc.put("response_types_supported", List.of("code"));
        doc.put("token_endpoint_auth_methods_supported", AdvertisedMetadata.TOKEN_ENDPOINT_AUTH_METHODS);
        doc.put("token_endpoint_auth_signing_alg_values_supported", AdvertisedMetadata.CLIENT_ASSERTION_ALGORITHMS);
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("scopes_supported", scopesSupported());
        doc.put("capabilities", CAPABILITIES);
        this.document = Collections.unmodifiableMap(doc);
        try {
            this.json = objectMapper.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> scopesSupported() {
        java.util.LinkedHashSet<String> scopes = new java.util.LinkedHashSet<>(ExampleClients.USER_APP_SCOPES);
        scopes.addAll(List.of(
                "patient/*.cruds", "user/*.cruds", "patient/*.write", "user/*.write", "patient/*.*", "user/*.*"));
        scopes.addAll(ExampleClients.BACKEND_SCOPES);
        scopes.addAll(ExampleClients.EHR_FEED_SCOPES);
        return List.copyOf(scopes);
    }

    public Map<String, Object> document() {
        return document;
    }

    /** The document as JSON, serialized once. */
    public byte[] json() {
        return json.clone();
    }

    byte[] jsonShared() {
        return json;
    }
}
