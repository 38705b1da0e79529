package org.caregate.server.database;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of CareGate's use of PostgreSQL, embedded or external.
 *
 * @param statementTimeout PostgreSQL's {@code statement_timeout} for every connection of the pool: a statement that
 *     runs longer is cancelled, and the FHIR request that caused it gets 400 "took longer than this server allows"
 *     instead of holding a connection and a CPU for minutes. {@code 0} switches it off. Schema migrations run without
 *     it.
 */
@ConfigurationProperties("caregate.database")
public record DatabaseProperties(@DefaultValue("30s") Duration statementTimeout) {

    public DatabaseProperties {
        if (statementTimeout.isNegative()) {
            throw new IllegalArgumentException("caregate.database.statement-timeout must not be negative");
        }
    }
}
