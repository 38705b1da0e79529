package org.caregate.smart.authserver.registration;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.caregate.smart.authserver.client.LaunchType;
import org.caregate.smart.authserver.discovery.AdvertisedMetadata;
import org.caregate.smart.scope.InvalidScopeException;
import org.caregate.smart.scope.ResourceScope;
import org.caregate.smart.scope.ScopeContext;
import org.caregate.smart.scope.SmartScope;
import org.caregate.smart.scope.SmartScopeParser;
import org.caregate.smart.scope.SmartScopes;

/**
 * The client metadata CareGate accepts (RFC 7591, section 2), checked as a whole; anything wrong is a
 * {@link RegistrationException} ({@code invalid_client_metadata} or {@code invalid_redirect_uri}, section 3.2.2) that
 * names the field. Unknown fields are ignored, as section 2 requires.
 *
 * <p>Two kinds of client:
 * <ul>
 *   <li>a <b>SMART app</b> ({@code grant_types} {@code authorization_code}, CareGate adds {@code refresh_token}):
 *       {@code redirect_uris}, {@code launch_types} ({@code ehr}, {@code standalone}; {@code ehr} needs a
 *       {@code launch_uri} and gets the {@code launch} scope), {@code patient/}/{@code user/} and identity scopes;
 *       {@code token_endpoint_auth_method} {@code none} (public, PKCE), {@code client_secret_basic},
 *       {@code client_secret_post} or {@code private_key_jwt};</li>
 *   <li>a <b>backend service</b> ({@code grant_types} {@code client_credentials}, SMART Backend Services):
 *       {@code private_key_jwt} only, {@code system/} scopes only, and the {@code organization} it acts for
 *       (an Organization id of this server).</li>
 * </ul>
 * {@code private_key_jwt} needs exactly one of {@code jwks} (public keys only, RSA of 2048 bits or more, or EC) and
 * {@code jwks_uri}. URIs are {@code https}, or {@code http} on a loopback host (development and native apps,
 * RFC 8252 section 7.3); redirect URIs may also use a private-use scheme (RFC 8252 section 7.1).
 *
 * @param clientName              {@code client_name}, required
 * @param grantTypes              as registered
 * @param redirectUris            SMART apps only
 * @param tokenEndpointAuthMethod default {@code client_secret_basic} (RFC 7591), {@code private_key_jwt} for backends
 * @param jwks                    the JWK Set as JSON, or null
 * @param jwksUri                 or null
 * @param signingAlgorithm        {@code token_endpoint_auth_signing_alg} ({@code RS384}/{@code ES384}) or null
 * @param scopes                  the registered scopes
 * @param launchTypes             SMART apps only
 * @param launchUri               {@code launch_uri}: where the provider portal sends an EHR launch
 * @param organization            backend services only
 * @param contacts                {@code contacts}, e-mail addresses
 */
