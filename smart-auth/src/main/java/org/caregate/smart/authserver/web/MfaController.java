package org.caregate.smart.authserver.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.caregate.smart.authserver.SmartAuthPaths;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.account.AccountCodes;
import org.caregate.smart.authserver.account.AccountEvent;
import org.caregate.smart.authserver.account.LoginAttempts;
import org.caregate.smart.authserver.account.MfaLogin;
import org.caregate.smart.authserver.account.Totp;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /auth/mfa}: the TOTP code after the password ({@link MfaLogin}). An enrolled account types the code of its
 * authenticator app, or one of its recovery codes; an account that must use TOTP and is not enrolled yet is shown a
 * new secret (text and {@code otpauth://} URI), confirms it with a first code, and is shown ten recovery codes once.
 * Wrong codes count as failed sign-ins of the user name ({@link LoginAttempts}): the lockout covers this step too.
 */
@Controller
public class MfaController {

    static final String ENROLMENT_SECRET = "caregate.mfa.enrolment-secret";
    private static final int RECOVERY_CODES = 10;
    private static final String RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private final MfaLogin mfa;
    private final UserAccountService users;
    private final LoginAttempts attempts;
    private final SmartAuthUrls urls;
    private final ApplicationEventPublisher events;
    private final SecureRandom random = new SecureRandom();

    public MfaController(
            MfaLogin mfa,
            UserAccountService users,
            LoginAttempts attempts,
            SmartAuthUrls urls,
            ApplicationEventPublisher events) {
        this.mfa = mfa;
        this.users = users;
        this.attempts = attempts;
        this.urls = urls;
        this.events = events;
    }

    @GetMapping(SmartAuthPaths.MFA)
    public String form(HttpServletRequest request, Model model) {
        Optional<Authentication> pending = mfa.pending(request);
        if (pending.isEmpty()) {
            return "redirect:" + SmartAuthPaths.LOGIN;
        }
        return page(request, pending.get().getName(), model, false);
    }

    @PostMapping(SmartAuthPaths.MFA)
    public String verify(
            @RequestParam(name = "code", defaultValue = "") String code,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model)
            throws IOException {
        Optional<Authentication> pending = mfa.pending(request);
        if (pending.isEmpty()) {
            return "redirect:" + SmartAuthPaths.LOGIN;
        }
        String username = pending.get().getName();
        if (attempts.lockedUntil(username).isPresent()) {
            mfa.abandon(request);
            return "redirect:" + SmartAuthPaths.LOGIN + "?locked";
        }
        Optional<String> enrolled = users.totpSecret(username);
        String secret = enrolled.orElseGet(() -> (String) request.getSession().getAttribute(ENROLMENT_SECRET));
        if (secret == null) {
            return "redirect:" + SmartAuthPaths.MFA;
        }
        OptionalLong step = Totp.matchingStep(secret, code, mfa.clock().instant());
        boolean accepted = step.isPresent() && (enrolled.isEmpty() || users.acceptTotpStep(username, step.getAsLong()));
        if (!accepted && enrolled.isPresent()) {
            accepted = users.useRecoveryCode(username, AccountCodes.hashOf(code));
        }
        if (!accepted) {
            events.publishEvent(AccountEvent.failed(
                    AccountEvent.Type.LOGIN_FAILED,
                    username,
                    "wrong TOTP code",
                    mfa.clock().instant()));
            if (attempts.recordFailure(username)) {
                mfa.abandon(request);
                return "redirect:" + SmartAuthPaths.LOGIN + "?locked";
            }
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return page(request, username, model, true);
        }
        attempts.clear(username);
        if (enrolled.isEmpty()) {
            List<String> recoveryCodes = recoveryCodes();
            users.enrolTotp(
                    username,
                    secret,
                    recoveryCodes.stream().map(AccountCodes::hashOf).toList());
            users.acceptTotpStep(username, step.getAsLong());
            events.publishEvent(AccountEvent.of(
                    AccountEvent.Type.MFA_ENROLLED,
                    username,
                    null,
                    "TOTP",
                    mfa.clock().instant()));
            request.getSession().removeAttribute(ENROLMENT_SECRET);
            model.addAttribute("recoveryCodes", recoveryCodes);
            model.addAttribute("next", mfa.complete(request, response, pending.get()));
            return "smart-auth/mfa-recovery";
        }
        events.publishEvent(AccountEvent.of(
                AccountEvent.Type.LOGIN, username, null, "TOTP", mfa.clock().instant()));
        return "redirect:" + mfa.complete(request, response, pending.get());
    }

    private String page(HttpServletRequest request, String username, Model model, boolean wrongCode) {
        boolean enrolled = users.totpSecret(username).isPresent();
        model.addAttribute("enrolling", !enrolled);
        model.addAttribute("wrongCode", wrongCode);
        if (!enrolled) {
            HttpSession session = request.getSession();
            String secret = (String) session.getAttribute(ENROLMENT_SECRET);
            if (secret == null) {
                secret = Totp.newSecret();
                session.setAttribute(ENROLMENT_SECRET, secret);
            }
            String displayName =
                    users.find(username).map(UserAccount::displayName).orElse(username);
            model.addAttribute("secret", secret.replaceAll("(.{4})(?!$)", "$1 "));
            model.addAttribute(
                    "otpauthUri",
                    Totp.uri("CareGate " + urls.issuer().replaceFirst("^https?://", ""), username, secret));
            model.addAttribute("displayName", displayName);
        }
        return "smart-auth/mfa";
    }

    private List<String> recoveryCodes() {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            StringBuilder code = new StringBuilder();
            for (int c = 0; c < 10; c++) {
                code.append(RECOVERY_ALPHABET.charAt(random.nextInt(RECOVERY_ALPHABET.length())));
                if (c == 4) {
                    code.append('-');
                }
            }
            codes.add(code.toString());
        }
        return codes;
    }
}
