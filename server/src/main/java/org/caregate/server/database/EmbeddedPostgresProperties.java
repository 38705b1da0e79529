package org.caregate.server.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The zero-setup database: an embedded PostgreSQL started by CareGate itself when no
 * {@code spring.datasource.url} is configured.
 *
 * @param dataDirectory where the cluster's files live; they survive restarts
 * @param port TCP port on loopback; 0 picks a free one at each start
 * @param database the database CareGate uses inside the cluster (created on first start)
 */
@ConfigurationProperties("caregate.database.embedded")
public record EmbeddedPostgresProperties(
        @DefaultValue("./data/postgres") Path dataDirectory,
        @DefaultValue("0") int port,
        @DefaultValue("caregate") String database) {}
