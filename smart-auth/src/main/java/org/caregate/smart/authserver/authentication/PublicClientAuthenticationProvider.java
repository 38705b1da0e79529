package org.caregate.smart.authserver.authentication;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Identifies (it cannot authenticate) a public client on the refresh-token grant and on revocation: the client must
 * be registered with the {@code none} method. What protects a refresh is the refresh token itself: bound to this
 * client by SAS's refresh-token provider, and rotated on every use; a revocation only reaches tokens issued to this
 * client.
 */
public final class PublicClientAuthenticationProvider implements AuthenticationProvider {

    private final RegisteredClientRepository clients;

    public PublicClientAuthenticationProvider(RegisteredClientRepository clients) {
        this.clients = clients;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
        boolean refresh = AuthorizationGrantType.REFRESH_TOKEN
                .getValue()
                .equals(token.getAdditionalParameters().get(OAuth2ParameterNames.GRANT_TYPE));
        boolean revocation = Boolean.TRUE.equals(
                token.getAdditionalParameters().get(PublicClientAuthenticationConverter.REVOCATION));
        if (!ClientAuthenticationMethod.NONE.equals(token.getClientAuthenticationMethod())
                || !(refresh || revocation)) {
            return null;
        }
        RegisteredClient client = clients.findByClientId(String.valueOf(token.getPrincipal()));
        if (client == null || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
            throw new OAuth2AuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "unknown public client", null));
        }
        return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
