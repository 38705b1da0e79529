package org.caregate.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.caregate.server.testing.FullStackTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authorization server's login, patient picker and approval pages in headless Chromium on a phone-sized
 * viewport (390x844), driven by {@code auth-pages.js} as maria: each page renders and is usable, and a scope unticked
 * on the approval page is not granted, its laboratory category ticked instead is (granular sub-scopes). Screenshots: {@code server/target/e2e/screenshots/{login,picker,approval}.png}.
 */
class AuthPagesBrowserTest extends FullStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = NodeScripts.OUTPUT.resolve("screenshots");
    private static JsonNode run;

    /** Once for the class, after the Spring context (the server) is up. */
    @BeforeEach
    void walkThroughThePagesOnce() {
        NodeScripts.requireChromium();
        if (run != null) {
            return;
        }
        NodeScripts.Result result = NodeScripts.node(
                "auth-pages",
                Duration.ofMinutes(2),
                "auth-pages.js",
                JSON.createObjectNode()
                        .put("baseUrl", BASE_URL)
                        .put("screenshots", SCREENSHOTS.toString())
                        .toString());
        JsonNode report = NodeScripts.jsonReport("auth-pages.js", result);
        assertThat(report.path("ok").asBoolean())
                .as("auth-pages.js: %s", result.describe())
                .isTrue();
        run = report;
    }

    @Test
    void loginPageWhenOpenedOnAPhoneThenLabelledAndFitsTheScreen() {
        assertUsableOnAPhone(page("login"), "/auth/login", "Sign in to CareGate");
        assertThat(page("login").path("smallestInputFontPx").asDouble())
                .as("text inputs at 16px or more (smaller makes mobile browsers zoom in)")
                .isGreaterThanOrEqualTo(16);
    }

    @Test
    void pickerWhenMariaSignsInThenOffersHerAndHerYoungerChildrenOnly() {
        assertUsableOnAPhone(page("picker"), "/auth/picker", "Choose a patient");
        assertThat(texts(page("picker").path("choices")))
                .containsExactlyInAnyOrder("pat-parent-garcia", "pat-family-4", "pat-family-11");
    }

    @Test
    void approvalPageWhenAScopeIsUntickedForItsLaboratoryCategoryThenTheGrantFollowsTheTicks() {
        JsonNode approval = page("approval");
        assertUsableOnAPhone(approval, "/auth/consent", "Allow");
        List<String> offered = new ArrayList<>();
        approval.path("scopes").forEach(box -> {
            offered.add(box.path("scope").asText());
            assertThat(box.path("checked").asBoolean())
                    .as("%s ticked by default", box)
                    .isTrue();
        });
        assertThat(offered)
                .containsExactlyInAnyOrder(
                        "openid", "fhirUser", "launch/patient", "patient/Patient.rs", "patient/Observation.rs");

        assertThat(run.path("patient").asText()).isEqualTo("pat-family-4");
        List<String> categories = new ArrayList<>();
        approval.path("categories").forEach(box -> {
            categories.add(box.path("scope").asText());
            assertThat(box.path("checked").asBoolean())
                    .as("%s unticked by default", box)
                    .isFalse();
        });
        String laboratory =
                "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory";
        assertThat(categories).hasSize(5).contains(laboratory);
        assertThat(run.path("grantedScope").asText().split(" "))
                .contains("patient/Patient.rs", "launch/patient", "openid", laboratory)
                .doesNotContain("patient/Observation.rs");
    }

    private static void assertUsableOnAPhone(JsonNode page, String path, String heading) {
        assertThat(page.path("path").asText()).isEqualTo(path);
        assertThat(page.path("lang").asText()).as("html lang").isEqualTo("en");
        assertThat(page.path("viewportMeta").asText()).as("viewport meta").contains("width=device-width");
        assertThat(page.path("heading").asText()).as("h1").startsWith(heading);
        assertThat(page.path("title").asText()).as("title").endsWith("CareGate");
        assertThat(page.path("controls").asInt()).as("form controls").isPositive();
        assertThat(page.path("unlabelledControls"))
                .as("controls without a label")
                .isEmpty();
        assertThat(page.path("horizontalOverflow").asBoolean())
                .as("wider than 390 px")
                .isFalse();
        assertThat(page.path("bodyFontPx").asDouble()).as("body text size").isGreaterThanOrEqualTo(16);
        assertThat(page.path("smallestButtonPx").asDouble())
                .as("buttons at least 24 px (WCAG 2.2 target size)")
                .isGreaterThanOrEqualTo(24);
        assertThat(Path.of(page.path("screenshot").asText())).as("screenshot").exists();
    }

    private static JsonNode page(String name) {
        return run.path("pages").path(name);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
