package org.caregate.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** Renders a {@link PortalRefusal} of any portal controller as the portal's error page, with its status. */
@ControllerAdvice(basePackageClasses = PortalErrorAdvice.class)
class PortalErrorAdvice {

    @ExceptionHandler(PortalRefusal.class)
    String refused(PortalRefusal refusal, Model model, HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(refusal.status().value());
        model.addAttribute("account", request.getAttribute(PortalAccountFilter.ACCOUNT));
        model.addAttribute("status", refusal.status().value());
        model.addAttribute("title", refusal.title());
        model.addAttribute("reason", refusal.getMessage());
        model.addAttribute("rule", refusal.rule());
        return "portal/error";
    }
}
