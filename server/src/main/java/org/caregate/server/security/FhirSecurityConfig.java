package org.caregate.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import java.time.Clock;
import org.caregate.server.fhir.FhirServerCustomizer;
import org.caregate.server.fhir.ServedResourceTypes;
import org.caregate.server.security.release.ReleaseHoldInterceptor;
import org.caregate.server.security.release.ReleaseHoldSearchNarrowing;
import org.caregate.server.security.release.ReleaseStateTagger;
import org.caregate.smart.authserver.SmartAuthUrls;
import org.caregate.smart.authserver.key.SigningKeyStore;
import org.caregate.smart.authserver.token.RevokedAccessTokens;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.token.SmartAccessTokenValidator;
import org.caregate.smart.token.TrustedIssuers;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The security chain of the FHIR API, in request order: bearer token → scope check → search narrowing (patients,
 * release hold) → authorization rules (scopes ∩ consent) → release hold (per resource in every response). Tokens are verified against the built-in authorization server's keys
 * (read from the shared database, cached: no remote call per request) and any configured external issuer.
 */
@Configuration(proxyBeanMethods = false)
public class FhirSecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(FhirSecurityConfig.class);

    @Bean
    SmartAccessTokenValidator smartAccessTokenValidator(
            SmartAuthUrls urls,
            SigningKeyStore signingKeys,
            RevokedAccessTokens revokedTokens,
            SecurityProperties properties,
            Clock clock) {
        TrustedIssuers.Builder issuers = TrustedIssuers.builder().local(urls.issuer(), signingKeys::publicKeys);
        properties.externalIssuers().forEach(external -> issuers.remote(external.issuer(), external.jwksUrl()));
        return new SmartAccessTokenValidator(
                issuers.build(), urls.fhirBaseUrl(), revokedTokens::isRevoked, clock, properties.clockSkew());
    }

    @Bean
    @Order(0)
    FhirServerCustomizer fhirSecurityChain(
            SmartAccessTokenValidator validator,
            UserAccountService accounts,
            EffectiveAccessResolver effectiveAccess,
            PatientPanels panels,
            FhirContext fhirContext,
            SmartAuthUrls urls,
            SecurityProperties properties,
            ServedResourceTypes servedTypes) {
        ResourcePlacement.requireEveryTypePlaced(fhirContext, servedTypes.all());
        if (!properties.enabled()) {
            log.warn("caregate.security.enabled=false: /fhir is served WITHOUT authentication or authorization. "
                    + "This setting exists for the security-overhead benchmark only.");
            return (server, capabilityStatement) -> {};
        }
        return (server, capabilityStatement) -> {
            server.registerInterceptor(new BearerTokenInterceptor(validator, accounts, effectiveAccess));
            server.registerInterceptor(new ScopeCheckInterceptor());
            server.registerInterceptor(new GranularScopeInterceptor());
            server.registerInterceptor(new PatientSearchNarrowingInterceptor(panels));
            server.registerInterceptor(new SmartAuthorizationInterceptor(fhirContext));
            server.registerInterceptor(new ReleaseHoldSearchNarrowing());
            server.registerInterceptor(new ReleaseHoldInterceptor());
            server.registerInterceptor(new InternalResources());
            capabilityStatement.add(statement -> addSmartSecurity(statement, urls));
        };
    }

    /** Tags held results on every write, whatever the path (REST, transaction, seed load). */
    @Bean
    ReleaseStateTagger releaseStateTagger(IInterceptorService storageInterceptors) {
        ReleaseStateTagger tagger = new ReleaseStateTagger();
        storageInterceptors.registerInterceptor(tagger);
        return tagger;
    }

    /**
     * The CapabilityStatement's {@code rest.security}: SMART-on-FHIR service coding and the {@code oauth-uris}
     * extension (SMART App Launch 2.2, "Conformance").
     */
    private static void addSmartSecurity(CapabilityStatement statement, SmartAuthUrls urls) {
        CapabilityStatement.CapabilityStatementRestSecurityComponent security =
                statement.getRestFirstRep().getSecurity();
        security.setCors(true);
        security.addService(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR")));
        security.setDescription("OAuth 2.0 bearer tokens from CareGate's SMART App Launch authorization server; see "
                + urls.fhirBaseUrl() + "/.well-known/smart-configuration");
        Extension oauth =
                security.addExtension().setUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        oauth.addExtension("authorize", new UriType(urls.authorizationEndpoint()));
        oauth.addExtension("token", new UriType(urls.tokenEndpoint()));
        oauth.addExtension("introspect", new UriType(urls.url("/auth/introspect")));
        oauth.addExtension("revoke", new UriType(urls.url("/auth/revoke")));
    }
}
