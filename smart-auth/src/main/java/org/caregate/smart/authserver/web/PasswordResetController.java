package org.caregate.smart.authserver.web;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.account.AccountCodes;
import org.caregate.smart.authserver.account.AccountCodes.CodeState;
import org.caregate.smart.authserver.account.AccountCodes.Purpose;
import org.caregate.smart.authserver.account.AccountEvent;
import org.caregate.smart.authserver.account.AccountMail;
import org.caregate.smart.authserver.account.AccountProperties;
import org.caregate.smart.authserver.account.LoginAttempts;
import org.caregate.smart.authserver.account.PasswordRules;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Password reset by an e-mailed link ({@code /auth/account/reset}): a person gives their user name or e-mail
 * address; if an active account with an e-mail address matches, a single-use link valid for
 * {@code caregate.accounts.password-reset-time-to-live} is sent there. The page answers the same whether or not an
 * account matched. The link opens a form for the new password; using it ends any lockout of the account.
 */
@Controller
public class PasswordResetController {

    private static final Logger log = LoggerFactory.getLogger(PasswordResetController.class);

    private final UserAccountService users;
    private final AccountCodes codes;
    private final AccountMail mail;
    private final LoginAttempts attempts;
    private final PasswordRules passwordRules;
    private final AccountProperties properties;
    private final SmartAuthUrls urls;
    private final MessageSource messages;
    private final ApplicationEventPublisher events;

    public PasswordResetController(
            UserAccountService users,
            AccountCodes codes,
            AccountMail mail,
            LoginAttempts attempts,
            PasswordRules passwordRules,
            AccountProperties properties,
            SmartAuthUrls urls,
            MessageSource messages,
            ApplicationEventPublisher events) {
        this.events = events;
        this.users = users;
        this.codes = codes;
        this.mail = mail;
        this.attempts = attempts;
        this.passwordRules = passwordRules;
        this.properties = properties;
        this.urls = urls;
        this.messages = messages;
    }

    @GetMapping(SmartAuthPaths.PASSWORD_RESET)
    public String requestForm() {
        return "smart-auth/reset-request";
    }

    @PostMapping(SmartAuthPaths.PASSWORD_RESET)
    public String request(
            @RequestParam(name = "identifier", defaultValue = "") String identifier, Model model, Locale locale) {
        String typed = identifier.strip();
        Optional<UserAccount> account = typed.contains("@")
                ? users.findByEmail(typed).stream()
                        .filter(UserAccount::isActive)
                        .findFirst()
                : users.find(typed).filter(UserAccount::isActive);
        account.ifPresent(user -> users.email(user.username()).ifPresent(email -> {
            AccountCodes.IssuedCode code = codes.issue(
                    Purpose.PASSWORD_RESET,
                    user.username(),
                    email,
                    user.username(),
                    properties.passwordResetTimeToLive());
            String link = UriComponentsBuilder.fromUriString(urls.url(SmartAuthPaths.PASSWORD_RESET_NEW))
                    .queryParam("code", code.code())
                    .queryParam("lang", locale.getLanguage())
                    .toUriString();
            try {
                mail.send(
                        email,
                        "password-reset",
                        locale,
                        user.displayName(),
                        link,
                        minutes(properties.passwordResetTimeToLive()),
                        user.username());
            } catch (AccountMail.MailUnavailableException e) {
                log.warn("password reset for {} not sent: {}", user.username(), e.getMessage());
            }
        }));
        model.addAttribute("sent", true);
        model.addAttribute("minutes", minutes(properties.passwordResetTimeToLive()));
        return "smart-auth/reset-request";
    }

    @GetMapping(SmartAuthPaths.PASSWORD_RESET_NEW)
    public String newPasswordForm(
            @RequestParam(name = "code", defaultValue = "") String code, Model model, HttpServletResponse response) {
        CodeState state = stateOf(code);
        if (state != CodeState.VALID) {
            return unusable(state, model, response);
        }
        model.addAttribute("code", code);
        model.addAttribute("minLength", passwordRules.minLength());
        return "smart-auth/reset-new";
    }

    @PostMapping(SmartAuthPaths.PASSWORD_RESET_NEW)
    public String setNewPassword(
            @RequestParam(name = "code", defaultValue = "") String code,
            @RequestParam(name = "password", defaultValue = "") String password,
            @RequestParam(name = "confirmation", defaultValue = "") String confirmation,
            Model model,
            Locale locale,
            HttpServletResponse response) {
        Optional<AccountCodes.CodeRecord> record =
                codes.find(code).filter(found -> found.purpose() == Purpose.PASSWORD_RESET);
        CodeState state = stateOf(code);
        if (record.isEmpty() || state != CodeState.VALID) {
            return unusable(state, model, response);
        }
        String username = record.get().subject();
        List<MessageSourceResolvable> problems = passwordRules.problems(password, confirmation, username);
        if (!problems.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("code", code);
            model.addAttribute("minLength", passwordRules.minLength());
            model.addAttribute(
                    "problems",
                    problems.stream().map(p -> messages.getMessage(p, locale)).toList());
            return "smart-auth/reset-new";
        }
        if (codes.consume(code, Purpose.PASSWORD_RESET).isEmpty()) {
            return unusable(CodeState.USED, model, response);
        }
        users.changePassword(username, password);
        attempts.clear(username);
        events.publishEvent(AccountEvent.of(
                AccountEvent.Type.PASSWORD_RESET,
                username,
                null,
                "e-mailed link",
                codes.clock().instant()));
        return "redirect:" + SmartAuthPaths.LOGIN + "?reset";
    }

    private CodeState stateOf(String code) {
        return codes.find(code)
                .filter(found -> found.purpose() == Purpose.PASSWORD_RESET)
                .map(found -> codes.state(code))
                .orElse(CodeState.UNKNOWN);
    }

    private String unusable(CodeState state, Model model, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        model.addAttribute("state", state.name());
        return "smart-auth/reset-unusable";
    }

    private static long minutes(Duration duration) {
        return duration.toMinutes();
    }
}
