package org.caregate.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.caregate.smart.authserver.user.UserAccount;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;

/** {@code /portal/}: who is signed in, and links to the pages their roles open. */
@Controller
class PortalHomeController {

    private final OrganizationNames organizations;

    PortalHomeController(OrganizationNames organizations) {
        this.organizations = organizations;
    }

    @GetMapping("/portal")
    String portal() {
        return "redirect:/portal/";
    }

    @GetMapping("/portal/")
    String home(@RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount account, Model model) {
        model.addAttribute("account", account);
        model.addAttribute(
                "organizationName", organizations.find(account.organizationId()).orElse(account.organizationId()));
        model.addAttribute("careStaff", PortalRoles.isCareStaff(account));
        model.addAttribute("siteAdmin", PortalRoles.isSiteAdmin(account));
        model.addAttribute("careGateAdmin", PortalRoles.isCareGateAdmin(account));
        return "portal/home";
    }

    /** Where Spring Security forwards a request the account's roles do not open (CSRF failures too). */
    @RequestMapping(PortalSecurityConfig.FORBIDDEN_PAGE)
    String forbidden(Model model, HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("account", request.getAttribute(PortalAccountFilter.ACCOUNT));
        model.addAttribute("status", HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("title", "Not allowed");
        model.addAttribute(
                "reason",
                "Your account's roles do not open this page, or the form had expired"
                        + " (reload the page and try again).");
        return "portal/error";
    }
}
