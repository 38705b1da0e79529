package org.caregate.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * CareGate: a FHIR R4 server that lets people outside the hospital reach the part of its EHR they are
 * entitled to, and nothing more. One application serves the FHIR API ({@code /fhir}), the SMART
 * authorization server ({@code /auth}) and the portal pages ({@code /portal}).
 */
// HAPI brings an Elasticsearch client and Quartz along; CareGate uses neither.
@SpringBootApplication(exclude = {QuartzAutoConfiguration.class, ElasticsearchRestClientAutoConfiguration.class})
@ConfigurationPropertiesScan
public class CareGateApplication {

    public static void main(String[] args) {
        SpringApplication.run(CareGateApplication.class, args);
    }
}
