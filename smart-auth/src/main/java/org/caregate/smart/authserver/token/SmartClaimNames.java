package org.caregate.smart.authserver.token;

/** Claims of CareGate access tokens beyond the registered JWT ones (iss, sub, aud, exp, iat, nbf, jti). */
public final class SmartClaimNames {

    public static final String CLIENT_ID = "client_id";
    /** One space-separated string, as in the token response. */
    public static final String SCOPE = "scope";
    /** Relative in the access token ({@code Patient/pat-adult-alice}); a full URL in the id token. */
    public static final String FHIR_USER = "fhirUser";
    /** The patient in context, bare id. */
    public static final String PATIENT = "patient";

    public static final String ENCOUNTER = "encounter";
    /** The Organization id a backend-services client acts for. */
    public static final String ORGANIZATION = "organization";

    private SmartClaimNames() {}
}
