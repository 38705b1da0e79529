package org.caregate.server.operations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/**
 * Development conveniences only where they belong, decided before any bean exists.
 *
 * <ul>
 *   <li><b>Embedded mode</b> (no {@code spring.datasource.url}): the zero-setup default for developers; the sample
 *       dataset with its published passwords and the example clients with generated credentials are on.</li>
 *   <li><b>External database</b> ({@code spring.datasource.url} set): both are off unless switched on explicitly
 *       ({@code caregate.seed.enabled=true}, {@code caregate.smart.register-example-clients=true}); the server says
 *       so at start.</li>
 *   <li><b>Profile {@code production}</b>: the server refuses to start with the embedded database, the sample data,
 *       the example clients, security switched off or a loopback {@code caregate.public-base-url}, unless
 *       {@code caregate.production.allow-development-settings=true} (then it warns).</li>
 * </ul>
 */
public final class DeploymentDefaults implements EnvironmentPostProcessor, Ordered {

    static final String PRODUCTION_PROFILE = "production";
    static final String SEED = "caregate.seed.enabled";
    static final String EXAMPLE_CLIENTS = "caregate.smart.register-example-clients";
    static final String ALLOW_DEVELOPMENT = "caregate.production.allow-development-settings";

    private final Log log;

    public DeploymentDefaults(DeferredLogFactory logs) {
        this.log = logs.getLog(DeploymentDefaults.class);
    }

    @Override
    public int getOrder() {
        // after the application's own configuration files are read (ConfigDataEnvironmentPostProcessor)
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean external = hasText(environment.getProperty("spring.datasource.url"));
        if (external) {
            Map<String, Object> defaults = new LinkedHashMap<>();
            defaults.put(SEED, "false");
            defaults.put(EXAMPLE_CLIENTS, "false");
            // lowest precedence: anything the operator sets wins
            environment
                    .getPropertySources()
                    .addLast(new MapPropertySource("caregate-external-database-defaults", defaults));
            log.info("External database: the sample dataset is " + onOff(environment, SEED)
                    + " and the example clients are " + onOff(environment, EXAMPLE_CLIENTS)
                    + " (" + SEED + ", " + EXAMPLE_CLIENTS + ")");
        }
        if (environment.acceptsProfiles(Profiles.of(PRODUCTION_PROFILE))) {
            List<String> problems = productionProblems(environment, external);
            if (!problems.isEmpty()) {
                String text = "Profile 'production' with development settings: " + String.join("; ", problems);
                if (environment.getProperty(ALLOW_DEVELOPMENT, Boolean.class, false)) {
                    log.warn(text + " (allowed by " + ALLOW_DEVELOPMENT + "=true)");
                } else {
                    throw new IllegalStateException(
                            text + ". Fix them, or set " + ALLOW_DEVELOPMENT + "=true to start anyway.");
                }
            }
        }
    }

    private static List<String> productionProblems(ConfigurableEnvironment environment, boolean external) {
        List<String> problems = new ArrayList<>();
        if (!external) {
            problems.add("no spring.datasource.url (the embedded PostgreSQL is for development)");
        }
        if (environment.getProperty(SEED, Boolean.class, !external)) {
            problems.add(SEED + "=true loads sample patients with published passwords");
        }
        if (environment.getProperty(EXAMPLE_CLIENTS, Boolean.class, !external)) {
            problems.add(EXAMPLE_CLIENTS + "=true registers example clients with development credentials");
        }
        if (!environment.getProperty("caregate.security.enabled", Boolean.class, true)) {
            problems.add("caregate.security.enabled=false serves /fhir without any security");
        }
        String base = environment.getProperty("caregate.public-base-url", "");
        if (!hasText(base) || base.matches("(?i)https?://(localhost|127\\.[0-9.]+|\\[::1\\])(:[0-9]+)?/?")) {
            problems.add("caregate.public-base-url is not set to the address clients use (it is '" + base + "')");
        }
        return problems;
    }

    private static String onOff(ConfigurableEnvironment environment, String key) {
        return environment.getProperty(key, Boolean.class, false) ? "ON" : "off";
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
