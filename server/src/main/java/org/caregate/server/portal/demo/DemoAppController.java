package org.caregate.server.portal.demo;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.caregate.server.portal.PortalRefusal;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.client.ExampleClients;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.WebUtils;

/**
 * A tiny SMART app built into the portal, so that an EHR launch can be tried with nothing else installed. It is
 * the example public client ({@value ExampleClients#PUBLIC_APP}) and does what any SMART App Launch 2.2 app does,
 * over HTTP like a third-party app would:
 * <ol>
 *   <li>{@code /portal/demo-app/launch?iss&launch}: reads {@code iss}'s {@code .well-known/smart-configuration} and
 *       sends the browser to its {@code authorization_endpoint} with {@code launch}, {@code aud = iss}, PKCE
 *       ({@code S256}) and a {@code state} kept in the session;</li>
 *   <li>{@code /portal/demo-app/callback?code&state}: exchanges the code at the {@code token_endpoint} (server
 *       side), reads the launch patient from {@code iss} with the access token, and shows what it got.</li>
 * </ol>
 * It talks only to this server's FHIR base URL ({@code caregate.public-base-url} + {@code /fhir}), which must be
 * reachable from the server itself. It never shows the tokens.
 */
@Controller
class DemoAppController {

    static final String CALLBACK_PATH = "/portal/demo-app/callback";
    static final String SCOPE = "launch openid fhirUser patient/*.rs";
    private static final String PENDING = "caregate.portal.demoApp.pending";
    private static final int MAX_PENDING = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SmartAuthUrls urls;
    private final FhirContext fhirContext;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    DemoAppController(SmartAuthUrls urls, FhirContext fhirContext) {
        this.urls = urls;
        this.fhirContext = fhirContext;
    }

    /** An authorization request waiting for its callback. */
    record PendingLaunch(String iss, String tokenEndpoint, String codeVerifier) implements java.io.Serializable {}

    /** SMART App Launch 2.2, "EHR launch": the app receives {@code iss} and {@code launch}. */
    @GetMapping("/portal/demo-app/launch")
    RedirectView launch(
            @RequestParam(required = false) String iss,
            @RequestParam(required = false) String launch,
            HttpSession session) {
        if (iss == null || !iss.equals(urls.fhirBaseUrl())) {
            throw PortalRefusal.badRequest(
                    "The demo app cannot start",
                    "The demo app only connects to " + urls.fhirBaseUrl() + ", not to '" + iss + "'.");
        }
        if (launch == null || launch.isBlank()) {
            throw PortalRefusal.badRequest(
                    "The demo app cannot start", "No launch parameter: start the demo app from the provider portal.");
        }
        Map<String, Object> configuration = getJson(iss + "/.well-known/smart-configuration", null);
        String authorizationEndpoint = text(configuration, "authorization_endpoint");
        String tokenEndpoint = text(configuration, "token_endpoint");
        String state = random();
        String verifier = random();
        pending(session).put(state, new PendingLaunch(iss, tokenEndpoint, verifier));
        String location = UriComponentsBuilder.fromUriString(authorizationEndpoint)
                .queryParam("response_type", "code")
                .queryParam("client_id", ExampleClients.PUBLIC_APP)
                .queryParam("redirect_uri", urls.url(CALLBACK_PATH))
                .queryParam("scope", SCOPE)
                .queryParam("state", state)
                .queryParam("aud", iss)
                .queryParam("launch", launch)
                .queryParam("code_challenge", s256(verifier))
                .queryParam("code_challenge_method", "S256")
                .encode()
                .build()
                .toUriString();
        return new RedirectView(location);
    }

