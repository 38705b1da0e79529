package org.caregate.smart.authserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class DiscoveryTest extends SmartAuthServerTestSupport {

    @Test
    void smartConfigurationWhenRequestedThenListsEndpointsAndCapabilities() {
        HttpResponse<String> response =
                get("/fhir/.well-known/smart-configuration", Map.of("Accept", "application/json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        Map<String, Object> config = OAuthErrorAssert.json(response);
        assertThat(config)
                .containsEntry("issuer", BASE)
                .containsEntry("jwks_uri", BASE + "/auth/jwks")
                .containsEntry("authorization_endpoint", BASE + "/auth/authorize")
                .containsEntry("token_endpoint", BASE + "/auth/token")
                .containsEntry("introspection_endpoint", BASE + "/auth/introspect")
                .containsEntry("revocation_endpoint", BASE + "/auth/revoke")
                .containsEntry("userinfo_endpoint", BASE + "/auth/userinfo")
                .containsEntry("response_types_supported", List.of("code"))
                .containsEntry("code_challenge_methods_supported", List.of("S256"))
                .containsKeys(
                        "grant_types_supported",
                        "scopes_supported",
                        "token_endpoint_auth_methods_supported",
                        "token_endpoint_auth_signing_alg_values_supported");
        assertThat((List<Object>) config.get("capabilities"))
                .contains(
                        "launch-ehr",
                        "launch-standalone",
                        "authorize-post",
                        "client-public",
                        "client-confidential-symmetric",
                        "client-confidential-asymmetric",
                        "sso-openid-connect",
                        "context-banner",
                        "context-style",
                        "context-ehr-patient",
                        "context-ehr-encounter",
                        "context-standalone-patient",
                        "permission-offline",
                        "permission-patient",
                        "permission-user",
                        "permission-v1",
                        "permission-v2");
        assertThat((List<Object>) config.get("token_endpoint_auth_signing_alg_values_supported"))
                .contains("RS384", "ES384");
    }

    @Test
    void smartConfigurationWhenPreflightThenAllowsAnyOrigin() {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(BASE + "/fhir/.well-known/smart-configuration"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "https://app.example")
                        .header("Access-Control-Request-Method", "GET")
                        .build());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void openidConfigurationWhenRequestedThenAdvertisesRs256IdTokens() {
        HttpResponse<String> response =
                get("/.well-known/openid-configuration", Map.of("Origin", "https://app.example"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        Map<String, Object> config = OAuthErrorAssert.json(response);
        assertThat(config)
                .containsEntry("issuer", BASE)
                .containsEntry("token_endpoint", BASE + "/auth/token")
                .containsEntry("userinfo_endpoint", BASE + "/auth/userinfo")
                .containsEntry("jwks_uri", BASE + "/auth/jwks");
        assertThat((List<Object>) config.get("id_token_signing_alg_values_supported"))
                .contains("RS256");
    }

    @Test
    void discoveryDocumentsWhenRequestedThenAdvertiseOnlyWhatCareGateSupports() {
        for (String path : List.of(
                "/.well-known/openid-configuration",
                "/.well-known/oauth-authorization-server",
                "/fhir/.well-known/smart-configuration")) {
            Map<String, Object> config = OAuthErrorAssert.json(get(path, Map.of()));

            assertThat((List<Object>) config.get("grant_types_supported"))
                    .as(path)
                    .containsExactlyInAnyOrder("authorization_code", "refresh_token", "client_credentials");
            assertThat((List<Object>) config.get("token_endpoint_auth_methods_supported"))
                    .as(path)
                    .containsExactlyInAnyOrder("none", "client_secret_basic", "client_secret_post", "private_key_jwt");
            assertThat((List<Object>) config.get("token_endpoint_auth_signing_alg_values_supported"))
                    .as(path)
                    .containsExactlyInAnyOrder("RS384", "ES384");
            assertThat(config)
                    .as(path)
                    .doesNotContainKeys("device_authorization_endpoint", "tls_client_certificate_bound_access_tokens");
            for (Object methods : List.of(
                    config.getOrDefault("revocation_endpoint_auth_methods_supported", List.of()),
                    config.getOrDefault("introspection_endpoint_auth_methods_supported", List.of()))) {
                assertThat((List<Object>) methods)
                        .as(path)
                        .doesNotContain("tls_client_auth", "self_signed_tls_client_auth", "client_secret_jwt");
            }
        }
    }

    @Test
    void jwksWhenRequestedThenPublishesPublicRs256KeysOnly() {
        HttpResponse<String> response = get("/auth/jwks", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> jwks = OAuthErrorAssert.json(response);
        List<Object> keys = (List<Object>) jwks.get("keys");
        assertThat(keys).isNotEmpty();
        Map<String, Object> key = (Map<String, Object>) keys.get(0);
        assertThat(key.get("kty")).isEqualTo("RSA");
        assertThat(key.get("alg")).isEqualTo("RS256");
        assertThat(key).containsKey("kid").doesNotContainKeys("d", "p", "q");
    }

    @Test
    void tokenEndpointWhenPreflightThenAllowsAuthorizationHeader() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(BASE + "/auth/token"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElse("")
                        .toLowerCase())
                .contains("authorization")
                .contains("content-type");
    }

    @Test
    void smartStyleWhenRequestedThenServesJson() {
        HttpResponse<String> response = get("/auth/smart-style.json", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(OAuthErrorAssert.json(response)).containsKeys("color_background", "font_family_body");
    }
}
