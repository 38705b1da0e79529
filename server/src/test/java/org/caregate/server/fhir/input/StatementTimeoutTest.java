package org.caregate.server.fhir.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.sql.Statement;
import org.caregate.server.testing.FullStackTest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every connection of the pool has PostgreSQL's statement timeout (caregate.database.statement-timeout, 30 s), and a
 * statement PostgreSQL cancels for it becomes a 400 that says the request took too long, not a 500.
 */
class StatementTimeoutTest extends FullStackTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void everyPooledConnectionHasTheStatementTimeout() {
        assertThat(jdbc.queryForObject("show statement_timeout", String.class)).isEqualTo("30s");
    }

    @Test
    void aCancelledStatementIsA400SayingTheRequestTookTooLong() {
        Throwable cancelled = jdbc.execute((ConnectionCallback<Throwable>) connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = 50");
                return catchThrowable(() -> statement.execute("select pg_sleep(2)"));
            } finally {
                try (Statement reset = connection.createStatement()) {
                    reset.execute("RESET statement_timeout");
                }
            }
        });
        assertThat(cancelled).hasMessageContaining("statement timeout");

        BaseServerResponseException answer = new ErrorTranslationInterceptor()
                .translate(null, new RuntimeException("wrapped by some layer", cancelled));

        assertThat(answer.getStatusCode()).isEqualTo(400);
        OperationOutcome outcome = (OperationOutcome) answer.getOperationOutcome();
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TOOCOSTLY);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("took longer than this server allows");
        assertThat(jdbc.queryForObject("show statement_timeout", String.class)).isEqualTo("30s");
    }
}
