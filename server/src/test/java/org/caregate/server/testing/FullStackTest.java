package org.caregate.server.testing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.caregate.server.CareGateApplication;
import org.caregate.smart.authserver.Browser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the full-stack tests: the whole CareGate application on a real port, with an embedded PostgreSQL in a
 * fresh data directory and the seed data loaded. Every subclass shares the one Spring context (same
 * configuration), so the application starts once per test run.
 */
@SpringBootTest(classes = CareGateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
// metrics are exported as in production (Spring Boot's tests switch the Prometheus registry off otherwise)
@AutoConfigureObservability(tracing = false)
@Import(FullStackTest.TestClock.class)
public abstract class FullStackTest {

    protected static final int PORT = freePort();
    protected static final String BASE_URL = "http://localhost:" + PORT;
    protected static final String FHIR_BASE = BASE_URL + "/fhir";
    /** The management endpoints' operator account of the tests (caregate.management.*). */
    protected static final String OPERATOR = "operator";

    protected static final String OPERATOR_PASSWORD = "test-operator-password";
    private static final Path DATA = createDataDirectory();
    /** A real SMTP server that keeps every e-mail CareGate sends (activation codes, invitations, resets). */
    protected static final Mailbox MAIL = Mailbox.start();

    @Autowired
    protected MutableClock clock;

    @Autowired
    protected FhirContext fhirContext;

    @DynamicPropertySource
    static void serverProperties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", MAIL::port);
        // tests move the clock; the 90-day site review is checked by the tests that need it, not in the background
        registry.add("caregate.accounts.site-review-check-interval", () -> "0");
        registry.add("caregate.public-base-url", () -> BASE_URL);
        registry.add("caregate.data-dir", () -> DATA.toString());
        registry.add(
                "caregate.database.embedded.data-directory",
                () -> DATA.resolve("postgres").toString());
        registry.add("caregate.management.username", () -> OPERATOR);
        registry.add("caregate.management.password", () -> OPERATOR_PASSWORD);
        // the SMART JavaScript client's test app (e2e.SmartJsClientTest) is served on this fixed loopback address
        registry.add("caregate.smart.extra-redirect-uris", () -> "http://127.0.0.1:18931/smart-app/callback.html");
    }

    /** Sign-ins that pass a TOTP step ({@code Browser.follow}) compute the code on the server's clock. */
    @BeforeEach
    void totpCodesOnTheServersClock() {
        Browser.totpClock = clock::instant;
    }

    @AfterEach
    void putTheClockBack() {
        clock.reset();
    }

    /** HAPI's generic client on the FHIR base, without the capability check on first use, and without a token. */
    protected IGenericClient fhirClient() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return fhirContext.newRestfulGenericClient(FHIR_BASE);
    }

    /** HAPI's generic client sending {@code Authorization: Bearer <accessToken>}. */
    protected IGenericClient fhirClient(String accessToken) {
        IGenericClient client = fhirClient();
        client.registerInterceptor(new BearerTokenAuthInterceptor(accessToken));
        return client;
    }

    /** Real tokens through the real SMART flows. */
    protected static SmartTokens tokens() {
        return new SmartTokens(BASE_URL, DATA);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createDataDirectory() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target.toAbsolutePath(), "caregate-test-data-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
