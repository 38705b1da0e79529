package org.caregate.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.caregate.server.CareGateApplication;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded database survives a restart: what was stored is still there, and the seed data is loaded on the
 * first start only. Starts CareGate twice, the way the README's run command does, on one data directory.
 */
class RestartTest {

    @Test
    void restartWhenDataDirectoryExistsThenDataIsKeptAndSeedIsNotLoadedAgain() throws IOException {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "caregate-restart-");
        long resourcesAfterFirstStart;
        String createdId;

        try (ConfigurableApplicationContext first = start(data)) {
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            assertThat(seedLoads(jdbc)).isEqualTo(1);
            Organization organization = new Organization().setName("Created before the restart");
            createdId = first.getBean(DaoRegistry.class)
                    .getResourceDao(Organization.class)
                    .create(organization, new SystemRequestDetails())
                    .getId()
                    .getIdPart();
            resourcesAfterFirstStart = resources(jdbc);
        }

        try (ConfigurableApplicationContext second = start(data)) {
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(seedLoads(jdbc)).isEqualTo(1);
            assertThat(resources(jdbc)).isEqualTo(resourcesAfterFirstStart);
            Organization kept = second.getBean(DaoRegistry.class)
                    .getResourceDao(Organization.class)
                    .read(new org.hl7.fhir.r4.model.IdType("Organization", createdId), new SystemRequestDetails());
            assertThat(kept.getName()).isEqualTo("Created before the restart");
        }
    }

    private static ConfigurableApplicationContext start(Path data) throws IOException {
        int port = freePort();
        return new SpringApplicationBuilder(CareGateApplication.class)
                .run(
                        "--server.port=" + port,
                        "--caregate.public-base-url=http://localhost:" + port,
                        "--caregate.data-dir=" + data,
                        "--caregate.database.embedded.data-directory=" + data.resolve("postgres"));
    }

    private static long seedLoads(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from caregate.seed_load", Long.class);
    }

    private static long resources(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from hfj_resource where res_type <> 'AuditEvent'", Long.class);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
