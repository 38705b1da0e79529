package org.caregate.server.portal.admin;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.caregate.server.portal.PortalAccountFilter;
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
 * Site administration, {@code /portal/admin/staff}: the staff accounts of the administrator's organisation, a form to
 * add one, and buttons to terminate or reactivate one. The portal's chain admits site administrators only; every
 * action is checked again against the administrator's organisation by {@link StaffAccounts}.
 */
@Controller
class StaffAdminController {

    private static final String STAFF_PAGE = "/portal/admin/staff";

    private final StaffAccounts staff;
    private final SiteAccessReview review;

    StaffAdminController(StaffAccounts staff, SiteAccessReview review) {
        this.staff = staff;
        this.review = review;
    }

    /** The 90-day site audit: the administrator has reviewed every account below and attests. */
    @PostMapping(STAFF_PAGE + "/attest")
    String attest(@RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin, RedirectAttributes redirect) {
        review.attest(admin);
        redirect.addFlashAttribute(
                "notice",
                "Access review recorded. The next one is due in " + SiteAccessReview.PERIOD.toDays() + " days.");
        return "redirect:" + STAFF_PAGE;
    }

    @GetMapping({"/portal/admin", "/portal/admin/"})
    String admin() {
        return "redirect:" + STAFF_PAGE;
    }

    @GetMapping(STAFF_PAGE)
    String list(@RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin, Model model) {
        return page(admin, model, NewStaffMember.empty(), List.of());
    }

    @PostMapping(STAFF_PAGE)
    String add(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin,
            @ModelAttribute NewStaffMember form,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        List<String> problems = staff.add(admin, form);
        if (!problems.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return page(admin, model, form.withoutPassword(), problems);
        }
        redirect.addFlashAttribute(
                "notice",
                "Account '" + form.username().strip().toLowerCase(java.util.Locale.ROOT)
                        + "' created. It can sign in now.");
        return "redirect:" + STAFF_PAGE;
    }

    @PostMapping(STAFF_PAGE + "/{username}/terminate")
    String terminate(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin,
            @PathVariable String username,
            RedirectAttributes redirect) {
        UserAccount target = staff.terminate(admin, username);
        redirect.addFlashAttribute(
                "notice",
                "Access of " + target.displayName() + " (" + target.username()
                        + ") is terminated, from their next request on.");
        return "redirect:" + STAFF_PAGE;
    }

    @PostMapping(STAFF_PAGE + "/{username}/plan-termination")
    String planTermination(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin,
            @PathVariable String username,
            @RequestParam(name = "lastDay", required = false) String lastDay,
            RedirectAttributes redirect) {
        java.time.LocalDate day;
        try {
            day = lastDay == null || lastDay.isBlank() ? null : java.time.LocalDate.parse(lastDay.strip());
        } catch (java.time.format.DateTimeParseException e) {
            day = null;
        }
        java.time.Instant due = staff.planTermination(admin, username, day);
        redirect.addFlashAttribute(
                "notice", "Access of " + username + " ends at the end of " + day + "; it stays active until then.");
        return "redirect:" + STAFF_PAGE;
    }

    @PostMapping(STAFF_PAGE + "/{username}/activate")
    String activate(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount admin,
            @PathVariable String username,
            RedirectAttributes redirect) {
        UserAccount target = staff.activate(admin, username);
        redirect.addFlashAttribute("notice", target.displayName() + " (" + target.username() + ") is active again.");
        return "redirect:" + STAFF_PAGE;
    }

    private String page(UserAccount admin, Model model, NewStaffMember form, List<String> problems) {
        model.addAttribute("suspendedForReview", review.suspendIfOverdue(admin.organizationId()));
        model.addAttribute("review", review.status(admin.organizationId()));
        model.addAttribute("account", admin);
        model.addAttribute("staff", staff.staffOf(admin));
        model.addAttribute("planned", staff.plannedTerminations(admin));
        model.addAttribute("voluntaryDays", StaffAccounts.VOLUNTARY_TERMINATION_DAYS);
        model.addAttribute("form", form);
        model.addAttribute("problems", problems);
        model.addAttribute("roles", StaffAccounts.ASSIGNABLE_ROLES);
        model.addAttribute("minPasswordLength", StaffAccounts.MIN_PASSWORD_LENGTH);
        return "portal/staff";
    }
}
