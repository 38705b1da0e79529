package org.caregate.smart.authserver.web;

import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.caregate.smart.authserver.authentication.SmartAuthorizationRequestValidators;
import org.caregate.smart.authserver.context.AccessCheck;
import org.caregate.smart.authserver.context.LaunchAttributes;
import org.caregate.smart.authserver.context.LaunchContext;
import org.caregate.smart.authserver.context.LaunchContextService;
import org.caregate.smart.authserver.context.PatientAccessDirectory;
import org.caregate.smart.authserver.context.PatientChoice;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.scope.GranularScopeOptions;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The steps between login and authorization code: launch context, patient picker, approval.
 *
 * <p>SAS saves the pending authorization (with a {@code state} of its own) and sends the browser to
 * {@link SmartAuthPaths#CONSENT}. There, once per authorization:
 * <ul>
 *   <li>EHR launch ({@code launch} parameter): the launch context is redeemed for this user and client, giving the
 *       patient and encounter;</li>
 *   <li>standalone launch with {@code launch/patient}: the user picks one of
 *       {@link PatientAccessDirectory#permittedPatients} on {@link SmartAuthPaths#PICKER} (skipped when there is only
 *       one); the choice is checked with {@link PatientAccessDirectory#checkAccess};</li>
 * </ul>
 * and the result is stored in the authorization's attributes ({@link LaunchAttributes}). Then the approval page lists
 * the requested scopes in plain words with a tick box each; it posts the ticked ones to SAS's authorization
 * endpoint, which issues the code for exactly those. A launch that cannot be honoured is answered to the client's
 * redirect URI with {@code access_denied} or {@code invalid_request} (RFC 6749, section 4.1.2.1).
 */
@Controller
public class AuthorizationApprovalController {

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);

    private final OAuth2AuthorizationService authorizations;
    private final RegisteredClientRepository clients;
    private final UserAccountService users;
    private final PatientAccessDirectory directory;
    private final LaunchContextService launchContexts;
    private final Clock clock;
    private final org.springframework.context.MessageSource messages;

    public AuthorizationApprovalController(
            OAuth2AuthorizationService authorizations,
            RegisteredClientRepository clients,
            UserAccountService users,
            PatientAccessDirectory directory,
            LaunchContextService launchContexts,
            Clock clock,
            org.springframework.context.MessageSource messages) {
        this.messages = messages;
        this.authorizations = authorizations;
        this.clients = clients;
        this.users = users;
        this.directory = directory;
        this.launchContexts = launchContexts;
        this.clock = clock;
    }

    /** A pending authorization of the logged-in user, with what the pages need. */
    private record Pending(
            OAuth2Authorization authorization,
            OAuth2AuthorizationRequest request,
            RegisteredClient client,
            UserAccount user,
            String state) {}

    @GetMapping(SmartAuthPaths.CONSENT)
    public String approval(
            @RequestParam(OAuth2ParameterNames.STATE) String state,
            Authentication principal,
            Model model,
            HttpServletResponse response) {
        Optional<Pending> found = pending(state, principal);
        if (found.isEmpty()) {
            return expired(model, response);
        }
        Pending pending = found.get();
        if (!pending.user().isActive()) {
            return denyToClient(pending, OAuth2ErrorCodes.ACCESS_DENIED, "the user account is not active");
        }
        if (!LaunchAttributes.isResolved(pending.authorization())) {
            String next = resolveLaunch(pending);
            if (next != null) {
                return next;
            }
            pending = pending(state, principal).orElseThrow();
        }
        pending = withCategoryOptions(pending);
        String patientId = LaunchAttributes.patient(pending.authorization());
        model.addAttribute("clientName", pending.client().getClientName());
        model.addAttribute("clientId", pending.client().getClientId());
        model.addAttribute("state", state);
        model.addAttribute("authorizeUri", SmartAuthPaths.AUTHORIZE);
        model.addAttribute(
                "scopes",
                ScopeDescriptions.describe(
                        GranularScopeOptions.withoutOptions(pending.request().getScopes()),
                        messages,
                        org.springframework.context.i18n.LocaleContextHolder.getLocale()));
        model.addAttribute("user", pending.user());
        model.addAttribute("patient", patientId == null ? null : patientChoice(pending.user(), patientId));
        return "smart-auth/approval";
    }

    @GetMapping(SmartAuthPaths.PICKER)
    public String picker(
            @RequestParam(OAuth2ParameterNames.STATE) String state,
            Authentication principal,
            Model model,
            HttpServletResponse response) {
        Optional<Pending> found = pending(state, principal);
        if (found.isEmpty()) {
            return expired(model, response);
        }
        return showPicker(found.get(), model, null);
    }

    @PostMapping(SmartAuthPaths.PICKER)
    public String pick(
            @RequestParam(OAuth2ParameterNames.STATE) String state,
            @RequestParam(name = "patient", required = false) String patientId,
            Authentication principal,
            Model model,
            HttpServletResponse response) {
        Optional<Pending> found = pending(state, principal);
        if (found.isEmpty()) {
            return expired(model, response);
        }
        Pending pending = found.get();
        Instant now = clock.instant();
        boolean offered = patientId != null
                && directory.permittedPatients(pending.user(), now).stream()
                        .anyMatch(choice -> choice.patientId().equals(patientId));
        if (!offered) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return showPicker(pending, model, "Choose one of the patients listed.");
        }
        AccessCheck check = directory.checkAccess(pending.user(), patientId, now);
        if (!check.permitted()) {
            response.setStatus(HttpStatus.FORBIDDEN.value());
            return showPicker(pending, model, check.reason());
        }
        saveLaunch(pending, patientId, null, LaunchAttributes.STANDALONE);
        return "redirect:" + SmartAuthPaths.CONSENT + "?state=" + urlEncode(state);
    }

    private String showPicker(Pending pending, Model model, String error) {
        model.addAttribute("clientName", pending.client().getClientName());
        model.addAttribute("state", pending.state());
        model.addAttribute("user", pending.user());
        model.addAttribute("patients", directory.permittedPatients(pending.user(), clock.instant()));
        model.addAttribute("error", error);
        return "smart-auth/picker";
    }

    /** Settles the launch context; returns where to go next, or null when the approval page can be shown. */
    private String resolveLaunch(Pending pending) {
        Instant now = clock.instant();
        Object launch = pending.request().getAdditionalParameters().get(SmartAuthorizationRequestValidators.LAUNCH);
        if (launch instanceof String launchId) {
            Optional<LaunchContext> context = launchContexts.consume(
                    launchId, pending.user().username(), pending.client().getClientId());
            if (context.isEmpty()) {
                return denyToClient(
                        pending,
                        OAuth2ErrorCodes.INVALID_REQUEST,
                        "the launch is unknown, expired, already used, or was made for another user");
            }
            AccessCheck check =
                    directory.checkAccess(pending.user(), context.get().patientId(), now);
            if (!check.permitted()) {
                return denyToClient(pending, OAuth2ErrorCodes.ACCESS_DENIED, check.reason());
            }
            saveLaunch(pending, context.get().patientId(), context.get().encounterId(), LaunchAttributes.EHR);
            return null;
        }
        if (pending.request().getScopes().contains("launch/patient")) {
            List<PatientChoice> choices = directory.permittedPatients(pending.user(), now);
            if (choices.isEmpty()) {
                return denyToClient(
                        pending,
                        OAuth2ErrorCodes.ACCESS_DENIED,
                        "there is no patient whose records this user may open");
            }
            if (choices.size() > 1) {
                return "redirect:" + SmartAuthPaths.PICKER + "?state=" + urlEncode(pending.state());
            }
            String patientId = choices.get(0).patientId();
            AccessCheck check = directory.checkAccess(pending.user(), patientId, now);
            if (!check.permitted()) {
                return denyToClient(pending, OAuth2ErrorCodes.ACCESS_DENIED, check.reason());
            }
            saveLaunch(pending, patientId, null, LaunchAttributes.STANDALONE);
            return null;
        }
        saveLaunch(pending, null, null, null);
        return null;
    }

    /**
     * The category sub-scopes the page offers ({@link GranularScopeOptions}) become part of the pending request, so
     * that a person may tick them instead of the whole scope: the grant follows the ticks. Spring Authorization Server
     * grants only requested scopes; these narrow what the app asked for, never widen it.
     */
    private Pending withCategoryOptions(Pending pending) {
        Set<String> requested = pending.request().getScopes();
        Set<String> options = new LinkedHashSet<>();
        requested.forEach(scope -> options.addAll(GranularScopeOptions.of(scope)));
        if (requested.containsAll(options)) {
            return pending;
        }
        Set<String> scopes = new LinkedHashSet<>(requested);
        scopes.addAll(options);
        OAuth2AuthorizationRequest widened = OAuth2AuthorizationRequest.from(pending.request())
                .scopes(scopes)
                .build();
        OAuth2Authorization updated = OAuth2Authorization.from(pending.authorization())
                .attribute(OAuth2AuthorizationRequest.class.getName(), widened)
                .build();
        authorizations.save(updated);
        return new Pending(updated, widened, pending.client(), pending.user(), pending.state());
    }

    private void saveLaunch(Pending pending, String patientId, String encounterId, String kind) {
        OAuth2Authorization.Builder updated =
                OAuth2Authorization.from(pending.authorization()).attribute(LaunchAttributes.RESOLVED, Boolean.TRUE);
        if (patientId != null) {
            updated.attribute(LaunchAttributes.PATIENT, patientId).attribute(LaunchAttributes.KIND, kind);
        }
        if (encounterId != null) {
            updated.attribute(LaunchAttributes.ENCOUNTER, encounterId);
        }
        authorizations.save(updated.build());
    }

    private PatientChoice patientChoice(UserAccount user, String patientId) {
        return directory.permittedPatients(user, clock.instant()).stream()
                .filter(choice -> choice.patientId().equals(patientId))
                .findFirst()
                .orElse(new PatientChoice(patientId, patientId, null));
    }

    private Optional<Pending> pending(String state, Authentication principal) {
        if (!StringUtils.hasText(state) || principal == null) {
            return Optional.empty();
        }
        OAuth2Authorization authorization = authorizations.findByToken(state, STATE);
        if (authorization == null || !authorization.getPrincipalName().equals(principal.getName())) {
            return Optional.empty();
        }
        OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
        Optional<UserAccount> user = users.find(principal.getName());
        if (request == null || client == null || user.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Pending(authorization, request, client, user.get(), state));
    }

    /** Ends the pending authorization and sends the error to the client (RFC 6749, section 4.1.2.1). */
    private String denyToClient(Pending pending, String errorCode, String description) {
        authorizations.remove(pending.authorization());
        String redirectUri = StringUtils.hasText(pending.request().getRedirectUri())
                ? pending.request().getRedirectUri()
                : pending.client().getRedirectUris().iterator().next();
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(redirectUri)
                .queryParam(OAuth2ParameterNames.ERROR, errorCode)
                .queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION, description);
        if (StringUtils.hasText(pending.request().getState())) {
            uri.queryParam(OAuth2ParameterNames.STATE, pending.request().getState());
        }
        URI location = uri.encode().build().toUri();
        return "redirect:" + location;
    }

    private static String expired(Model model, HttpServletResponse response) {
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        model.addAttribute("messageKey", "error.expired-request");
        return "smart-auth/error";
    }

    private static String urlEncode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
