package org.caregate.server.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.caregate.server.CareGateApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * With the profile {@code production}, CareGate refuses development settings before it starts anything (no
 * database, no port): the embedded database, sample data, example clients, security off, a loopback address.
 */
class ProductionProfileTest {

    @Test
    void startWhenProductionProfileWithDevelopmentDefaultsThenRefusedNamingEachProblem() {
        assertThat(refusal("--spring.profiles.active=production", "--server.port=0"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no spring.datasource.url")
                .hasMessageContaining("caregate.seed.enabled=true")
                .hasMessageContaining("caregate.smart.register-example-clients=true")
                .hasMessageContaining("caregate.public-base-url is not set")
                .hasMessageContaining("caregate.production.allow-development-settings=true");
    }

    @Test
    void startWhenProductionProfileWithExternalDatabaseAndSecurityOffThenRefused() {
        assertThat(refusal(
                        "--spring.profiles.active=production",
                        "--server.port=0",
                        "--spring.datasource.url=jdbc:postgresql://db.invalid:5432/caregate",
                        "--caregate.public-base-url=https://fhir.hospital.example",
                        "--caregate.security.enabled=false"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("caregate.security.enabled=false")
                .satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain("spring.datasource.url", "seed", "public-base-url"));
    }

    /** What the start failed with, at the bottom of the cause chain. */
    private static Throwable refusal(String... args) {
        Throwable thrown = catchThrowable(() -> new SpringApplicationBuilder(CareGateApplication.class).run(args));
        assertThat(thrown).as("the start must fail").isNotNull();
        while (thrown.getCause() != null) {
            thrown = thrown.getCause();
        }
        return thrown;
    }
}
