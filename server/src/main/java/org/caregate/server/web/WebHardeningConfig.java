package org.caregate.server.web;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * What the web container does for every path: security headers, errors of the container itself in the format of
 * the API they were meant for, and one canonical address.
 *
 * <p>The canonical address: Tomcat reports {@code caregate.public-base-url}'s scheme, host and port as the request's
 * (its connector's {@code proxyName}, {@code proxyPort}, {@code scheme}, {@code secure}), whatever {@code Host}
 * header a client sends. So the {@code Location} of a created resource, Bundle links and every redirect of the
 * portal and login pages name this server, never an address an attacker chose; and when the public address is
 * https (TLS ends at a proxy in front), cookies are {@code Secure} and HSTS is sent.
 */
@Configuration(proxyBeanMethods = false)
public class WebHardeningConfig {

    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter() {
        FilterRegistrationBean<SecurityHeadersFilter> registration =
                new FilterRegistrationBean<>(new SecurityHeadersFilter());
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ContainerErrorFilter> containerErrorFilter(FhirContext fhirContext) {
        FilterRegistrationBean<ContainerErrorFilter> registration =
                new FilterRegistrationBean<>(new ContainerErrorFilter(new ContainerErrors(fhirContext)));
        registration.addUrlPatterns("/error");
        registration.setDispatcherTypes(DispatcherType.ERROR);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    RequestRejectedHandler firewallRejection() {
        return new FirewallRejection();
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> canonicalAddressAndErrorReports(
            @Value("${caregate.public-base-url:http://localhost:8080}") String publicBaseUrl, FhirContext fhirContext) {
        URI address = URI.create(publicBaseUrl);
        boolean https = "https".equalsIgnoreCase(address.getScheme());
        int port = address.getPort() > 0 ? address.getPort() : https ? 443 : 80;
        return factory -> {
            factory.addConnectorCustomizers(connector -> {
                connector.setProxyName(address.getHost());
                connector.setProxyPort(port);
                connector.setScheme(https ? "https" : "http");
                connector.setSecure(https);
            });
            factory.addContextCustomizers(context -> context.getParent()
                    .getPipeline()
                    .addValve(new FhirAwareErrorReportValve(new ContainerErrors(fhirContext))));
        };
    }
}
