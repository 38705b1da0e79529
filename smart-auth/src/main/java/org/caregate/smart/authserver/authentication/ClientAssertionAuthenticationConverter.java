package org.caregate.smart.authserver.authentication;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * {@code private_key_jwt} client authentication (RFC 7523, section 2.2) where {@code client_id} may be left out, as
 * SMART Backend Services requests do: the client is then the assertion's {@code sub} (which must equal its
 * {@code iss}). SAS's own converter requires {@code client_id}. The assertion is only read here to find the client;
 * its signature and claims are verified by SAS's {@code JwtClientAssertionAuthenticationProvider} with
 * {@code SmartClientAssertionDecoderFactory}.
 */
public final class ClientAssertionAuthenticationConverter implements AuthenticationConverter {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** SAS's provider recognises assertion-authenticated clients by this method (the assertion type). */
    private static final ClientAuthenticationMethod JWT_BEARER_METHOD = new ClientAuthenticationMethod(JWT_BEARER);

    @Override
    public Authentication convert(HttpServletRequest request) {
        String[] types = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE);
        String[] assertions = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION);
        if (types == null || assertions == null || !"POST".equals(request.getMethod())) {
            return null;
        }
        if (types.length != 1 || assertions.length != 1) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
        }
        if (!JWT_BEARER.equals(types[0])) {
            return null;
        }
        String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
        String clientId;
        if (clientIds != null) {
            if (clientIds.length != 1 || clientIds[0].isBlank()) {
                throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
            }
            clientId = clientIds[0];
        } else {
            clientId = subject(assertions[0]);
        }
        return new OAuth2ClientAuthenticationToken(
                clientId, JWT_BEARER_METHOD, assertions[0], authorizationCodeParameters(request));
    }

    private static String subject(String assertion) {
        try {
            JWTClaimsSet claims = JWTParser.parse(assertion).getJWTClaimsSet();
            if (claims.getSubject() != null && claims.getSubject().equals(claims.getIssuer())) {
                return claims.getSubject();
            }
        } catch (ParseException e) {
            // fall through
        }
        throw new OAuth2AuthenticationException(new OAuth2Error(
                OAuth2ErrorCodes.INVALID_CLIENT,
                "client_assertion is not a JWT whose iss and sub are the client id",
                null));
    }

    /** The request parameters SAS's PKCE check needs, on the authorization-code grant only (as SAS does). */
    private static Map<String, Object> authorizationCodeParameters(HttpServletRequest request) {
        if (!AuthorizationGrantType.AUTHORIZATION_CODE
                        .getValue()
                        .equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
                || request.getParameter(OAuth2ParameterNames.CODE) == null) {
            return Collections.emptyMap();
        }
        Map<String, Object> parameters = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!name.equals(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE)
                    && !name.equals(OAuth2ParameterNames.CLIENT_ASSERTION)
                    && !name.equals(OAuth2ParameterNames.CLIENT_ID)
                    && values.length > 0) {
                parameters.put(name, values.length == 1 ? values[0] : values);
            }
        });
        return parameters;
    }
}
