package org.caregate.server.portal.clients;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.caregate.smart.authserver.registration.ClientMetadata;
import org.caregate.smart.authserver.registration.RegistrationException;

/**
 * The administration page's "Register a client" form. It is turned into RFC 7591 client metadata and checked by
 * {@link ClientMetadata#fromJson}, exactly as a registration through the API.
 *
 * @param kind         {@code app} (a SMART app) or {@code backend} (SMART Backend Services)
 * @param redirectUris one per line
 * @param jwks         a JWK Set as JSON text, or blank
 */
public record ClientForm(
        String kind,
        String clientName,
        String redirectUris,
        Boolean ehrLaunch,
        Boolean standaloneLaunch,
        String launchUri,
        String authMethod,
        String jwks,
        String jwksUri,
        String scope,
        String organization) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ClientForm empty() {
        return new ClientForm(
                "app",
                "",
                "",
                true,
                true,
                "",
                ClientMetadata.NONE,
                "",
                "",
                "openid fhirUser launch launch/patient patient/*.rs user/*.rs",
                "");
    }

    public boolean isBackend() {
        return "backend".equals(kind);
    }

    /** The form as client metadata, checked. */
    public ClientMetadata toMetadata() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("client_name", clientName);
        json.put("scope", scope);
        put(json, "jwks_uri", jwksUri);
        if (jwks != null && !jwks.isBlank()) {
            try {
                json.put("jwks", JSON.readValue(jwks, new TypeReference<Map<String, Object>>() {}));
            } catch (Exception e) {
                throw new RegistrationException(
                        RegistrationException.INVALID_CLIENT_METADATA, "jwks: not a JSON object");
            }
        }
        if (isBackend()) {
            json.put("grant_types", List.of(ClientMetadata.CLIENT_CREDENTIALS));
            json.put("token_endpoint_auth_method", ClientMetadata.PRIVATE_KEY_JWT);
            put(json, "organization", organization);
        } else {
            json.put("grant_types", List.of(ClientMetadata.AUTHORIZATION_CODE));
            put(json, "token_endpoint_auth_method", authMethod);
            json.put("redirect_uris", lines(redirectUris));
            List<String> launchTypes = new ArrayList<>();
            if (Boolean.TRUE.equals(ehrLaunch)) {
                launchTypes.add("ehr");
                put(json, "launch_uri", launchUri);
            }
            if (Boolean.TRUE.equals(standaloneLaunch)) {
                launchTypes.add("standalone");
            }
            json.put("launch_types", launchTypes);
        }
        return ClientMetadata.fromJson(json);
    }

    private static void put(Map<String, Object> json, String field, String value) {
        if (value != null && !value.isBlank()) {
            json.put(field, value.strip());
        }
    }

    private static List<String> lines(String text) {
        return text == null
                ? List.of()
                : Arrays.stream(text.split("\\R"))
                        .map(String::strip)
                        .filter(line -> !line.isEmpty())
                        .toList();
    }
}
