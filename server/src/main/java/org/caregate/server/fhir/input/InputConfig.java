package org.caregate.server.fhir.input;

import ca.uhn.fhir.context.FhirContext;
import org.caregate.server.fhir.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Registers the input checks and the error translation on the FHIR server, security on or off. */
@Configuration(proxyBeanMethods = false)
public class InputConfig {

    @Bean
    @Order(-10)
    FhirServerCustomizer fhirInputChecks(FhirContext fhirContext, InputLimits limits) {
        return (server, capabilityStatement) -> {
            server.registerInterceptor(new RequestInputInterceptor(fhirContext, limits));
            server.registerInterceptor(new ErrorTranslationInterceptor());
        };
    }
}
