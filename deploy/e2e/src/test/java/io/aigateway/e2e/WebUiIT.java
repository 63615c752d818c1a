package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The web UI in a real browser: Debian's Chromium ({@code /usr/bin/chromium}, installed by .ci/run) driven by
 * playwright-core (deploy/e2e/ui, version pinned in its package-lock.json; no browser download) through
 * deploy/e2e/ui/ui-e2e.mjs against this stack's edge and Keycloak: the demo user signs in through Keycloak's login
 * form, picks a model, runs a Writing Studio request and a Dictionary look-up, changes a setting and sees it after a
 * reload, sees the usage page count the requests; the admin disables a provider, sees it unavailable in the
 * ModelSelector, enables it again, and downloads the costs CSV. Screenshots of every page go to
 * {@code deploy/e2e/target/ui-screenshots} ({@code -Daigw.ui.screenshots=<dir>} elsewhere, e.g. docs/ui).
 * Without Chromium the test is skipped, in CI (CI=true) it fails.
 */
class WebUiIT {

    static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    /** The provider the admin disables and enables again (served by the fake provider; see E2eStack). */
    static final String DISABLED_PROVIDER = "tgiu";

    private static E2eStack stack;

    @BeforeAll
    static void up() {
        boolean ci = "true".equals(System.getenv("CI")) || "1".equals(System.getenv("CI"));
        boolean present = Files.isExecutable(Path.of(CHROMIUM));
        if (!present && ci) {
            fail(CHROMIUM + " not found: the browser test needs Debian's chromium (.ci/run installs it)");
        }
        Assumptions.assumeTrue(present, CHROMIUM + " not found: WebUiIT skipped (apt-get install -y chromium)");
        stack = E2eStack.get();
        Assumptions.assumeTrue(stack.oidcIssuer() != null,
                "no Keycloak in this run (AIGW_TEST_KEYCLOAK=0): WebUiIT signs in through it");
    }

    @Test
    void theWebUiWorksInARealBrowser() throws Exception {
        Path ui = stack.root.resolve("deploy/e2e/ui");
        try {
            if (!Files.isDirectory(ui.resolve("node_modules/playwright-core"))) {
                run(ui, List.of("npm", "ci", "--no-audit", "--no-fund"), 300, Map.of());
            }
            // relative to the repository's root: -Daigw.ui.screenshots=docs/ui
            Path shots = stack.root.resolve(System.getProperty("aigw.ui.screenshots", "deploy/e2e/target/ui-screenshots"))
                    .toAbsolutePath().normalize();
            Map<String, String> env = Map.of(
                    "AIGW_EDGE_URL", stack.edgeUrl(),
                    "AIGW_OIDC_ISSUER", stack.oidcIssuer(),
                    "AIGW_DEMO_PASSWORD", stack.keycloakDemoPassword,
                    "AIGW_ADMIN_PASSWORD", stack.keycloakAdminPassword,
                    "AIGW_ADMIN_URL", stack.url("admin"),
                    "AIGW_ADMIN_KEY", stack.adminKey,
                    "AIGW_UI_DISABLE_PROVIDER", DISABLED_PROVIDER,
                    "AIGW_UI_SCREENSHOTS", shots.toString(),
                    "CHROMIUM", CHROMIUM);
            Result r = run(ui, List.of("node", "ui-e2e.mjs"), 240, env);
            String out = r.output;
            String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
            assertFalse(last.isEmpty(), "no JSON report from ui-e2e.mjs:\n" + out);
            System.out.println("ui-e2e.mjs: " + last);
            JsonNode report = new ObjectMapper().readTree(last);
            assertEquals(0, r.exit, "ui-e2e.mjs failed (exit " + r.exit + "):\n" + out);
            assertTrue(report.path("ok").asBoolean(), out);

            JsonNode writing = step(report, "demo: Writing Studio request");
            assertEquals("fakeb", writing.path("provider").asText(), out);
            assertFalse(writing.path("model").asText().isBlank(), out);
            assertTrue(writing.path("tokens").asText().matches("[1-9]\\d* \\(\\d+ in, \\d+ out\\)"), out);
            assertTrue(step(report, "demo: Dictionary look-up").path("tokens").asText().matches("[1-9].*"), out);
            assertEquals("cost", step(report, "demo: change a setting, persisted after reload").path("policy").asText(), out);
            JsonNode usage = step(report, "demo: usage page counts the requests");
            assertTrue(usage.path("requests").asLong() >= usage.path("before").asLong() + 2, out);
            assertTrue(step(report, "admin: " + DISABLED_PROVIDER + " unavailable in the selector").path("model").asText()
                    .startsWith(DISABLED_PROVIDER + "/"), out);
            JsonNode csv = step(report, "admin: download the costs CSV");
            assertEquals("provider,day,requests,promptTokens,completionTokens,costUsd,costSavedUsd",
                    csv.path("header").asText(), out);
            assertEquals("costs.csv", csv.path("filename").asText(), out);
            assertTrue(step(report, "admin: analytics, quotas, audit log, health pages").path("audited").asInt() >= 1,
                    "the provider toggles in the audit log: " + out);
            List<String> shotFiles = new ArrayList<>();
            report.path("screenshots").forEach(s -> shotFiles.add(s.asText()));
            for (String page : List.of("signin", "keycloak-login", "writing-studio", "dictionary", "settings", "usage",
                    "api-keys", "admin-providers", "selector-provider-disabled", "admin-costs", "admin-analytics",
                    "admin-quotas", "admin-audit", "admin-health")) {
                assertTrue(shotFiles.stream().anyMatch(f -> f.endsWith(page + ".png") && Files.isRegularFile(Path.of(f))),
                        "screenshot of " + page + " in " + shotFiles);
            }
        } finally {
            // the stack is shared: the provider is enabled again whatever happened (ui-e2e.mjs does it too)
            enableProvider(DISABLED_PROVIDER);
        }
    }

    private static JsonNode step(JsonNode report, String name) {
        for (JsonNode s : report.path("steps")) {
            if (name.equals(s.path("name").asText())) {
                return s;
            }
        }
        return fail("no step '" + name + "' in " + report);
    }

    private void enableProvider(String id) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.url("admin") + "/api/v1/ai/admin/providers/" + id))
                .header("Authorization", "Bearer " + stack.adminKey)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"enabled\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(2, r.statusCode() / 100, "enabling " + id + " again: " + r.statusCode() + " " + r.body());
    }

    private record Result(int exit, String output) {
    }

    private Result run(Path dir, List<String> cmd, int timeoutSeconds, Map<String, String> env)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("aigw-ui-e2e", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(cmd + " timed out after " + timeoutSeconds + " s:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (cmd.get(0).equals("npm")) {
                assertEquals(0, p.exitValue(), cmd + " failed:\n" + out);
            }
            return new Result(p.exitValue(), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