public record ClientMetadata(
        String clientName,
        List<String> grantTypes,
        List<String> redirectUris,
        String tokenEndpointAuthMethod,
        String jwks,
        String jwksUri,
        String signingAlgorithm,
        List<String> scopes,
        Set<LaunchType> launchTypes,
        String launchUri,
        String organization,
        List<String> contacts) {

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final String NONE = "none";
    public static final String CLIENT_SECRET_BASIC = "client_secret_basic";
    public static final String CLIENT_SECRET_POST = "client_secret_post";
    public static final String PRIVATE_KEY_JWT = "private_key_jwt";
    static final Set<String> AUTH_METHODS = Set.copyOf(AdvertisedMetadata.TOKEN_ENDPOINT_AUTH_METHODS);
    static final Set<String> SIGNING_ALGORITHMS = Set.copyOf(AdvertisedMetadata.CLIENT_ASSERTION_ALGORITHMS);
    private static final int MAX_TEXT = 2000;
    private static final int MAX_ITEMS = 20;

    public ClientMetadata {
        grantTypes = List.copyOf(grantTypes);
        redirectUris = List.copyOf(redirectUris);
        scopes = List.copyOf(scopes);
        launchTypes = launchTypes.isEmpty() ? Set.of() : Set.copyOf(launchTypes);
        contacts = List.copyOf(contacts);
    }

    public boolean isBackendService() {
        return grantTypes.contains(CLIENT_CREDENTIALS);
    }

    /** The same metadata with every list sorted: for comparing registrations whatever their order. */
    public ClientMetadata normalized() {
        return new ClientMetadata(
                clientName,
                grantTypes.stream().sorted().toList(),
                redirectUris.stream().sorted().toList(),
                tokenEndpointAuthMethod,
                jwks,
                jwksUri,
                signingAlgorithm,
                scopes.stream().sorted().toList(),
                launchTypes,
                launchUri,
                organization,
                contacts.stream().sorted().toList());
    }

    /** Whether the client authenticates with a secret CareGate generates. */
    public boolean needsSecret() {
        return CLIENT_SECRET_BASIC.equals(tokenEndpointAuthMethod)
                || CLIENT_SECRET_POST.equals(tokenEndpointAuthMethod);
    }

    /**
     * Reads and checks metadata from a JSON object (RFC 7591 section 2, plus CareGate's {@code launch_types},
     * {@code launch_uri} and {@code organization}).
     */
    public static ClientMetadata fromJson(Map<String, Object> json) {
        String name = text(json, "client_name", true);
        List<String> grantTypes = strings(json, "grant_types");
        if (grantTypes.isEmpty()) {
            grantTypes = List.of(AUTHORIZATION_CODE);
        }
        boolean backend = grantTypes.contains(CLIENT_CREDENTIALS);
        Set<String> grants = new LinkedHashSet<>(grantTypes);
        if (backend && !grants.equals(Set.of(CLIENT_CREDENTIALS))) {
            throw invalid("grant_types: a backend service uses client_credentials alone, not " + grantTypes);
        }
        if (!backend) {
            if (!grants.contains(AUTHORIZATION_CODE)
                    || !Set.of(AUTHORIZATION_CODE, REFRESH_TOKEN).containsAll(grants)) {
                throw invalid("grant_types: supported are [authorization_code] (with refresh_token) for SMART apps"
                        + " and [client_credentials] for backend services, not " + grantTypes);
            }
            grants.add(REFRESH_TOKEN);
        }
        List<String> responseTypes = strings(json, "response_types");
        if (!responseTypes.isEmpty() && !responseTypes.equals(backend ? List.of() : List.of("code"))) {
            throw invalid("response_types: only [\"code\"] is supported" + (backend ? ", and none for a backend" : ""));
        }

        String method = text(json, "token_endpoint_auth_method", false);
        if (method == null) {
            method = backend ? PRIVATE_KEY_JWT : CLIENT_SECRET_BASIC;
        }
        if (!AUTH_METHODS.contains(method)) {
            throw invalid("token_endpoint_auth_method: supported are " + AdvertisedMetadata.TOKEN_ENDPOINT_AUTH_METHODS
                    + ", not " + method);
        }
        if (backend && !PRIVATE_KEY_JWT.equals(method)) {
            throw invalid("token_endpoint_auth_method: SMART Backend Services authenticate with private_key_jwt");
        }

        String jwks = jwks(json.get("jwks"));
        String jwksUri = text(json, "jwks_uri", false);
        if (jwks != null && jwksUri != null) {
            throw invalid("jwks and jwks_uri: give one of them, not both (RFC 7591 section 2)");
        }
        if (PRIVATE_KEY_JWT.equals(method) && jwks == null && jwksUri == null) {
            throw invalid("private_key_jwt needs the client's public keys: jwks or jwks_uri");
        }
        if (!PRIVATE_KEY_JWT.equals(method) && (jwks != null || jwksUri != null)) {
            throw invalid("jwks and jwks_uri are for private_key_jwt only");
        }
        if (jwksUri != null) {
            checkUrl("jwks_uri", jwksUri);
        }
        String algorithm = text(json, "token_endpoint_auth_signing_alg", false);
        if (algorithm != null && (!PRIVATE_KEY_JWT.equals(method) || !SIGNING_ALGORITHMS.contains(algorithm))) {
            throw invalid("token_endpoint_auth_signing_alg: RS384 or ES384, with private_key_jwt");
        }

        List<String> redirectUris = strings(json, "redirect_uris");
        if (backend && !redirectUris.isEmpty()) {
            throw invalid("redirect_uris: a backend service has none");
        }
        if (!backend && redirectUris.isEmpty()) {
            throw new RegistrationException(
                    RegistrationException.INVALID_REDIRECT_URI, "redirect_uris: a SMART app needs at least one");
        }
        redirectUris.forEach(ClientMetadata::checkRedirectUri);

        Set<LaunchType> launchTypes = EnumSet.noneOf(LaunchType.class);
        for (String value : strings(json, "launch_types")) {
            launchTypes.add(LaunchType.of(value)
                    .orElseThrow(() -> invalid("launch_types: \"ehr\" and/or \"standalone\", not \"" + value + "\"")));
        }
        if (backend && !launchTypes.isEmpty()) {
            throw invalid("launch_types: a backend service is not launched");
        }
        if (!backend && launchTypes.isEmpty()) {
            launchTypes.add(LaunchType.STANDALONE);
        }
        String launchUri = text(json, "launch_uri", false);
        if (launchTypes.contains(LaunchType.EHR) && launchUri == null) {
            throw invalid("launch_uri: an app registered for EHR launch needs the URL the portal sends it to");
        }
        if (launchUri != null) {
            if (!launchTypes.contains(LaunchType.EHR)) {
                throw invalid("launch_uri is for apps registered for EHR launch (launch_types \"ehr\")");
            }
            checkUrl("launch_uri", launchUri);
        }

        List<String> scopes = scopes(text(json, "scope", true), backend, launchTypes);

        String organization = text(json, "organization", false);
        if (backend && organization == null) {
            throw invalid("organization: a backend service acts for an organisation (its Organization id here)");
        }
        if (!backend && organization != null) {
            throw invalid("organization is for backend services only");
        }
        if (organization != null && !organization.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw invalid("organization: an Organization id (letters, digits, '-', '.'), not " + organization);
        }
        List<String> contacts = strings(json, "contacts");
        return new ClientMetadata(
                name,
                List.copyOf(grants),
                redirectUris,
                method,
                jwks,
                jwksUri,
                algorithm,
                scopes,
                launchTypes,
                launchUri,
                organization,
                contacts);
    }

    /** The metadata as RFC 7591 section 3.2.1 echoes it (without credentials). */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("client_name", clientName);
        json.put("grant_types", grantTypes);
        json.put("response_types", isBackendService() ? List.of() : List.of("code"));
        if (!redirectUris.isEmpty()) {
            json.put("redirect_uris", redirectUris);
        }
        json.put("token_endpoint_auth_method", tokenEndpointAuthMethod);
        if (jwks != null) {
            try {
                json.put("jwks", JWKSet.parse(jwks).toJSONObject(true));
            } catch (ParseException e) {
                throw new IllegalStateException("stored jwks do not parse", e);
            }
        }
        if (jwksUri != null) {
            json.put("jwks_uri", jwksUri);
        }
        if (signingAlgorithm != null) {
            json.put("token_endpoint_auth_signing_alg", signingAlgorithm);
        }
        json.put("scope", String.join(" ", scopes));
        if (!launchTypes.isEmpty()) {
            json.put(
                    "launch_types",
                    launchTypes.stream().map(LaunchType::value).sorted().toList());
        }
        if (launchUri != null) {
            json.put("launch_uri", launchUri);
        }
        if (organization != null) {
            json.put("organization", organization);
        }
        if (!contacts.isEmpty()) {
            json.put("contacts", contacts);
        }
        return json;
    }

    private static List<String> scopes(String scope, boolean backend, Set<LaunchType> launchTypes) {
        SmartScopes parsed;
        try {
            parsed = SmartScopeParser.parse(scope);
        } catch (InvalidScopeException e) {
            throw invalid("scope: " + e.getMessage());
        }
        if (parsed.isEmpty()) {
            throw invalid("scope: at least one scope is required");
        }
        for (SmartScope each : parsed) {
            boolean system = each instanceof ResourceScope resource && resource.context() == ScopeContext.SYSTEM;
            if (backend && !system) {
                throw invalid("scope: a backend service may only have system/ scopes, not " + each.value());
            }
            if (!backend && system) {
                throw invalid("scope: system/ scopes are for backend services, not SMART apps: " + each.value());
            }
        }
        List<String> values = new ArrayList<>(parsed.values());
        if (launchTypes.contains(LaunchType.EHR) && !values.contains("launch")) {
            values.add("launch");
        }
        return List.copyOf(new LinkedHashSet<>(values));
    }

    private static String jwks(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid("jwks: a JWK Set object {\"keys\": [...]}");
        }
        JWKSet set;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            set = JWKSet.parse(object);
        } catch (ParseException | ClassCastException e) {
            throw invalid("jwks: not a JWK Set: " + e.getMessage());
        }
        if (set.getKeys().isEmpty() || set.getKeys().size() > MAX_ITEMS) {
            throw invalid("jwks: between 1 and " + MAX_ITEMS + " keys");
        }
        for (JWK key : set.getKeys()) {
            if (key.isPrivate()) {
                throw invalid("jwks: key " + key.getKeyID() + " holds a private part; register public keys only");
            }
            if (key instanceof RSAKey rsa && rsa.size() < 2048) {
                throw invalid("jwks: RSA key " + key.getKeyID() + " is shorter than 2048 bits");
            }
            if (!(key instanceof RSAKey) && !(key instanceof ECKey)) {
                throw invalid("jwks: key " + key.getKeyID() + " is neither RSA nor EC");
            }
        }
        return set.toString(true);
    }

    private static void checkRedirectUri(String value) {
        URI uri = uri("redirect_uris", value, RegistrationException.INVALID_REDIRECT_URI);
        if (uri.getFragment() != null) {
            throw new RegistrationException(
                    RegistrationException.INVALID_REDIRECT_URI,
                    "redirect_uris: no fragment allowed (RFC 6749 section 3.1.2): " + value);
        }
        String scheme = uri.getScheme().toLowerCase();
        boolean web = scheme.equals("https") || scheme.equals("http") && isLoopback(uri);
        boolean privateUse = !scheme.equals("http") && !scheme.equals("https") && scheme.contains(".");
        if (!web && !privateUse) {
            throw new RegistrationException(
                    RegistrationException.INVALID_REDIRECT_URI,
                    "redirect_uris: https, http"
                            + " on a loopback host, or a private-use scheme such as com.example.app: (RFC 8252), not "
                            + value);
        }
    }

    private static void checkUrl(String field, String value) {
        URI uri = uri(field, value, RegistrationException.INVALID_CLIENT_METADATA);
        String scheme = uri.getScheme().toLowerCase();
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && isLoopback(uri))) {
            throw invalid(field + ": an https URL (http only on localhost), not " + value);
        }
    }

    private static URI uri(String field, String value, String error) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || value.length() > MAX_TEXT) {
                throw new RegistrationException(error, field + ": an absolute URI, not " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new RegistrationException(error, field + ": not a URI: " + value);
        }
    }

    private static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    private static String text(Map<String, Object> json, String field, boolean required) {
        Object value = json.get(field);
        if (value == null || value instanceof String text && text.isBlank()) {
            if (required) {
                throw invalid(field + " is required");
            }
            return null;
        }
        if (!(value instanceof String text) || text.length() > MAX_TEXT) {
            throw invalid(field + ": a string of at most " + MAX_TEXT + " characters");
        }
        return text.strip();
    }

    private static List<String> strings(Map<String, Object> json, String field) {
        Object value = json.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof Collection<?> list)
                || list.size() > MAX_ITEMS
                || !list.stream()
                        .allMatch(
                                item -> item instanceof String text && !text.isBlank() && text.length() <= MAX_TEXT)) {
            throw invalid(field + ": an array of at most " + MAX_ITEMS + " strings");
        }
        return list.stream().map(item -> ((String) item).strip()).distinct().toList();
    }

    private static RegistrationException invalid(String description) {
        return new RegistrationException(RegistrationException.INVALID_CLIENT_METADATA, description);
    }
}
