package org.caregate.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Node side of the end-to-end tests: {@code server/src/test/node} (newman, puppeteer-core, fhirclient, installed
 * by {@code server/src/test/scripts/install-test-tools.sh}, which {@code ./mvnw verify} runs before the tests) and
 * Debian's Chromium. Runs its scripts as subprocesses, with a time limit, keeping their output under
 * {@code target/e2e/}.
 */
final class NodeScripts {

    /** The server module (Maven runs the tests there). */
    static final Path SERVER_MODULE = locateServerModule();

    static final Path NODE_PROJECT = SERVER_MODULE.resolve("src/test/node");
    static final Path REPOSITORY = SERVER_MODULE.getParent();
    static final Path OUTPUT = SERVER_MODULE.resolve("target/e2e");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CAREGATE_CHROMIUM", "/usr/bin/chromium"));
    private static final String INSTALL = "server/src/test/scripts/install-test-tools.sh";

    private NodeScripts() {}

    /** Fails, naming the install script, unless {@code npm ci} has run in the Node project. */
    static void requireNodePackages() {
        if (!Files.isExecutable(NODE_PROJECT.resolve("node_modules/.bin/newman"))
                || !Files.isDirectory(NODE_PROJECT.resolve("node_modules/puppeteer-core"))) {
            fail("The Node test tools are not installed in " + NODE_PROJECT + ": run `bash " + INSTALL
                    + "` (needs Node 20+ and npm; ./mvnw verify runs it in phase process-test-classes)");
        }
    }

    /**
     * Chromium must be there: the install script puts it there when it runs as root (as CI does). Only a developer's
     * machine that is not root, not CI and has no Chromium skips the browser tests, and says why.
     */
    static void requireChromium() {
        requireNodePackages();
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        String message = "Chromium not found at " + CHROMIUM + ": install it (`apt-get install -y chromium`, or run `"
                + INSTALL + "` as root) or set CAREGATE_CHROMIUM to its path";
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank();
        if (root || ci) {
            fail(message);
        }
        Assumptions.abort("browser test skipped (not root, not CI): " + message);
    }

    /** Runs {@code command} in the Node project; its stdout and stderr are kept in target/e2e/{name}.*.log. */
    static Result run(String name, Duration timeout, List<String> command) {
        try {
            Files.createDirectories(OUTPUT);
            Path stdout = OUTPUT.resolve(name + ".stdout.log");
            Path stderr = OUTPUT.resolve(name + ".stderr.log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(NODE_PROJECT.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().put("NO_COLOR", "1");
            builder.environment().put("PUPPETEER_SKIP_DOWNLOAD", "true");
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail(name + " did not finish within " + timeout + "; output so far in " + stdout + " and " + stderr);
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code node <script> <arguments...>}. */
    static Result node(String name, Duration timeout, String script, String... arguments) {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(arguments));
        return run(name, timeout, command);
    }

    record Result(int exitCode, String stdout, String stderr) {

        /** For assertion messages: both streams, the end of each if long. */
        String describe() {
            return "exit code " + exitCode + "\n--- stdout\n" + tail(stdout) + "\n--- stderr\n" + tail(stderr);
        }

        private static String tail(String text) {
            return text.length() <= 20_000 ? text : "…" + text.substring(text.length() - 20_000);
        }
    }

    private static Path locateServerModule() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : List.of(here, here.resolve("server"))) {
            if (Files.isDirectory(candidate.resolve("src/test/node"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("run the tests from the server module or the repository root, not " + here);
    }

    /** The one JSON document a script printed on stdout (chromium.js's report()). */
    static JsonNode jsonReport(String script, Result result) {
        try {
            return new ObjectMapper().readTree(result.stdout());
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(script + " printed no JSON report: " + result.describe(), e);
        }
    }

    static void assertExitedNormally(String what, Result result) {
        assertThat(result.exitCode()).as("%s: %s", what, result.describe()).isZero();
    }
}
