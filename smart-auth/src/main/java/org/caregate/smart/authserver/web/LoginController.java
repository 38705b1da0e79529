package org.caregate.smart.authserver.web;

import jakarta.servlet.http.HttpSession;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.caregate.smart.authserver.account.AccountProperties;
import org.caregate.smart.authserver.account.SessionGuardFilter;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The login page. The form posts to the same URL, where Spring Security's form login (in the authorization
 * server's filter chain) checks the password and returns the browser to the page that asked for the login. The page
 * says why it is shown again: a wrong password, a locked user name, a session ended after idle minutes, a new
 * password.
 */
@Controller
public class LoginController {

    private final AccountProperties properties;

    public LoginController(AccountProperties properties) {
        this.properties = properties;
    }

    @GetMapping(SmartAuthPaths.LOGIN)
    public String login(HttpSession session, Model model) {
        if (Boolean.TRUE.equals(session.getAttribute(SessionGuardFilter.IDLE_ENDED))) {
            session.removeAttribute(SessionGuardFilter.IDLE_ENDED);
            model.addAttribute("idle", true);
        }
        model.addAttribute("idleMinutes", properties.idleTimeout().toMinutes());
        model.addAttribute("lockoutMinutes", properties.lockoutDuration().toMinutes());
        model.addAttribute("activationUrl", properties.activationPage().isBlank() ? null : properties.activationPage());
        return "smart-auth/login";
    }
}
