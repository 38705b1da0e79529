package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Map;
import org.caregate.smart.authserver.key.SigningKeyStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Signing keys live in the database, sign with RS256, and rotate without breaking tokens already issued. */
class SigningKeyTest extends SmartAuthServerTestSupport {

    @Autowired
    private SigningKeyStore keys;

    @Test
    void rotateWhenTokensWereIssuedWithOldKeyThenOldKeyStaysPublishedAndNewTokensUseNewKey() throws Exception {
        Pkce pkce = Pkce.create();
        String before = (String) exchangePublic(
                        authorizationCode(ALICE, "alice-pw", "launch/patient patient/*.rs", pkce), pkce.verifier())
                .get("access_token");
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();

        String newKid = keys.rotate();

        Pkce second = Pkce.create();
        String after = (String) exchangePublic(
                        authorizationCode(ALICE, "alice-pw", "launch/patient patient/*.rs", second), second.verifier())
                .get("access_token");
        assertThat(SignedJWT.parse(after).getHeader().getKeyID())
                .isEqualTo(newKid)
                .isNotEqualTo(oldKid);
        JWKSet published = JWKSet.parse(get("/auth/jwks", Map.of()).body());
        assertThat(published.getKeyByKeyId(oldKid)).isNotNull();
        assertThat(published.getKeyByKeyId(newKid)).isNotNull();
        verifiedClaims(before);
        verifiedClaims(after);
    }

    @Test
    void keysWhenStoredThenPrivatePartsNeverPublished() throws Exception {
        JWKSet published = JWKSet.parse(get("/auth/jwks", Map.of()).body());

        assertThat(published.getKeys())
                .allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
        assertThat(keys.activeKeyId()).isNotBlank();
    }
}
