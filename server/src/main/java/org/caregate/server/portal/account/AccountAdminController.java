package org.caregate.server.portal.account;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Optional;
import org.caregate.server.portal.PortalAccountFilter;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.web.Languages;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@value #PAGE}, for the hospital's CareGate administrators: an activation code for a patient (to print and hand
 * over at a visit or send by post, and e-mailed when an address is given or on record) and an e-mailed invitation
 * for a guardian documented as a RelatedPerson; sending either again replaces the earlier one. The language of the
 * e-mail and of the printed link is chosen on the form.
 */
@Controller
class AccountAdminController {

    static final String PAGE = "/portal/admin/accounts";
    private static final String ID_PATTERN = "[A-Za-z0-9\\-.]{1,64}";

    private final AccountInvitations invitations;
    private final PersonRecords records;

    AccountAdminController(AccountInvitations invitations, PersonRecords records) {
        this.invitations = invitations;
        this.records = records;
    }

    @GetMapping(PAGE)
    String page(@RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount staff, Model model) {
        model.addAttribute("account", staff);
        return "portal/accounts";
    }

    @PostMapping(PAGE + "/activation")
    String activation(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount staff,
            @RequestParam(defaultValue = "") String patientId,
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "en") String language,
            Model model,
            HttpServletResponse response) {
        model.addAttribute("account", staff);
        Optional<Patient> patient =
                patientId.strip().matches(ID_PATTERN) ? records.patient(patientId.strip()) : Optional.empty();
        if (patient.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("problem", "There is no Patient with id '" + patientId.strip() + "'.");
            return "portal/accounts";
        }
        Locale locale = locale(language);
        AccountInvitations.Issued issued = invitations.activationCode(staff, patient.get(), email, locale);
        show(
                model,
                issued,
                "Activation code for " + PersonRecords.name(patient.get().getName()),
                locale);
        return "portal/accounts";
    }

    @PostMapping(PAGE + "/invitation")
    String invitation(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount staff,
            @RequestParam(defaultValue = "") String relatedPersonId,
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "en") String language,
            Model model,
            HttpServletResponse response) {
        model.addAttribute("account", staff);
        Optional<RelatedPerson> relatedPerson = relatedPersonId.strip().matches(ID_PATTERN)
                ? records.relatedPerson(relatedPersonId.strip())
                : Optional.empty();
        if (relatedPerson.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("problem", "There is no RelatedPerson with id '" + relatedPersonId.strip() + "'.");
            return "portal/accounts";
        }
        if (email.isBlank()
                && PersonRecords.email(relatedPerson.get().getTelecom()).isEmpty()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute(
                    "problem",
                    "RelatedPerson '" + relatedPersonId.strip() + "' has no e-mail address on"
                            + " record: type the address the invitation goes to.");
            return "portal/accounts";
        }
        Locale locale = locale(language);
        AccountInvitations.Issued issued = invitations.guardianInvitation(staff, relatedPerson.get(), email, locale);
        show(
                model,
                issued,
                "Invitation for " + PersonRecords.name(relatedPerson.get().getName()),
                locale);
        return "portal/accounts";
    }

    private void show(Model model, AccountInvitations.Issued issued, String heading, Locale locale) {
        model.addAttribute("issued", issued);
        model.addAttribute("issuedHeading", heading);
        model.addAttribute("issuedLink", invitations.setupLink(issued.code().code(), locale));
    }

    private static Locale locale(String language) {
        Locale locale = Languages.supported(language);
        return locale == null ? Languages.ENGLISH : locale;
    }
}
