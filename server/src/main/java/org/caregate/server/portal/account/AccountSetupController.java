package org.caregate.server.portal.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.caregate.server.portal.PortalAccountFilter;
import org.caregate.smart.authserver.account.PasswordRules;
import org.caregate.smart.authserver.user.UserAccount;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@value AccountInvitations#SETUP_PAGE}: where a patient redeems an activation code and a guardian an invitation
 * ({@link AccountSetup}). Open to everyone (the code is the credential); in English and Spanish.
 */
@Controller
class AccountSetupController {

    static final String DONE_PAGE = "/portal/account/ready";

    private final AccountSetup setup;
    private final PasswordRules passwordRules;
    private final MessageSource messages;

    AccountSetupController(AccountSetup setup, PasswordRules passwordRules, MessageSource messages) {
        this.setup = setup;
        this.passwordRules = passwordRules;
        this.messages = messages;
    }

    @GetMapping(AccountInvitations.SETUP_PAGE)
    String form(
            @RequestParam(name = "code", required = false) String code,
            HttpServletRequest request,
            Model model,
            Locale locale,
            HttpServletResponse response) {
        AccountSetup.Form form = AccountSetup.Form.of(code);
        if (code != null && !code.isBlank()) {
            AccountSetup.CodeCheck check = setup.check(code);
            if (!check.usable()) {
                response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            }
            model.addAttribute("check", check);
            if (check.refusal() != null) {
                model.addAttribute("refusal", messages.getMessage(check.refusal(), locale));
            } else if (!check.usable()) {
                model.addAttribute("refusal", messages.getMessage("setup.code." + check.state(), null, locale));
            }
            if (check.email() != null) {
                form = new AccountSetup.Form(code, "", check.email(), "", "");
            }
        }
        return page(request, model, form, java.util.List.of());
    }

    @PostMapping(AccountInvitations.SETUP_PAGE)
    String redeem(
            @ModelAttribute AccountSetup.Form form,
            HttpServletRequest request,
            Model model,
            Locale locale,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        UserAccount signedIn = (UserAccount) request.getAttribute(PortalAccountFilter.ACCOUNT);
        AccountSetup.Outcome outcome = setup.redeem(form, signedIn);
        if (!outcome.problems().isEmpty()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("check", setup.check(form.code()));
            return page(
                    request,
                    model,
                    form.withoutPasswords(),
                    outcome.problems().stream()
                            .map(p -> messages.getMessage(p, locale))
                            .toList());
        }
        redirect.addFlashAttribute("username", outcome.username());
        redirect.addFlashAttribute("added", outcome.addedToExistingAccount());
        return "redirect:" + DONE_PAGE;
    }

    @GetMapping(DONE_PAGE)
    String ready(Model model) {
        return "portal/account-ready";
    }

    private String page(
            HttpServletRequest request, Model model, AccountSetup.Form form, java.util.List<String> problems) {
        UserAccount signedIn = (UserAccount) request.getAttribute(PortalAccountFilter.ACCOUNT);
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        model.addAttribute("minLength", passwordRules.minLength());
        model.addAttribute(
                "signedInGuardian",
                signedIn != null && signedIn.kind() == org.caregate.smart.authserver.user.UserKind.RELATED_PERSON
                        ? signedIn
                        : null);
        return "portal/account-setup";
    }
}
