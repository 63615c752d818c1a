package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs the code of docs/migrating-from-gemini.md and docs/integration.md (the files under docs/examples, which the
 * guides include verbatim: {@link DocsExamplesTest}) against the stack and checks what they print. The "before"
 * examples call the fake provider's Gemini endpoint (upstream {@code gem}) with Google's SDK or plain HTTP; the
 * "after" ones call the edge with a fresh API key and model {@code gem/fake-chat}, the stack's provider of kind
 * {@code gemini} — so each pair shows the same Gemini upstream reached directly and through the gateway.
 */
class GuidesIT {

    private static final Pattern USAGE = Pattern.compile("(?m)^usage: prompt=(\\d+) completion=(\\d+)(?: total=(\\d+))?$");
    private static final Pattern STREAM = Pattern.compile("(?m)^stream: (\\d+) chunks: (.*)$");
    private static final Pattern STREAM_USAGE = Pattern.compile("(?m)^stream usage: prompt=(\\d+) completion=(\\d+)$");
    private static final Pattern TEXT = Pattern.compile("(?m)^text: (.*)$");

    private static E2eStack stack;
    private static Path examples;
    private static String userId;
    private static String key;

    @BeforeAll
    static void up() throws Exception {
        stack = E2eStack.get();
        examples = stack.root.resolve("docs/examples");
        if (!Files.isDirectory(examples.resolve("node_modules/openai"))
                || !Files.isDirectory(examples.resolve("node_modules/@google/genai"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        }
        userId = "e2e-guides-" + stack.runId;
        key = stack.createKey(userId, List.of("user"));
    }

    // ---------------------------------------------------------------- Gemini: before (direct)

    @Test
    void geminiBeforeNodeCallsGeminiWithGooglesSdk() throws Exception {
        long calls = gemCalls();
        String out = run(List.of("node", "gemini/before.mjs"), geminiEnv(), 120);
        assertAnswer(out);
        assertTrue(out.contains("finish: STOP"), out);
        assertTrue(gemCalls() >= calls + 2, "both calls reached the Gemini upstream:\n" + out);
    }

    @Test
    void geminiBeforeJavaCallsGeminiRest() throws Exception {
        long calls = gemCalls();
        String out = run(List.of(java(), "gemini/Before.java"), geminiEnv(), 180);
        assertAnswer(out);
        assertTrue(out.contains("finish: STOP"), out);
        assertTrue(gemCalls() >= calls + 2, "both calls reached the Gemini upstream:\n" + out);
    }

    // ---------------------------------------------------------------- Gemini: after (through the gateway)

    @Test
    void geminiAfterNodeCallsTheGatewayWithTheOpenAiSdk() throws Exception {
        forgetCachedAnswers("gem");
        long calls = gemCalls();
        String out = run(List.of("node", "gemini/after.mjs"), gatewayEnv("gem/fake-chat"), 120);
        assertAnswer(out);
        assertTrue(out.contains("finish: stop"), out);
        assertTrue(out.contains("provider: gem model: fake-chat"), "routed to the gemini-kind provider:\n" + out);
        assertTrue(Pattern.compile("(?m)^request id: \\S+$").matcher(out).find(), out);
        assertTrue(gemCalls() >= calls + 2, "the gateway spoke Gemini's wire format upstream:\n" + out);
    }

    @Test
    void geminiAfterJavaCallsTheGatewayWithPlainHttp() throws Exception {
        forgetCachedAnswers("gem");
        long calls = gemCalls();
        String out = run(List.of(java(), "gemini/After.java"), gatewayEnv("gem/fake-chat"), 180);
        assertAnswer(out);
        assertTrue(out.contains("finish: stop"), out);
        assertTrue(out.contains("provider: gem model: fake-chat"), "routed to the gemini-kind provider:\n" + out);
        assertTrue(gemCalls() >= calls + 2, "the gateway spoke Gemini's wire format upstream:\n" + out);
    }

    // ---------------------------------------------------------------- integration guide

    @Test
    void integrationNodeExampleListsModelsRoutesByPolicyAndStreams() throws Exception {
        String out = run(List.of("node", "integration/openai-node.mjs"), gatewayEnv(null), 120);
        Matcher models = Pattern.compile("(?m)^models: (\\d+): (.*)$").matcher(out);
        assertTrue(models.find(), out);
        List<String> ids = List.of(models.group(2).split(", "));
        assertTrue(ids.contains("chat-default") && ids.contains("gem/fake-chat") && ids.contains("fake/fake-chat"), out);
        assertEquals(ids.size(), Integer.parseInt(models.group(1)), out);
        Matcher text = TEXT.matcher(out);
        assertTrue(text.find() && !text.group(1).isBlank(), out);
        assertPositive(USAGE, out);
        Matcher routed = Pattern.compile("(?m)^routed: provider=(\\S+) model=(\\S+) policy=(\\S+) attempts=(\\d+) reason=(\\S+)$")
                .matcher(out);
        assertTrue(routed.find(), out);
        assertTrue(List.of("fake", "fakeb").contains(routed.group(1)), "a member of chat-default:\n" + out);
        assertEquals("fake-chat", routed.group(2), out);
        assertEquals("cost", routed.group(3), "X-Aigw-Policy applied:\n" + out);
        assertTrue(routed.group(5).startsWith("group:chat-default") || routed.group(5).equals("cache"), out);
        assertTrue(Pattern.compile("(?m)^cache: (HIT|MISS|COALESCED|BYPASS) request id: \\S+$").matcher(out).find(), out);
        assertTrue(out.contains("requests left: "), out);
        assertStream(out);
    }

    @Test
    void integrationErrorsExampleShowsModelNotFoundAndQuotaExhaustion() throws Exception {
        String quotaUser = "e2e-guides-quota-" + stack.runId;
        String quotaKey = stack.createKey(quotaUser, List.of("user"));
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.url("admin") + "/api/v1/ai/admin/quotas/users/" + quotaUser))
                .header("Authorization", "Bearer " + stack.adminKey)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"limits\":{\"requestsPerDay\":2}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());

        Map<String, String> env = new java.util.HashMap<>(gatewayEnv(null));
        env.put("AIGW_API_KEY", quotaKey);
        env.put("AIGW_REQUESTS", "4");
        String out = run(List.of("node", "integration/errors-node.mjs"), env, 120);
        assertTrue(out.contains("unknown model: status=404 code=model_not_found param=model should-retry=false"), out);
        int ok = count(Pattern.compile("(?m)^request \\d: ok, [1-9]\\d* completion tokens$"), out);
        assertTrue(ok >= 1 && ok <= 2, "answers within the budget of 2:\n" + out);
        assertTrue(Pattern.compile("(?m)^error: status=429 code=insufficient_quota type=insufficient_quota "
                + "retry-after=[1-9]\\d* request id=\\S+$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^request \\d: quota exhausted: You exceeded your quota").matcher(out).find(), out);
    }

