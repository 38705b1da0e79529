package org.caregate.smart.authserver.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The shared DataSource, seen by Spring Authorization Server's JDBC services as if its tables were on the
 * {@code search_path}.
 *
 * <p>SAS's {@code JdbcRegisteredClientRepository}, {@code JdbcOAuth2AuthorizationService} and
 * {@code JdbcOAuth2AuthorizationConsentService} write unqualified SQL ({@code FROM oauth2_authorization}). The
 * connection pool is shared with HAPI FHIR, whose tables are in {@code public}, so changing the session's
 * {@code search_path} would leak to HAPI's queries when a connection went back to the pool. Instead this DataSource
 * qualifies the three SAS table names with {@value SmartAuthSchema#NAME} in the SQL that SAS prepares, and
 * in the metadata look-up SAS uses to find its column types. No session state is changed.
 */
public final class SchemaQualifyingDataSource extends DelegatingDataSource {

    private static final Pattern SAS_TABLE = Pattern.compile(
            "(?<![\\w.\"])(oauth2_authorization_consent|oauth2_authorization|oauth2_registered_client)\\b",
            Pattern.CASE_INSENSITIVE);

    private final String schema;

    public SchemaQualifyingDataSource(DataSource target, String schema) {
        super(target);
        this.schema = schema;
    }

    /** {@code sql} with every SAS table name prefixed by the schema. */
    public String qualify(String sql) {
        Matcher matcher = SAS_TABLE.matcher(sql);
        return matcher.replaceAll(result -> schema + "." + result.group(1).toLowerCase());
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(super.getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, new QualifyingHandler(connection));
    }

    private final class QualifyingHandler implements InvocationHandler {

        private final Connection target;

        QualifyingHandler(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if ((name.equals("prepareStatement") || name.equals("prepareCall") || name.equals("nativeSQL"))
                    && args != null
                    && args.length > 0
                    && args[0] instanceof String sql) {
                args = args.clone();
                args[0] = qualify(sql);
            }
            if (name.equals("unwrap") && args != null && args[0] == Connection.class) {
                return proxy;
            }
            try {
                Object result = method.invoke(target, args);
                if (name.equals("getMetaData") && result instanceof DatabaseMetaData metaData) {
                    return qualifyingMetaData(metaData);
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** Restricts SAS's column-type look-up ({@code getColumns(null, null, table, column)}) to our schema. */
    private DatabaseMetaData qualifyingMetaData(DatabaseMetaData target) {
        return (DatabaseMetaData) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getColumns")
                            && args != null
                            && args.length == 4
                            && args[1] == null
                            && args[2] instanceof String table
                            && SAS_TABLE.matcher(table).matches()) {
                        args = args.clone();
                        args[1] = schema;
                        args[2] = table.toLowerCase();
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
