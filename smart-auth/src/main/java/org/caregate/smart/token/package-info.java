/**
 * Validation of the bearer tokens that reach the FHIR API: signed JWT access tokens from CareGate's own
 * authorization server or from a trusted external issuer.
 *
 * <p>Implements RFC 6750 (bearer token usage: a bad token is {@code 401} with {@code error="invalid_token"}),
 * RFC 7519 (JWT claims: {@code iss}, {@code aud}, {@code exp}, {@code nbf}, {@code iat}, {@code jti}), RFC 7515
 * (signature, {@code kid}), RFC 8725 (JWT best current practices: an explicit algorithm list, never {@code none},
 * never a MAC algorithm with a public key) and RFC 9068 (JWT profile for access tokens: {@code client_id},
 * {@code sub}, {@code jti}), with the SMART App Launch 2.2 claims {@code scope}, {@code fhirUser},
 * {@code patient} and {@code encounter}.
 *
 * <p>Plain Java and nimbus-jose-jwt only: no servlet or Spring types, so the FHIR server's interceptor adapts it
 * at the edge. Keys are cached: validating a token makes no remote call.
 */
package org.caregate.smart.token;
