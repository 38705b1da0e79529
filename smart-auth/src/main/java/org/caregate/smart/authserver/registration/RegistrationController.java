package org.caregate.smart.authserver.registration;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.client.ClientRegistry;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * OAuth 2.0 Dynamic Client Registration (RFC 7591) at {@value SmartAuthPaths#REGISTER} and Client Management
 * (RFC 7592) at {@code /auth/register/{client_id}}.
 *
 * <ul>
 *   <li>{@code POST /auth/register} with {@code Authorization: Bearer <initial access token>} (issued by a CareGate
 *       administrator on {@code /portal/admin/clients}, single use) and the client metadata as JSON
 *       ({@link ClientMetadata}): 201 with the client id, its secret (for {@code client_secret_*}), the
 *       registration access token and {@code registration_client_uri}. The client is {@code pending}
 *       ({@code registration_status}) until an administrator approves it: until then the authorization and token
 *       endpoints do not know it;</li>
 *   <li>{@code GET}, {@code PUT}, {@code DELETE /auth/register/{client_id}} with
 *       {@code Authorization: Bearer <registration access token>}: read, replace (a changed approved client goes
 *       back to review) and delete (its tokens stop working).</li>
 * </ul>
 * Errors are {@code {"error", "error_description"}} (RFC 7591 section 3.2.2); a missing or wrong token is 401
 * {@code invalid_token} with {@code WWW-Authenticate} (RFC 6750 section 3), also for an unknown client id, so the
 * endpoint reveals no client ids (RFC 7592 section 3).
 */
@RestController
public class RegistrationController {

    private static final String BEARER = "Bearer ";

    private final ClientRegistrar registrar;
    private final ClientRegistry registry;
    private final InitialAccessTokens initialAccessTokens;
    private final SmartAuthUrls urls;

    public RegistrationController(
            ClientRegistrar registrar,
            ClientRegistry registry,
            InitialAccessTokens initialAccessTokens,
            SmartAuthUrls urls) {
        this.registrar = registrar;
        this.registry = registry;
        this.initialAccessTokens = initialAccessTokens;
        this.urls = urls;
    }

    @PostMapping(path = SmartAuthPaths.REGISTER, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> register(
            HttpServletRequest request, @RequestBody Map<String, Object> body) {
        String initialAccessToken = bearer(request, "an initial access token from a CareGate administrator");
        ClientMetadata metadata = ClientMetadata.fromJson(body);
        initialAccessTokens.redeem(initialAccessToken);
        ClientRegistrar.Registered registered = registrar.registerByDeveloper(metadata);
        initialAccessTokens.recordClient(initialAccessToken, registered.client().getClientId());
        return json(HttpStatus.CREATED, response(registered));
    }

    @GetMapping(SmartAuthPaths.REGISTER + "/{clientId}")
    public ResponseEntity<Map<String, Object>> read(HttpServletRequest request, @PathVariable String clientId) {
        ClientRegistry.Entry entry = authorized(request, clientId);
        return json(
                HttpStatus.OK,
                response(new ClientRegistrar.Registered(
                        entry.client(), entry.registration(), ClientRegistrar.metadataOf(entry), null, null)));
    }

    @PutMapping(path = SmartAuthPaths.REGISTER + "/{clientId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> update(
            HttpServletRequest request, @PathVariable String clientId, @RequestBody Map<String, Object> body) {
        ClientRegistry.Entry entry = authorized(request, clientId);
        if (!clientId.equals(body.get("client_id"))) {
            throw new RegistrationException(
                    RegistrationException.INVALID_CLIENT_METADATA,
                    "client_id: the request must hold the client's own client_id (RFC 7592 section 2.2)");
        }
        if (body.get("client_secret") != null
                && !registrar.secretMatches(entry.client(), String.valueOf(body.get("client_secret")))) {
            throw new RegistrationException(
                    RegistrationException.INVALID_CLIENT_METADATA, "client_secret: not the client's current secret");
        }
        ClientRegistrar.Registered updated = registrar.update(entry, ClientMetadata.fromJson(body));
        return json(HttpStatus.OK, response(updated));
    }

    @DeleteMapping(SmartAuthPaths.REGISTER + "/{clientId}")
    public ResponseEntity<Void> delete(HttpServletRequest request, @PathVariable String clientId) {
        authorized(request, clientId);
        registry.delete(clientId);
        return ResponseEntity.noContent().cacheControl(CacheControl.noStore()).build();
    }

    @ExceptionHandler(RegistrationException.class)
    ResponseEntity<Map<String, Object>> refused(RegistrationException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", e.error());
        error.put("error_description", e.getMessage());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status())
                .cacheControl(CacheControl.noStore())
                .contentType(MediaType.APPLICATION_JSON);
        if (e.status() == 401) {
            response.header(
                    HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"invalid_token\", error_description=\""
                            + e.getMessage().replace("\"", "'") + "\"");
        }
        return response.body(error);
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class})
    ResponseEntity<Map<String, Object>> unreadable(Exception e) {
        return refused(new RegistrationException(
                RegistrationException.INVALID_CLIENT_METADATA,
                "the body must be a JSON object of client metadata (Content-Type: application/json)"));
    }

    private ClientRegistry.Entry authorized(HttpServletRequest request, String clientId) {
        String token = bearer(request, "the registration access token returned at registration");
        return registry.entry(clientId)
                .filter(entry -> registry.registrationTokenMatches(clientId, OpaqueTokens.hash(token)))
                .orElseThrow(() -> new RegistrationException(
                        RegistrationException.INVALID_TOKEN,
                        "the registration access token is not valid for this client"));
    }

    private static String bearer(HttpServletRequest request, String what) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.substring(BEARER.length()).isBlank()) {
            throw new RegistrationException(
                    RegistrationException.INVALID_TOKEN, "send 'Authorization: Bearer <token>' with " + what);
        }
        return authorization.substring(BEARER.length()).strip();
    }

    private Map<String, Object> response(ClientRegistrar.Registered registered) {
        Map<String, Object> json = new LinkedHashMap<>();
        String clientId = registered.client().getClientId();
        json.put("client_id", clientId);
        if (registered.client().getClientIdIssuedAt() != null) {
            json.put(
                    "client_id_issued_at",
                    registered.client().getClientIdIssuedAt().getEpochSecond());
        }
        if (registered.clientSecret() != null) {
            json.put("client_secret", registered.clientSecret());
            json.put("client_secret_expires_at", 0);
        }
        if (registered.registrationAccessToken() != null) {
            json.put("registration_access_token", registered.registrationAccessToken());
        }
        json.put("registration_client_uri", urls.url(SmartAuthPaths.REGISTER + "/" + clientId));
        json.put(
                "registration_status",
                Objects.requireNonNull(registered.registration())
                        .status()
                        .name()
                        .toLowerCase());
        json.putAll(registered.metadata().toJson());
        return json;
    }

    private static ResponseEntity<Map<String, Object>> json(HttpStatus status, Map<String, Object> body) {
        return ResponseEntity.status(status)
                .cacheControl(CacheControl.noStore())
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }
}
