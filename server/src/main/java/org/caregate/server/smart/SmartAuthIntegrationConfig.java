package org.caregate.server.smart;

import org.caregate.smart.authserver.SmartAuthorizationServerConfig;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Mounts the SMART authorization server ({@code smart-auth}) in this application: {@code /auth/*},
 * OpenID discovery and {@code /fhir/.well-known/smart-configuration}. It shares the application's DataSource
 * (schema {@code smart_auth}) and asks {@link org.caregate.server.access.FhirPatientAccessDirectory} which
 * patients a user may pick.
 */
@Configuration(proxyBeanMethods = false)
@Import(SmartAuthorizationServerConfig.class)
public class SmartAuthIntegrationConfig {}