    // ---------------------------------------------------------------- helpers

    private static void assertAnswer(String out) {
        Matcher text = TEXT.matcher(out);
        assertTrue(text.find() && !text.group(1).isBlank(), "an answer's text:\n" + out);
        Matcher usage = assertPositive(USAGE, out);
        if (usage.group(3) != null) {
            assertEquals(Long.parseLong(usage.group(1)) + Long.parseLong(usage.group(2)), Long.parseLong(usage.group(3)), out);
        }
        assertStream(out);
    }

    private static void assertStream(String out) {
        Matcher stream = STREAM.matcher(out);
        assertTrue(stream.find(), out);
        assertTrue(Integer.parseInt(stream.group(1)) >= 2, "a stream of several chunks:\n" + out);
        assertFalse(stream.group(2).isBlank(), "streamed text:\n" + out);
        assertPositive(STREAM_USAGE, out);
    }

    private static Matcher assertPositive(Pattern p, String out) {
        Matcher m = p.matcher(out);
        assertTrue(m.find(), p + " in:\n" + out);
        assertTrue(Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(2)) > 0, "token counts > 0:\n" + out);
        return m;
    }

    private static int count(Pattern p, String out) {
        int n = 0;
        for (Matcher m = p.matcher(out); m.find(); ) {
            n++;
        }
        return n;
    }

    /**
     * The after examples send the same questions (Node and Java alike): drop what an earlier run put in the response
     * cache for the provider, so each run reaches the Gemini upstream (admin API, as an operator would).
     */
    private static void forgetCachedAnswers(String provider) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.url("admin") + "/api/v1/ai/admin/cache/invalidate"))
                .header("Authorization", "Bearer " + stack.adminKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"provider\":\"" + provider + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** Chat calls the fake provider's Gemini upstream has served so far. */
    private static long gemCalls() throws Exception {
        JsonNode u = stack.fakeStats().path("upstreams").path("gem");
        return u.path("calls").asLong(0);
    }

    private static Map<String, String> geminiEnv() {
        return Map.of("GEMINI_BASE_URL", stack.fakeUrl() + "/gem", "GEMINI_API_KEY", "gem-key",
                "GEMINI_MODEL", "fake-chat");
    }

    private static Map<String, String> gatewayEnv(String model) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("AIGW_BASE_URL", stack.edgeUrl() + "/v1");
        env.put("AIGW_API_KEY", key);
        if (model != null) {
            env.put("AIGW_MODEL", model);
        }
        return env;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String run(List<String> cmd, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(examples.toFile()).redirectErrorStream(true);
        // the examples' own defaults must not leak in from the machine
        pb.environment().keySet().removeIf(k -> k.startsWith("AIGW_") || k.startsWith("GEMINI_") || k.startsWith("GOOGLE_"));
        pb.environment().putAll(env);
        Path log = Files.createTempFile("guides-example-", ".log");
        try {
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String s = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println("--- " + String.join(" ", cmd) + "\n" + s);
            assertTrue(ended, cmd + " timed out after " + timeoutSeconds + " s:\n" + s);
            assertEquals(0, p.exitValue(), cmd + " failed:\n" + s);
            return s;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
