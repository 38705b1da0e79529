package org.caregate.server.portal;

import org.springframework.http.HttpStatus;

/**
 * A portal request that is refused, with what to tell the user: shown by {@link PortalErrorAdvice} as a page with
 * the status, a title, the reason and (for access decisions) the name of the rule that decided.
 */
public class PortalRefusal extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final String rule;

    public PortalRefusal(HttpStatus status, String title, String reason, String rule) {
        super(reason);
        this.status = status;
        this.title = title;
        this.rule = rule;
    }

    public static PortalRefusal forbidden(String title, String reason) {
        return new PortalRefusal(HttpStatus.FORBIDDEN, title, reason, null);
    }

    /** A refusal decided by an access rule, which the page names. */
    public static PortalRefusal forbiddenByRule(String title, String reason, String rule) {
        return new PortalRefusal(HttpStatus.FORBIDDEN, title, reason, rule);
    }

    public static PortalRefusal notFound(String title, String reason) {
        return new PortalRefusal(HttpStatus.NOT_FOUND, title, reason, null);
    }

    public static PortalRefusal badRequest(String title, String reason) {
        return new PortalRefusal(HttpStatus.BAD_REQUEST, title, reason, null);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The access rule that decided, or {@code null}. */
    public String rule() {
        return rule;
    }
}
