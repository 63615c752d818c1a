package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Postman collection of docs/postman (every request of docs/api.md) run by newman (version pinned in
 * deploy/e2e/postman/package-lock.json) against this stack: a fresh user key whose user has the local stack's demo
 * tier ({@code pro}), the stack's admin key, and Keycloak's two realm users for the OIDC requests. Passes when newman
 * exits 0 and its JSON report ({@code deploy/e2e/target/newman.json}) shows no failed assertion or request and as many
 * executed requests as the collection has (a request skipped silently fails the test).
 *
 * <p>The collection's OIDC requests need Keycloak: without it (AIGW_TEST_KEYCLOAK=0) the test is skipped, in CI
 * (CI=true) it fails.
 */
class PostmanIT {

    private static final ObjectMapper MAPPER = Json.newMapper();
    private static E2eStack stack;

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    @Test
    void postmanCollectionPassesAgainstTheStack() throws Exception {
        boolean ci = "true".equals(System.getenv("CI")) || "1".equals(System.getenv("CI"));
        if (stack.oidcIssuer() == null) {
            assertFalse(ci, "no Keycloak in this run: the collection's OIDC requests need it (deploy/bin/test starts one"
                    + " for the e2e module unless AIGW_TEST_KEYCLOAK=0)");
            Assumptions.assumeTrue(false, "no Keycloak in this run (AIGW_TEST_KEYCLOAK=0): PostmanIT skipped");
        }
        Path collection = stack.root.resolve("docs/postman/ai-gateway.postman_collection.json");
        Path environment = stack.root.resolve("docs/postman/local.postman_environment.json");
        Path dir = stack.root.resolve("deploy/e2e/postman");
        Path report = stack.root.resolve("deploy/e2e/target/newman.json");
        Files.deleteIfExists(report);

        // the demo user of deploy/bin/stack has tier pro (x-ratelimit-* on every answer); this run's users default to
        // unlimited, so this one gets the same tier through the admin API
        String user = "e2e-postman-" + stack.runId;
        String key = stack.createKey(user, List.of("user"));
        HttpResponse<String> tier = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.url("admin") + "/api/v1/ai/admin/quotas/users/" + user))
                .header("Authorization", "Bearer " + stack.adminKey).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"tier\":\"pro\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tier.statusCode(), tier.body());

        if (!Files.isDirectory(dir.resolve("node_modules/newman"))) {
            run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        List<String> cmd = new ArrayList<>(List.of("node", "node_modules/newman/bin/newman.js", "run", collection.toString(),
                "-e", environment.toString(),
                "--env-var", "base=" + stack.edgeUrl(),
                "--env-var", "adminBase=" + stack.url("admin"),
                "--env-var", "oidcIssuer=" + stack.oidcIssuer(),
                "--env-var", "userKey=" + key,
                "--env-var", "adminKey=" + stack.adminKey,
                "--env-var", "demoUser=demo",
                "--env-var", "demoPassword=" + stack.keycloakDemoPassword,
                "--env-var", "adminUser=admin",
                "--env-var", "adminPassword=" + stack.keycloakAdminPassword,
                "--timeout-request", "60000",
                "--reporters", "cli,json", "--reporter-json-export", report.toString(),
                "--color", "off", "--disable-unicode"));
        String out = run(dir, cmd, 600);

        JsonNode run = MAPPER.readTree(report.toFile()).path("run");
        JsonNode stats = run.path("stats");
        List<String> inCollection = new ArrayList<>();
        requestNames(MAPPER.readTree(collection.toFile()).path("item"), inCollection);
        // executions also hold the responses of pm.sendRequest calls of a request's scripts (under that request)
        java.util.Set<String> executed = new java.util.TreeSet<>();
        run.path("executions").forEach(e -> executed.add(e.path("item").path("name").asText()));
        System.out.printf("newman: %d requests in the collection, %d run, %d assertions (%d failed)%n", inCollection.size(),
                stats.path("items").path("total").asInt(), stats.path("assertions").path("total").asInt(),
                stats.path("assertions").path("failed").asInt());
        assertEquals(0, stats.path("assertions").path("failed").asInt(-1), out);
        assertEquals(0, stats.path("requests").path("failed").asInt(-1), out);
        assertEquals(0, stats.path("testScripts").path("failed").asInt(-1), out);
        assertEquals(0, stats.path("prerequestScripts").path("failed").asInt(-1), out);
        assertTrue(inCollection.size() > 50, "the collection has " + inCollection.size() + " requests");
        assertEquals(inCollection.size(), new java.util.HashSet<>(inCollection).size(), "request names must be unique");
        assertEquals(new java.util.TreeSet<>(inCollection), executed, "every request of the collection ran:\n" + out);
        assertEquals(inCollection.size(), stats.path("items").path("total").asInt(), "requests run:\n" + out);
        assertTrue(stats.path("assertions").path("total").asInt() >= 2 * inCollection.size(), out);
    }

    /** The names of the collection's requests, folders descended. */
    private static void requestNames(JsonNode items, List<String> names) {
        for (JsonNode item : items) {
            if (item.has("item")) {
                requestNames(item.get("item"), names);
            } else {
                names.add(item.path("name").asText());
            }
        }
    }

    /** Runs a command in {@code dir}; its output on failure. The secrets on its command line are never printed. */
    private static String run(Path dir, List<String> cmd, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String s = new String(out, StandardCharsets.UTF_8);
        System.out.println(s);
        assertTrue(done, cmd.get(0) + " " + cmd.get(1) + " timed out");
        assertEquals(0, p.exitValue(), cmd.get(0) + " " + cmd.get(1) + " failed:\n" + s);
        return s;
    }
}
