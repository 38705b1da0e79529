package org.caregate.server.portal.clients;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.caregate.server.portal.OrganizationNames;
import org.caregate.server.portal.PortalAccountFilter;
import org.caregate.server.portal.PortalRefusal;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.client.ClientRegistry;
import org.caregate.smart.authserver.registration.ClientMetadata;
import org.caregate.smart.authserver.registration.ClientRegistrar;
import org.caregate.smart.authserver.registration.InitialAccessTokens;
import org.caregate.smart.authserver.registration.RegistrationException;
import org.caregate.smart.authserver.user.UserAccount;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Client administration for CareGate administrators (hospital IT), {@code /portal/admin/clients}: every registered
 * client with its review status; the review of one (redirect URIs, scopes, keys, organisation) with Approve, Disable
 * and Rotate secret; initial access tokens for developers (RFC 7591); and a form to register a client directly (then
 * approved at once: the administrator is the reviewer). Secrets and tokens are shown once, right after they are made.
 * The portal's chain admits accounts with the {@code caregate-admin} role only.
 */
@Controller
class ClientAdminController {

    static final String CLIENTS_PAGE = "/portal/admin/clients";

    private final ClientRegistry registry;
    private final ClientRegistrar registrar;
    private final InitialAccessTokens initialAccessTokens;
    private final OrganizationNames organizations;
    private final SmartAuthUrls urls;

    ClientAdminController(
            ClientRegistry registry,
            ClientRegistrar registrar,
            InitialAccessTokens initialAccessTokens,
            OrganizationNames organizations,
            SmartAuthUrls urls) {
        this.registry = registry;
        this.registrar = registrar;
        this.initialAccessTokens = initialAccessTokens;
        this.organizations = organizations;
        this.urls = urls;
    }

    @GetMapping(CLIENTS_PAGE)
    String list(@RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin, Model model) {
        return listPage(admin, model, ClientForm.empty(), null);
    }

    @PostMapping(CLIENTS_PAGE + "/initial-access-tokens")
    String issueInitialAccessToken(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin,
            @RequestParam(required = false) String note,
            RedirectAttributes redirect) {
        InitialAccessTokens.Issued issued =
                initialAccessTokens.issue(admin.username(), note == null || note.isBlank() ? null : note.strip());
        redirect.addFlashAttribute("initialAccessToken", issued.token());
        redirect.addFlashAttribute("initialAccessTokenExpiresAt", issued.expiresAt());
        return "redirect:" + CLIENTS_PAGE;
    }

    @PostMapping(CLIENTS_PAGE)
    String register(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin,
            @ModelAttribute ClientForm form,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        ClientRegistrar.Registered registered;
        try {
            registered = registrar.registerByAdministrator(form.toMetadata(), admin.username());
        } catch (RegistrationException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return listPage(admin, model, form, e.getMessage());
        }
        String clientId = registered.client().getClientId();
        redirect.addFlashAttribute(
                "notice", "Client '" + registered.client().getClientName() + "' is registered and approved.");
        redirect.addFlashAttribute("clientSecret", registered.clientSecret());
        return "redirect:" + CLIENTS_PAGE + "/" + clientId;
    }

    @GetMapping(CLIENTS_PAGE + "/{clientId}")
    String review(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin,
            @PathVariable String clientId,
            Model model) {
        ClientRegistry.Entry entry = entry(clientId);
        ClientMetadata metadata = ClientRegistrar.metadataOf(entry);
        model.addAttribute("account", admin);
        model.addAttribute("entry", entry);
        model.addAttribute("metadata", metadata);
        model.addAttribute(
                "organizationName",
                metadata.organization() == null
                        ? null
                        : organizations.find(metadata.organization()).orElse(null));
        model.addAttribute("hasSecret", entry.client().getClientSecret() != null);
        return "portal/client";
    }

    @PostMapping(CLIENTS_PAGE + "/{clientId}/approve")
    String approve(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin,
            @PathVariable String clientId,
            RedirectAttributes redirect) {
        change(clientId, () -> registry.approve(clientId, admin.username()));
        redirect.addFlashAttribute("notice", "Approved: the client can be used from now on.");
        return "redirect:" + CLIENTS_PAGE + "/" + clientId;
    }

    @PostMapping(CLIENTS_PAGE + "/{clientId}/disable")
    String disable(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin,
            @PathVariable String clientId,
            RedirectAttributes redirect) {
        change(clientId, () -> registry.disable(clientId, admin.username()));
        redirect.addFlashAttribute(
                "notice",
                "Disabled: its access tokens are refused from now on, and it can no" + " longer get new ones.");
        return "redirect:" + CLIENTS_PAGE + "/" + clientId;
    }

    @PostMapping(CLIENTS_PAGE + "/{clientId}/rotate-secret")
    String rotateSecret(@PathVariable String clientId, RedirectAttributes redirect) {
        entry(clientId);
        String secret;
        try {
            secret = registrar.rotateSecret(clientId);
        } catch (IllegalStateException e) {
            throw PortalRefusal.badRequest("No secret to rotate", "This client does not authenticate with a secret.");
        }
        redirect.addFlashAttribute("clientSecret", secret);
        redirect.addFlashAttribute("notice", "New secret made: the old one no longer works.");
        return "redirect:" + CLIENTS_PAGE + "/" + clientId;
    }

    private String listPage(UserAccount admin, Model model, ClientForm form, String problem) {
        List<ClientRegistry.Entry> clients = registry.list();
        model.addAttribute("account", admin);
        model.addAttribute("clients", clients);
        model.addAttribute("form", form);
        model.addAttribute("problem", problem);
        model.addAttribute("registrationEndpoint", urls.url(SmartAuthPaths.REGISTER));
        return "portal/clients";
    }

    private ClientRegistry.Entry entry(String clientId) {
        return registry.entry(clientId)
                .orElseThrow(() -> PortalRefusal.notFound(
                        "Unknown client", "No registered client has the id '" + clientId + "'."));
    }

    private static void change(String clientId, Runnable change) {
        try {
            change.run();
        } catch (IllegalStateException e) {
            throw PortalRefusal.badRequest("Cannot change client " + clientId, e.getMessage());
        }
    }
}
