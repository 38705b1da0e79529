package org.caregate.smart.authserver.token;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.text.ParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.springframework.http.HttpHeaders;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * Writes the token response of SMART App Launch 2.2 ("Obtain access token"): the OAuth fields plus the launch
 * context, {@code patient}, {@code encounter}, {@code need_patient_banner} (true whenever a patient is in context)
 * and {@code smart_style_url} for apps a person uses, with {@code Cache-Control: no-store} and
 * {@code Pragma: no-cache} (RFC 6749, section 5.1).
 *
 * <p>The context values are read back from the access token just issued (a JWT this server signed a moment ago),
 * so the response can never disagree with the token.
 */
public final class SmartTokenResponseHandler implements AuthenticationSuccessHandler {

    public static final String NEED_PATIENT_BANNER = "need_patient_banner";
    public static final String SMART_STYLE_URL = "smart_style_url";

    private final HttpMessageConverter<OAuth2AccessTokenResponse> converter =
            new OAuth2AccessTokenResponseHttpMessageConverter();
    private final SmartAuthUrls urls;

    public SmartTokenResponseHandler(SmartAuthUrls urls) {
        this.urls = urls;
    }

    @Override
    public void onAuthenticationSuccess(
            HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        OAuth2AccessTokenAuthenticationToken result = (OAuth2AccessTokenAuthenticationToken) authentication;
        OAuth2AccessToken accessToken = result.getAccessToken();
        Map<String, Object> parameters = new LinkedHashMap<>(result.getAdditionalParameters());
        JWTClaimsSet claims = claims(accessToken);
        if (claims != null && claims.getClaim(SmartClaimNames.ORGANIZATION) == null) {
            Object patient = claims.getClaim(SmartClaimNames.PATIENT);
            if (patient != null) {
                parameters.put(SmartClaimNames.PATIENT, patient);
                Object encounter = claims.getClaim(SmartClaimNames.ENCOUNTER);
                if (encounter != null) {
                    parameters.put(SmartClaimNames.ENCOUNTER, encounter);
                }
                parameters.put(NEED_PATIENT_BANNER, true);
            }
            parameters.put(SMART_STYLE_URL, urls.smartStyleUrl());
        }
        OAuth2AccessTokenResponse.Builder body = OAuth2AccessTokenResponse.withToken(accessToken.getTokenValue())
                .tokenType(accessToken.getTokenType())
                .scopes(accessToken.getScopes());
        if (accessToken.getIssuedAt() != null && accessToken.getExpiresAt() != null) {
            body.expiresIn(ChronoUnit.SECONDS.between(accessToken.getIssuedAt(), accessToken.getExpiresAt()));
        }
        OAuth2RefreshToken refreshToken = result.getRefreshToken();
        if (refreshToken != null) {
            body.refreshToken(refreshToken.getTokenValue());
        }
        body.additionalParameters(parameters);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader(HttpHeaders.PRAGMA, "no-cache");
        converter.write(body.build(), null, new ServletServerHttpResponse(response));
    }

    private static JWTClaimsSet claims(OAuth2AccessToken accessToken) {
        try {
            return SignedJWT.parse(accessToken.getTokenValue()).getJWTClaimsSet();
        } catch (ParseException e) {
            return null;
        }
    }
}
