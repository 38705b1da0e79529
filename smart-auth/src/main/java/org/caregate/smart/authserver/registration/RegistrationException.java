package org.caregate.smart.authserver.registration;

/**
 * A refused registration request: RFC 7591 section 3.2.2 ({@code invalid_redirect_uri},
 * {@code invalid_client_metadata}, HTTP 400) or RFC 6750 section 3.1 ({@code invalid_token}, HTTP 401: no, a wrong,
 * a used or an expired initial access token or registration access token).
 */
public class RegistrationException extends RuntimeException {

    public static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";
    public static final String INVALID_REDIRECT_URI = "invalid_redirect_uri";
    public static final String INVALID_TOKEN = "invalid_token";

    private final String error;

    public RegistrationException(String error, String description) {
        super(description);
        this.error = error;
    }

    public String error() {
        return error;
    }

    public int status() {
        return INVALID_TOKEN.equals(error) ? 401 : 400;
    }
}
