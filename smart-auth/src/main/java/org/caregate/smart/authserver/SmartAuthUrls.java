package org.caregate.smart.authserver;

/**
 * The public addresses of the authorization server, all derived from {@code caregate.public-base-url}.
 *
 * <p>The issuer is the base URL itself, so OpenID Connect discovery is at
 * {@code /.well-known/openid-configuration}; the FHIR base URL, which is the only accepted {@code aud} of an
 * authorization request and the {@code aud} of every access token, is the base URL plus {@code /fhir}.
 *
 * @param publicBaseUrl the base URL without a trailing slash, e.g. {@code http://localhost:8080}
 */
public record SmartAuthUrls(String publicBaseUrl) {

    public static final String DEFAULT_PUBLIC_BASE_URL = "http://localhost:8080";

    public SmartAuthUrls {
        if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
            publicBaseUrl = DEFAULT_PUBLIC_BASE_URL;
        }
        while (publicBaseUrl.endsWith("/")) {
            publicBaseUrl = publicBaseUrl.substring(0, publicBaseUrl.length() - 1);
        }
    }

    /** The {@code iss} of every token, and the OpenID Connect issuer. */
    public String issuer() {
        return publicBaseUrl;
    }

    /** The FHIR base URL: the required {@code aud} parameter and the {@code aud} claim of access tokens. */
    public String fhirBaseUrl() {
        return publicBaseUrl + "/fhir";
    }

    public String url(String path) {
        return publicBaseUrl + path;
    }

    public String authorizationEndpoint() {
        return url(SmartAuthPaths.AUTHORIZE);
    }

    /** Also the only accepted {@code aud} of a client assertion (SMART Backend Services). */
    public String tokenEndpoint() {
        return url(SmartAuthPaths.TOKEN);
    }

    public String jwksUri() {
        return url(SmartAuthPaths.JWKS);
    }

    public String smartStyleUrl() {
        return url(SmartAuthPaths.SMART_STYLE);
    }

    /** {@code fhirUser} as a full URL, as in the id token: {@code {fhirBase}/Patient/pat-adult-alice}. */
    public String fhirUserUrl(String relativeFhirUser) {
        return fhirBaseUrl() + "/" + relativeFhirUser;
    }
}
