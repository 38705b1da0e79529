package org.caregate.server.operations;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator account of the management endpoints ({@code /actuator/*}, or {@code management.server.port} when
 * set). The liveness and readiness probes answer anyone (status only); metrics, health details and the other
 * endpoints need HTTP Basic with this account, which has the role {@code OPERATOR}.
 *
 * @param username the operator's user name
 * @param password the operator's password: {@code {bcrypt}$2a$...} (recommended) or the plain text; with none set,
 *     every management endpoint but the probes refuses everyone
 */
@ConfigurationProperties("caregate.management")
public record ManagementProperties(@DefaultValue("operator") String username, String password) {

    public boolean hasOperator() {
        return password != null && !password.isBlank();
    }
}
