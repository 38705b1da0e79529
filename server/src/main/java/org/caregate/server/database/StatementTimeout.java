package org.caregate.server.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * {@link DatabaseProperties#statementTimeout()} on every pooled connection, as a startup parameter of the connection
 * ({@code options=-c statement_timeout=...}), so that it is the session's default that {@code RESET} returns to.
 */
public final class StatementTimeout {

    private static final Logger log = LoggerFactory.getLogger(StatementTimeout.class);

    private StatementTimeout() {}

    /** Sets the timeout on a pool that has not started yet. */
    static void apply(HikariConfig pool, DatabaseProperties properties) {
        String setting = "-c statement_timeout=" + properties.statementTimeout().toMillis();
        Object options = pool.getDataSourceProperties().get("options");
        if (options != null && options.toString().contains("statement_timeout")) {
            return; // set explicitly, e.g. spring.datasource.hikari.data-source-properties.options
        }
        pool.addDataSourceProperty("options", options == null ? setting : options + " " + setting);
    }

    /** For an external database: Spring Boot's pool, configured before its first connection. */
    static BeanPostProcessor onBootPools(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                // the embedded database's pool is started already, with the timeout (EmbeddedPostgresConfig)
                if (bean instanceof HikariDataSource pool && !pool.isRunning()) {
                    DatabaseProperties properties =
                            Binder.get(environment).bindOrCreate("caregate.database", DatabaseProperties.class);
                    try {
                        apply(pool, properties);
                    } catch (IllegalStateException sealed) {
                        log.warn(
                                "The connection pool {} was started before caregate.database.statement-timeout could"
                                        + " be set on it; its statements run without a timeout",
                                pool.getPoolName());
                    }
                }
                return bean;
            }
        };
    }

    /**
     * The data source for schema migrations: no timeout while a connection is borrowed (an index on a large table
     * may take longer than any request should), and the pool's default again before it goes back.
     */
    public static DataSource suspendedFor(DataSource dataSource) {
        return new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                return withoutTimeout(super.getConnection());
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return withoutTimeout(super.getConnection(username, password));
            }
        };
    }

    private static Connection withoutTimeout(Connection connection) throws SQLException {
        execute(connection, "SET statement_timeout = 0");
        return (Connection) Proxy.newProxyInstance(
                StatementTimeout.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("close") && !connection.isClosed()) {
                        try {
                            if (!connection.getAutoCommit()) {
                                connection.rollback();
                                connection.setAutoCommit(true); // a RESET inside a transaction would be rolled back
                            }
                            execute(connection, "RESET statement_timeout");
                        } catch (SQLException e) {
                            log.debug("Could not reset statement_timeout on a migration connection", e);
                        }
                    }
                    try {
                        return method.invoke(connection, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
