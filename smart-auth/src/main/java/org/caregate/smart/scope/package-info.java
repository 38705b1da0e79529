/**
 * The SMART on FHIR scope grammar, versions 1 and 2, as plain Java.
 *
 * <p>Implements SMART App Launch 2.2, section "Scopes and Launch Context"
 * (<a href="https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html">scopes-and-launch-context.html</a>):
 * "Scopes for requesting clinical data" (v2 {@code cruds} permissions and granular {@code ?param=value} scopes),
 * the v1 {@code read}/{@code write}/{@code *} forms, launch context ({@code launch}, {@code launch/patient},
 * {@code launch/encounter}), identity ({@code openid}, {@code fhirUser}, {@code profile}) and
 * {@code offline_access}/{@code online_access}.
 *
 * <p>Entry point: {@link org.caregate.smart.scope.SmartScopeParser}. Everything here is immutable and free of
 * Spring and HAPI, so the authorization server, the token validator and the FHIR server share one grammar.
 */
package org.caregate.smart.scope;
