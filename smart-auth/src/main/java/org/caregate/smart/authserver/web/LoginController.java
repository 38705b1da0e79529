package org.caregate.smart.authserver.web;

import org.caregate.smart.authserver.SmartAuthPaths;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The login page. The form posts to the same URL, where Spring Security's form login (in the authorization
 * server's filter chain) checks the password and returns the browser to the page that asked for the login.
 */
@Controller
public class LoginController {

    @GetMapping(SmartAuthPaths.LOGIN)
    public String login() {
        return "smart-auth/login";
    }
}
