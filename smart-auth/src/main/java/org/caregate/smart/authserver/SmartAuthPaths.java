package org.caregate.smart.authserver;

/**
 * The paths the authorization server answers. All of them are under {@code /auth/}, except the two discovery
 * documents that OpenID Connect and RFC 8414 place at the root and the SMART configuration under the FHIR base.
 *
 * <p>The server's own filter chains (e.g. for {@code /portal/**}) reuse the login page: send unauthenticated
 * browsers to {@link #LOGIN}; the login form posts to {@link #LOGIN} too and is handled by the authorization server's
 * chain, which then returns the browser to the page it came from (same session).
 */
public final class SmartAuthPaths {

    /** Prefix of every path of the authorization server. */
    public static final String PREFIX = "/auth";

    public static final String AUTHORIZE = "/auth/authorize";
    public static final String TOKEN = "/auth/token";
    public static final String INTROSPECT = "/auth/introspect";
    public static final String REVOKE = "/auth/revoke";
    public static final String JWKS = "/auth/jwks";
    public static final String USERINFO = "/auth/userinfo";
    public static final String OIDC_LOGOUT = "/auth/connect/logout";
    public static final String OIDC_CLIENT_REGISTRATION = "/auth/connect/register";
    /** OAuth 2.0 Dynamic Client Registration (RFC 7591); {@code /auth/register/{client_id}} is RFC 7592's. */
    public static final String REGISTER = "/auth/register";

    public static final String DEVICE_AUTHORIZATION = "/auth/device_authorization";
    public static final String DEVICE_VERIFICATION = "/auth/device_verification";

    /** The login page (GET) and form (POST, fields {@code username}, {@code password}, {@code _csrf}). */
    public static final String LOGIN = "/auth/login";

    public static final String LOGOUT = "/auth/logout";
    /** The patient picker of a standalone launch with {@code launch/patient}. */
    public static final String PICKER = "/auth/picker";
    /** The approval (consent) page. */
    public static final String CONSENT = "/auth/consent";
    /** Password reset: ask for a link (GET form, POST {@code identifier}). */
    public static final String PASSWORD_RESET = "/auth/account/reset";
    /** Password reset: the e-mailed link ({@code ?code=}), a form for the new password. */
    public static final String PASSWORD_RESET_NEW = "/auth/account/reset/new";
    /** Second step of the sign-in: the TOTP code, or enrolment in TOTP. */
    public static final String MFA = "/auth/mfa";

    public static final String SMART_STYLE = "/auth/smart-style.json";
    public static final String STATIC = "/auth/static/**";

    public static final String OIDC_DISCOVERY = "/.well-known/openid-configuration";
    public static final String OAUTH_METADATA = "/.well-known/oauth-authorization-server";
    /** Served by {@code SmartConfigurationFilter}, because HAPI's servlet owns {@code /fhir/*}. */
    public static final String SMART_CONFIGURATION = "/fhir/.well-known/smart-configuration";

    private SmartAuthPaths() {}
}
