package org.caregate.server.portal.account;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Locale;
import org.caregate.smart.authserver.account.PasswordRules;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** {@value #PAGE}: self-registration of a patient by proving identity ({@link IdentityProofing}). Open to all. */
@Controller
class RegistrationController {

    static final String PAGE = "/portal/account/register";

    private final IdentityProofing proofing;
    private final PasswordRules passwordRules;
    private final MessageSource messages;

    RegistrationController(IdentityProofing proofing, PasswordRules passwordRules, MessageSource messages) {
        this.proofing = proofing;
        this.passwordRules = passwordRules;
        this.messages = messages;
    }

    @GetMapping(PAGE)
    String form(Model model) {
        return page(model, IdentityProofing.Form.empty(), List.of());
    }

    @PostMapping(PAGE)
    String register(
            @ModelAttribute IdentityProofing.Form form,
            HttpSession session,
            Model model,
            Locale locale,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        IdentityProofing.Outcome outcome = proofing.register(form, session.getId());
        if (!outcome.problems().isEmpty()) {
            response.setStatus(outcome.locked() ? 429 : HttpServletResponse.SC_BAD_REQUEST);
            return page(
                    model,
                    form.withoutPasswords(),
                    outcome.problems().stream()
                            .map(p -> messages.getMessage(p, locale))
                            .toList());
        }
        redirect.addFlashAttribute("username", outcome.username());
        return "redirect:" + AccountSetupController.DONE_PAGE;
    }

    private String page(Model model, IdentityProofing.Form form, List<String> problems) {
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        model.addAttribute("minLength", passwordRules.minLength());
        return "portal/account-register";
    }
}
