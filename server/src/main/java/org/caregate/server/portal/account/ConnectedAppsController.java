package org.caregate.server.portal.account;

import org.caregate.server.portal.PortalAccountFilter;
import org.caregate.smart.authserver.account.AccountAuthorizations;
import org.caregate.smart.authserver.user.UserAccount;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@value #PAGE}: the apps the signed-in person has allowed (as the approval page promises), each with a button
 * that revokes it: its refresh tokens end and its access tokens are refused at {@code /fhir} from the next request.
 */
@Controller
class ConnectedAppsController {

    static final String PAGE = "/portal/account/apps";

    private final AccountAuthorizations authorizations;

    ConnectedAppsController(AccountAuthorizations authorizations) {
        this.authorizations = authorizations;
    }

    @GetMapping(PAGE)
    String apps(@RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount account, Model model) {
        model.addAttribute("account", account);
        model.addAttribute("apps", authorizations.connectedApps(account.username()));
        return "portal/connected-apps";
    }

    @PostMapping(PAGE + "/{clientId}/revoke")
    String revoke(
            @RequestAttribute(PortalAccountFilter.ACCOUNT) UserAccount account,
            @PathVariable String clientId,
            RedirectAttributes redirect) {
        String name = authorizations.connectedApps(account.username()).stream()
                .filter(app -> app.clientId().equals(clientId))
                .map(AccountAuthorizations.ConnectedApp::clientName)
                .findFirst()
                .orElse(clientId);
        authorizations.revoke(account.username(), clientId);
        redirect.addFlashAttribute("revoked", name);
        return "redirect:" + PAGE;
    }
}
