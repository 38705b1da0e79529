package org.caregate.smart.authserver.account;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;

/**
 * What a new password must be: at least {@code caregate.accounts.min-password-length} characters (14 by default, as
 * the portals ask of community providers), at most 72 bytes (what bcrypt reads), and the same twice. The problems are messages ({@code password.*}) for the page to show in the reader's language.
 */
public final class PasswordRules {

    private final int minLength;

    public PasswordRules(int minLength) {
        this.minLength = minLength;
    }

    public int minLength() {
        return minLength;
    }

    public List<MessageSourceResolvable> problems(String password, String confirmation, String username) {
        List<MessageSourceResolvable> problems = new ArrayList<>();
        String value = password == null ? "" : password;
        if (value.codePointCount(0, value.length()) < minLength) {
            problems.add(message("password.too-short", minLength));
        } else if (value.getBytes(StandardCharsets.UTF_8).length > AccountProperties.MAX_PASSWORD_LENGTH) {
            problems.add(message("password.too-long", AccountProperties.MAX_PASSWORD_LENGTH));
        }
        if (!value.equals(confirmation)) {
            problems.add(message("password.mismatch"));
        }
        return problems;
    }

    static MessageSourceResolvable message(String code, Object... arguments) {
        return new DefaultMessageSourceResolvable(new String[] {code}, arguments);
    }
}
