package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Introspection (RFC 7662), revocation (RFC 7009), userinfo (OpenID Connect). */
class IntrospectionAndRevocationTest extends SmartAuthServerTestSupport {

    private static final String SCOPE = "openid fhirUser launch/patient patient/*.rs offline_access";

    private Map<String, Object> aliceToken() {
        Pkce pkce = Pkce.create();
        return exchangePublic(authorizationCode(ALICE, "alice-pw", SCOPE, pkce), pkce.verifier());
    }

    private HttpResponse<String> introspect(String token) {
        return postForm("/auth/introspect", Map.of("token", token), basic(CONFIDENTIAL_APP, confidentialSecret()));
    }

    private HttpResponse<String> revoke(String token) {
        return postForm("/auth/revoke", Map.of("token", token, "client_id", PUBLIC_APP), null);
    }

    @Test
    void introspectWhenTokenIsActiveThenReturnsSmartClaims() {
        Map<String, Object> token = aliceToken();

        HttpResponse<String> response = introspect((String) token.get("access_token"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> body = OAuthErrorAssert.json(response);
        assertThat(body)
                .containsEntry("active", true)
                .containsEntry("client_id", PUBLIC_APP)
                .containsEntry("sub", ALICE)
                .containsEntry("iss", BASE)
                .containsEntry("patient", "pat-adult-alice")
                .containsEntry("fhirUser", "Patient/pat-adult-alice")
                .containsKey("exp");
        assertThat((String) body.get("scope")).contains("patient/*.rs");
    }

    @Test
    void introspectWhenTokenIsUnknownThenOnlyInactive() {
        HttpResponse<String> response = introspect("no-such-token");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(OAuthErrorAssert.json(response)).containsExactly(Map.entry("active", false));
    }

    @Test
    void introspectWhenCallerIsNotAuthenticatedThenInvalidClient() {
        HttpResponse<String> response = postForm("/auth/introspect", Map.of("token", "x"), null);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void revokeWhenAccessTokenRevokedThenInactiveAndReportedRevoked() throws Exception {
        Map<String, Object> token = aliceToken();
        String accessToken = (String) token.get("access_token");
        String jti = SignedJWT.parse(accessToken).getJWTClaimsSet().getJWTID();
        assertThat(revokedAccessTokens.isRevoked(jti)).isFalse();

        HttpResponse<String> response = revoke(accessToken);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(OAuthErrorAssert.json(introspect(accessToken))).containsExactly(Map.entry("active", false));
        assertThat(revokedAccessTokens.isRevoked(jti)).isTrue();
    }

    @Test
    void revokeWhenRefreshTokenRevokedThenRefreshIsRefusedAndAccessTokenRevoked() throws Exception {
        Map<String, Object> token = aliceToken();
        String jti = SignedJWT.parse((String) token.get("access_token"))
                .getJWTClaimsSet()
                .getJWTID();

        assertThat(revoke((String) token.get("refresh_token")).statusCode()).isEqualTo(200);

        OAuthErrorAssert.assertOAuthError(refresh((String) token.get("refresh_token"), null), 400, "invalid_grant");
        assertThat(revokedAccessTokens.isRevoked(jti)).isTrue();
    }

    @Test
    void revokeWhenTokenIsUnknownThenStillOk() {
        assertThat(revoke("no-such-token").statusCode()).isEqualTo(200);
    }

    @Test
    void revokeWhenEarlierAccessTokenOfRefreshedAuthorizationThenRevoked() throws Exception {
        Map<String, Object> token = aliceToken();
        String first = (String) token.get("access_token");
        assertThat(refresh((String) token.get("refresh_token"), null).statusCode())
                .isEqualTo(200);

        assertThat(revoke(first).statusCode()).isEqualTo(200);

        assertThat(revokedAccessTokens.isRevoked(
                        SignedJWT.parse(first).getJWTClaimsSet().getJWTID()))
                .isTrue();
    }

    @Test
    void userinfoWhenCalledWithAccessTokenThenReturnsFhirUser() {
        Map<String, Object> token = aliceToken();

        HttpResponse<String> response =
                get("/auth/userinfo", Map.of("Authorization", "Bearer " + token.get("access_token")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(OAuthErrorAssert.json(response))
                .containsEntry("sub", ALICE)
                .containsEntry("fhirUser", FHIR_BASE + "/Patient/pat-adult-alice");
    }

    @Test
    void userinfoWhenNoTokenThenUnauthorized() {
        assertThat(get("/auth/userinfo", Map.of()).statusCode()).isEqualTo(401);
    }
}
