package org.caregate.smart.authserver.authentication;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Requests of a public client that SAS 1.4 does not recognise: a refresh-token grant
 * ({@code grant_type=refresh_token} + {@code client_id}) and a token revocation ({@code token} + {@code client_id}
 * at the revocation endpoint), both without client credentials. SAS only knows public clients on the
 * authorization-code grant (with a {@code code_verifier}); SMART App Launch lets public apps granted
 * {@code offline_access} refresh ("Refresh access token": {@code client_id} "required for public clients"), and RFC
 * 7009 lets them revoke. See {@link PublicClientAuthenticationProvider}.
 */
public final class PublicClientAuthenticationConverter implements AuthenticationConverter {

    /** Marks the request a revocation, for {@link PublicClientAuthenticationProvider}. */
    static final String REVOCATION = "caregate.revocation";

    private final String revocationEndpoint;

    public PublicClientAuthenticationConverter(String revocationEndpoint) {
        this.revocationEndpoint = revocationEndpoint;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        boolean refresh = AuthorizationGrantType.REFRESH_TOKEN
                .getValue()
                .equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE));
        boolean revocation = revocationEndpoint.equals(
                request.getRequestURI().substring(request.getContextPath().length()));
        if (!"POST".equals(request.getMethod())
                || !(refresh || revocation)
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
                || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
            return null;
        }
        String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
        if (clientIds == null) {
            return null;
        }
        if (clientIds.length != 1 || clientIds[0].isBlank()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
        }
        Map<String, Object> parameters = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!name.equals(OAuth2ParameterNames.CLIENT_ID) && values.length > 0) {
                parameters.put(name, values.length == 1 ? values[0] : values);
            }
        });
        if (revocation) {
            parameters.put(REVOCATION, Boolean.TRUE);
        }
        return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.NONE, null, parameters);
    }
}
