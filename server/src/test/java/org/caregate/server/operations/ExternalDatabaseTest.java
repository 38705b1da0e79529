package org.caregate.server.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.caregate.server.CareGateApplication;
import org.caregate.server.testing.FullStackTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * CareGate started the way an operator starts it against a PostgreSQL of their own (here an empty database in the
 * test PostgreSQL, reached by {@code spring.datasource.url}): no sample patients, no example clients, no generated
 * development credentials, and it says so at start; it is ready and secure all the same.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExternalDatabaseTest extends FullStackTest {

    @Autowired
    private EmbeddedPostgres postgres;

    @Test
    void startWhenExternalDatabaseThenNoSampleDataNoExampleClientsAndSaysSo(CapturedOutput output) throws Exception {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement ddl = admin.createStatement()) {
            ddl.execute("drop database if exists caregate_external");
            ddl.execute("create database caregate_external");
        }
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "caregate-external-");
        int port = freePort();

        try (ConfigurableApplicationContext node = new SpringApplicationBuilder(CareGateApplication.class)
                .run(
                        "--server.port=" + port,
                        "--caregate.public-base-url=http://localhost:" + port,
                        "--caregate.data-dir=" + data,
                        "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "caregate_external"),
                        "--spring.datasource.username=postgres")) {
            JdbcTemplate jdbc = new JdbcTemplate(node.getBean(javax.sql.DataSource.class));

            assertThat(jdbc.queryForObject(
                            "select count(*) from hfj_resource where res_type <> 'AuditEvent'", Long.class))
                    .isZero();
            assertThat(jdbc.queryForObject("select count(*) from smart_auth.oauth2_registered_client", Long.class))
                    .isZero();
            assertThat(jdbc.queryForObject("select count(*) from smart_auth.user_account", Long.class))
                    .isZero();
            assertThat(data.resolve("dev-credentials")).doesNotExist();
            assertThat(output.getOut())
                    .contains("External database: the sample dataset is off and the example clients are off");

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> readiness = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/Patient"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
