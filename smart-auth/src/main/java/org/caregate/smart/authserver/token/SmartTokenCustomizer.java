package org.caregate.smart.authserver.token;

import java.time.Clock;
import java.util.Collections;
import java.util.Set;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.client.SmartClientSettings;
import org.caregate.smart.authserver.context.AccessCheck;
import org.caregate.smart.authserver.context.LaunchAttributes;
import org.caregate.smart.authserver.context.PatientAccessDirectory;
import org.caregate.smart.authserver.key.SigningKeyStore;
import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserAccountService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * The contents of CareGate's tokens, and the last check before one is issued.
 *
 * <p>Access token (RS256 JWT): {@code iss}, {@code sub} (username, or client id for backend services),
 * {@code aud} = [FHIR base URL], {@code exp}, {@code iat}, {@code nbf}, {@code jti}, {@code client_id},
 * {@code scope} (one space-separated string), and for users {@code fhirUser} (relative), {@code patient},
 * {@code encounter}; for backend services {@code organization}.
 *
 * <p>Id token: {@code fhirUser} as a full URL when {@code fhirUser} was granted (SMART App Launch 2.2, "Scopes for
 * requesting identity data").
 *
 * <p>Before an access token is issued to a user (authorization code and every refresh), the account must still be
 * active and, when the token carries a patient, {@link PatientAccessDirectory#checkAccess} must still permit it;
 * otherwise the grant fails with {@code invalid_grant} and the rule's reason.
 */
public final class SmartTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final SmartAuthUrls urls;
    private final SigningKeyStore keys;
    private final UserAccountService users;
    private final PatientAccessDirectory directory;
    private final Clock clock;

    public SmartTokenCustomizer(
            SmartAuthUrls urls,
            SigningKeyStore keys,
            UserAccountService users,
            PatientAccessDirectory directory,
            Clock clock) {
        this.urls = urls;
        this.keys = keys;
        this.users = users;
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        context.getJwsHeader().keyId(keys.activeKeyId());
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            customizeAccessToken(context);
        } else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            customizeIdToken(context);
        }
    }

    private void customizeAccessToken(JwtEncodingContext context) {
        Set<String> scopes = context.getAuthorizedScopes();
        var claims = context.getClaims();
        // A JDK-serializable list: the claims are stored with the authorization as allow-listed JSON.
        claims.audience(Collections.singletonList(urls.fhirBaseUrl()));
        claims.claim(SmartClaimNames.CLIENT_ID, context.getRegisteredClient().getClientId());
        claims.claim(SmartClaimNames.SCOPE, String.join(" ", scopes));
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            String organization = SmartClientSettings.organization(
                    context.getRegisteredClient().getClientSettings());
            if (organization != null) {
                claims.claim(SmartClaimNames.ORGANIZATION, organization);
            }
            return;
        }
        UserAccount user = activeUser(context.getPrincipal().getName());
        claims.claim(SmartClaimNames.FHIR_USER, user.fhirUser());
        OAuth2Authorization authorization = context.getAuthorization();
        String patient = LaunchAttributes.patient(authorization);
        if (patient != null && grantsPatientContext(scopes)) {
            AccessCheck check = directory.checkAccess(user, patient, clock.instant());
            if (!check.permitted()) {
                throw invalidGrant(
                        "access to the patient in context has ended (" + check.rule() + "): " + check.reason());
            }
            claims.claim(SmartClaimNames.PATIENT, patient);
            String encounter = LaunchAttributes.encounter(authorization);
            if (encounter != null && (scopes.contains("launch") || scopes.contains("launch/encounter"))) {
                claims.claim(SmartClaimNames.ENCOUNTER, encounter);
            }
        }
    }

    private void customizeIdToken(JwtEncodingContext context) {
        if (context.getAuthorizedScopes().contains("fhirUser")) {
            UserAccount user = activeUser(context.getPrincipal().getName());
            context.getClaims().claim(SmartClaimNames.FHIR_USER, urls.fhirUserUrl(user.fhirUser()));
        }
    }

    /** Patient context is released with {@code launch} (EHR) or {@code launch/patient} (standalone). */
    public static boolean grantsPatientContext(Set<String> scopes) {
        return scopes.contains("launch") || scopes.contains("launch/patient");
    }

    private UserAccount activeUser(String username) {
        UserAccount user = users.find(username).orElseThrow(() -> invalidGrant("the user account no longer exists"));
        if (!user.isActive()) {
            throw invalidGrant("the user account is " + user.status().name().toLowerCase());
        }
        return user;
    }

    private static OAuth2AuthenticationException invalidGrant(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, description, null));
    }
}