    @GetMapping(CALLBACK_PATH)
    String callback(
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String error,
            @RequestParam(name = "error_description", required = false) String errorDescription,
            HttpSession session,
            Model model) {
        PendingLaunch pending = state == null ? null : pending(session).remove(state);
        if (pending == null) {
            throw PortalRefusal.badRequest(
                    "The demo app cannot continue",
                    "This answer of the authorization server is unknown or was already used (state).");
        }
        if (error != null || code == null) {
            throw PortalRefusal.badRequest(
                    "The authorization server refused",
                    (error == null ? "no code" : error) + (errorDescription == null ? "" : ": " + errorDescription));
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", urls.url(CALLBACK_PATH));
        form.put("client_id", ExampleClients.PUBLIC_APP);
        form.put("code_verifier", pending.codeVerifier());
        Map<String, Object> token = postForm(pending.tokenEndpoint(), form);
        String accessToken = text(token, "access_token");
        Object patientId = token.get("patient");
        model.addAttribute("patientId", patientId);
        model.addAttribute("encounterId", token.get("encounter"));
        model.addAttribute("scope", token.get("scope"));
        model.addAttribute("expiresIn", token.get("expires_in"));
        model.addAttribute("needPatientBanner", token.get("need_patient_banner"));
        model.addAttribute("idToken", token.containsKey("id_token"));
        if (patientId instanceof String id && id.matches("[A-Za-z0-9\\-.]{1,64}")) {
            HttpResponse<String> read = get(pending.iss() + "/Patient/" + id, accessToken, "application/fhir+json");
            model.addAttribute("readStatus", read.statusCode());
            if (read.statusCode() == 200) {
                Patient patient = fhirContext.newJsonParser().parseResource(Patient.class, read.body());
                model.addAttribute(
                        "patientName",
                        patient.hasName() ? patient.getNameFirstRep().getNameAsSingleString() : "(no name recorded)");
                model.addAttribute(
                        "patientBirthDate", patient.getBirthDateElement().getValueAsString());
            }
        }
        return "portal/demo-app";
    }

    private static PendingLaunches pending(HttpSession session) {
        synchronized (WebUtils.getSessionMutex(session)) {
            if (!(session.getAttribute(PENDING) instanceof PendingLaunches launches)) {
                PendingLaunches created = new PendingLaunches();
                session.setAttribute(PENDING, created);
                return created;
            }
            return launches;
        }
    }

    /** The launches of one browser session waiting for their callback: a few at most (several tabs). */
    static final class PendingLaunches implements java.io.Serializable {

        private static final long serialVersionUID = 1L;
        private final LinkedHashMap<String, PendingLaunch> byState = new LinkedHashMap<>();

        synchronized void put(String state, PendingLaunch launch) {
            byState.put(state, launch);
            while (byState.size() > MAX_PENDING) {
                byState.remove(byState.keySet().iterator().next());
            }
        }

        /** The launch waiting for this state, once. */
        synchronized PendingLaunch remove(String state) {
            return byState.remove(state);
        }
    }

    private Map<String, Object> getJson(String url, String accessToken) {
        HttpResponse<String> response = get(url, accessToken, "application/json");
        if (response.statusCode() != 200) {
            throw new PortalRefusal(
                    HttpStatus.BAD_GATEWAY,
                    "The demo app cannot start",
                    "GET " + url + " answered " + response.statusCode() + ".",
                    null);
        }
        return parse(response.body(), url);
    }

    private HttpResponse<String> get(String url, String accessToken, String accept) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Accept", accept);
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        return send(request.GET().build());
    }

    private Map<String, Object> postForm(String url, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
        Map<String, Object> answer = parse(response.body(), url);
        if (response.statusCode() != 200) {
            throw new PortalRefusal(
                    HttpStatus.BAD_GATEWAY,
                    "The token request was refused",
                    answer.getOrDefault("error", response.statusCode()) + ": "
                            + answer.getOrDefault("error_description", ""),
                    null);
        }
        return answer;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PortalRefusal(
                    HttpStatus.BAD_GATEWAY,
                    "The demo app cannot reach the server",
                    request.method() + " " + request.uri() + " failed: " + e.getMessage(),
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> parse(String body, String url) {
        try {
            return json.readValue(body, new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new PortalRefusal(HttpStatus.BAD_GATEWAY, "Unexpected answer", url + " did not answer JSON.", null);
        }
    }

    private static String text(Map<String, Object> document, String name) {
        if (document.get(name) instanceof String value && !value.isBlank()) {
            return value;
        }
        throw new PortalRefusal(HttpStatus.BAD_GATEWAY, "Unexpected answer", "No '" + name + "' in the answer.", null);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** RFC 7636 section 4.2: {@code BASE64URL(SHA256(ASCII(code_verifier)))}. */
    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
