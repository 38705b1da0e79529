package org.caregate.smart.authserver.context;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

/**
 * The launch context of an authorization, kept in its attributes (so in the database, with the authorization) from
 * the moment the patient is picked or the EHR launch is redeemed until the last refresh.
 */
public final class LaunchAttributes {

    /** The patient in context (bare id). */
    public static final String PATIENT = "caregate.launch.patient";
    /** The encounter in context (bare id), EHR launch only. */
    public static final String ENCOUNTER = "caregate.launch.encounter";
    /** How the context was set: {@link #STANDALONE} or {@link #EHR}. */
    public static final String KIND = "caregate.launch.kind";
    /** Marks an authorization whose launch context has been settled (possibly with no patient). */
    public static final String RESOLVED = "caregate.launch.resolved";

    public static final String STANDALONE = "standalone";
    public static final String EHR = "ehr";

    private LaunchAttributes() {}

    public static String patient(OAuth2Authorization authorization) {
        return authorization == null ? null : authorization.getAttribute(PATIENT);
    }

    public static String encounter(OAuth2Authorization authorization) {
        return authorization == null ? null : authorization.getAttribute(ENCOUNTER);
    }

    public static boolean isResolved(OAuth2Authorization authorization) {
        return authorization.getAttribute(RESOLVED) != null;
    }
}
