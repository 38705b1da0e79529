package org.caregate.server.database;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The statement timeout on an external database's pool (the embedded one sets it itself). */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfig {

    @Bean
    static BeanPostProcessor statementTimeoutOnBootPools(Environment environment) {
        return StatementTimeout.onBootPools(environment);
    }
}
