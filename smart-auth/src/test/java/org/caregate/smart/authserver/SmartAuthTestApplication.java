package org.caregate.smart.authserver;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import javax.sql.DataSource;
import org.caregate.smart.authserver.context.PatientAccessDirectory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Starts the authorization server the way the server module does: {@code @Import(SmartAuthorizationServerConfig)},
 * no component scan, plus the beans the server provides (a PostgreSQL DataSource, a {@link PatientAccessDirectory},
 * a {@link Clock}). Run {@link #main} to try the pages in a browser on port 8080.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SmartAuthorizationServerConfig.class)
public class SmartAuthTestApplication {

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres() throws IOException {
        return EmbeddedPostgres.builder().start();
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres embeddedPostgres) {
        return embeddedPostgres.getPostgresDatabase();
    }

    @Bean
    MutableClock clock() {
        return new MutableClock();
    }

    @Bean
    InMemoryPatientDirectory patientAccessDirectory() {
        return new InMemoryPatientDirectory();
    }

    public static void main(String[] args) {
        SpringApplication.run(SmartAuthTestApplication.class, args);
    }
}
