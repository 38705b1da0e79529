package org.caregate.server.portal.onboarding;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import org.caregate.server.portal.PortalAccountFilter;
import org.caregate.smart.authserver.account.PasswordRules;
import org.caregate.smart.authserver.user.UserAccount;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The pages of community-provider onboarding ({@link AccessRequests}): the request form ({@value #REQUEST}, open to
 * all), the sponsor's list ({@value #SPONSOR}) and the CareGate administrator's ({@value #ADMIN}).
 */
@Controller
class OnboardingController {

    static final String REQUEST = "/portal/account/request";
    static final String SPONSOR = "/portal/sponsor";
    static final String ADMIN = "/portal/admin/access-requests";

    private final AccessRequests requests;
    private final PasswordRules passwordRules;

    OnboardingController(AccessRequests requests, PasswordRules passwordRules) {
        this.requests = requests;
        this.passwordRules = passwordRules;
    }

    @GetMapping(REQUEST)
    String form(Model model) {
        return form(model, AccessRequests.Form.empty(), List.of(), false);
    }

    @PostMapping(REQUEST)
    String request(@ModelAttribute AccessRequests.Form form, Model model, Locale locale, HttpServletResponse response) {
        List<String> problems = requests.request(form, locale);
        if (!problems.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return form(model, form.withoutPasswords(), problems, false);
        }
        return form(model, AccessRequests.Form.empty(), List.of(), true);
    }

    @GetMapping(SPONSOR)
    String sponsorPage(@RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount sponsor, Model model) {
        model.addAttribute("account", sponsor);
        model.addAttribute("requests", requests.forSponsor(sponsor));
        model.addAttribute("mode", "sponsor");
        return "portal/access-requests";
    }

    @PostMapping(SPONSOR + "/{id}/{decision:sponsor|decline}")
    String sponsor(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount sponsor,
            @PathVariable String id,
            @PathVariable String decision,
            RedirectAttributes redirect) {
        requests.sponsor(sponsor, id, decision.equals("sponsor"));
        redirect.addFlashAttribute(
                "notice",
                decision.equals("sponsor")
                        ? "Sponsored: a CareGate administrator reviews the request next."
                        : "Declined.");
        return "redirect:" + SPONSOR;
    }

    @GetMapping(ADMIN)
    String adminPage(@RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount administrator, Model model) {
        model.addAttribute("account", administrator);
        model.addAttribute("requests", requests.forAdministrator());
        model.addAttribute("mode", "admin");
        return "portal/access-requests";
    }

    @PostMapping(ADMIN + "/{id}/{decision:approve|decline|trained}")
    String decide(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount administrator,
            @PathVariable String id,
            @PathVariable String decision,
            RedirectAttributes redirect) {
        String notice;
        if (decision.equals("trained")) {
            notice =
                    "Training recorded: the account is active from " + requests.recordTraining(administrator, id) + ".";
        } else {
            requests.approve(administrator, id, decision.equals("approve"));
            notice = decision.equals("approve")
                    ? "Approved: the account exists and becomes active the day after the training is recorded."
                    : "Declined.";
        }
        redirect.addFlashAttribute("notice", notice);
        return "redirect:" + ADMIN;
    }

    private String form(Model model, AccessRequests.Form form, List<String> problems, boolean sent) {
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        model.addAttribute("sent", sent);
        model.addAttribute("roles", AccessRequests.ROLES);
        model.addAttribute("minLength", passwordRules.minLength());
        return "portal/access-request";
    }
}
