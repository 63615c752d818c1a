package io.aigateway.fake;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeProviderServerTest {

    private static final String BODY = "{\"model\":\"fake-chat\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
            + "{\"role\":\"user\",\"content\":\"hello there  big\\nworld\"}]}";
    /** 2 messages × 4 + 2 words + 4 words. */
    private static final int BODY_PROMPT_TOKENS = 14;

    private static FakeProviderServer server;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = new FakeProviderServer(2);
        int port = server.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + port;
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() throws Exception {
        assertEquals(200, send("POST", "/_control/reset", "", false).statusCode());
    }

    // ------------------------------------------------------------------------------------- JSON answers

    @Test
    void chatCompletionHasOpenAiShapeAndUsageVariesPerRequest() throws Exception {
        Set<Integer> completionTokens = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> resp = chat(BODY, UUID.randomUUID().toString());
            assertEquals(200, resp.statusCode(), resp.body());
            assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("application/json"));
            JsonObject json = new JsonObject(resp.body());
            assertTrue(json.getString("id").startsWith("chatcmpl-"));
            assertEquals("chat.completion", json.getString("object"));
            assertTrue(json.getLong("created") > 1_600_000_000L);
            assertEquals("fake-chat", json.getString("model"));
            JsonArray choices = json.getJsonArray("choices");
            assertEquals(1, choices.size());
            JsonObject choice = choices.getJsonObject(0);
            assertEquals("stop", choice.getString("finish_reason"));
            assertEquals("assistant", choice.getJsonObject("message").getString("role"));
            String content = choice.getJsonObject("message").getString("content");
            JsonObject usage = json.getJsonObject("usage");
            assertEquals(BODY_PROMPT_TOKENS, usage.getInteger("prompt_tokens"));
            int completion = usage.getInteger("completion_tokens");
            assertEquals(content.split(" ").length, completion, "one token per word");
            assertTrue(completion >= 5 && completion < 25, "completion " + completion);
            assertEquals(usage.getInteger("prompt_tokens") + completion, usage.getInteger("total_tokens"));
            completionTokens.add(completion);
        }
        assertTrue(completionTokens.size() >= 4, "completion tokens should vary, got " + completionTokens);
    }

    @Test
    void sameRequestIdGivesSameAnswerAndMaxTokensCaps() throws Exception {
        JsonObject a = new JsonObject(chat(BODY, "req-fixed").body());
        JsonObject b = new JsonObject(chat(BODY, "req-fixed").body());
        assertEquals(content(a), content(b));
        assertEquals(a.getJsonObject("usage"), b.getJsonObject("usage"));

        String capped = BODY.replace("\"model\"", "\"max_tokens\":2,\"model\"");
        JsonObject c = new JsonObject(chat(capped, "req-fixed").body());
        assertEquals(2, c.getJsonObject("usage").getInteger("completion_tokens"));
        assertEquals("length", c.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    }

    @Test
    void promptTokensFollowTheMessages() throws Exception {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"one two three\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]},{\"role\":\"assistant\",\"content\":null},"
                + "{\"role\":\"user\",\"content\":\"four\"}]}";
        JsonObject json = new JsonObject(chat(body, null).body());
        assertEquals(3 * 4 + 3 + 1, json.getJsonObject("usage").getInteger("prompt_tokens"));
        assertEquals("m", json.getString("model"));
    }

    @Test
    void validatesLikeOpenAi() throws Exception {
        assertInvalid(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", null), "model");
        assertInvalid(chat("{\"model\":\"fake-chat\"}", null), "messages");
        assertInvalid(chat("{\"model\":\"fake-chat\",\"messages\":[]}", null), "messages");
        assertInvalid(chat("{\"model\":\"fake-chat\",\"messages\":\"hi\"}", null), "messages");
        assertInvalid(chat("{\"model\":\"fake-chat\",\"messages\":[{\"role\":\"user\"}],\"max_tokens\":0}", null),
                "max_tokens");
        assertInvalid(chat("{\"model\":\"fake-chat\",\"messages\":[{\"role\":\"user\"}],\"stream_options\":"
                + "{\"include_usage\":true}}", null), "stream_options");
        HttpResponse<String> notJson = chat("{nope", null);
        assertEquals(400, notJson.statusCode());
        assertEnvelope(notJson.body());
    }

    @Test
    void requiresBearerUnlessConfiguredOtherwise() throws Exception {
        HttpResponse<String> noAuth = send("POST", "/fake/v1/chat/completions", BODY, false);
        assertEquals(401, noAuth.statusCode());
        assertEnvelope(noAuth.body());
        assertEquals(401, send("GET", "/fake/v1/models", "", false).statusCode());

        control("fake", "{\"apiKey\":\"sk-right\"}");
        HttpResponse<String> wrong = chat(BODY, null);
        assertEquals(401, wrong.statusCode());
        assertEquals("invalid_api_key", new JsonObject(wrong.body()).getJsonObject("error").getString("code"));
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/fake/v1/chat/completions"))
                .header("Authorization", "Bearer sk-right").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        control("fake", "{\"requireAuth\":false,\"apiKey\":null}");
        assertEquals(200, send("POST", "/fake/v1/chat/completions", BODY, false).statusCode());
    }

    @Test
    void modelsAreListedPerUpstream() throws Exception {
        JsonObject defaults = new JsonObject(send("GET", "/fake/v1/models", "", true).body());
        assertEquals("list", defaults.getString("object"));
        assertEquals(List.of("fake-chat", "fake-chat-large"), ids(defaults));

        control("other", "{\"models\":[\"m-1\",\"m-2\",\"m-3\"]}");
        JsonObject custom = new JsonObject(send("GET", "/other/v1/models", "", true).body());
        assertEquals(List.of("m-1", "m-2", "m-3"), ids(custom));
        assertEquals("model", custom.getJsonArray("data").getJsonObject(0).getString("object"));
        assertEquals(List.of("fake-chat", "fake-chat-large"), ids(new JsonObject(send("GET", "/fake/v1/models", "", true).body())));
    }

    @Test
    void unknownPathsAndMethodsAreEnveloped() throws Exception {
        HttpResponse<String> notFound = send("POST", "/fake/v2/nothing", "{}", true);
        assertEquals(404, notFound.statusCode());
        assertEnvelope(notFound.body());
        assertEquals(405, send("GET", "/fake/v1/chat/completions", "", true).statusCode());
        assertEquals(404, send("GET", "//v1/models", "", true).statusCode());
        assertEquals(404, send("GET", "/_other/v1/models", "", true).statusCode());
        assertEquals(200, send("GET", "/_control/health", "", false).statusCode());
    }

    // ------------------------------------------------------------------------------------- streams

    @Test
    void streamIsFramedLikeOpenAi() throws Exception {
        control("fake", "{\"chunks\":4}");
        List<JsonObject> chunks = streamChunks(BODY.replace("\"model\"", "\"stream\":true,\"model\""));
        assertEquals(1 + 4 + 1, chunks.size());
        String id = chunks.get(0).getString("id");
        for (JsonObject chunk : chunks) {
            assertEquals("chat.completion.chunk", chunk.getString("object"));
            assertEquals(id, chunk.getString("id"));
            assertEquals("fake-chat", chunk.getString("model"));
            assertTrue(chunk.containsKey("created"));
            assertFalse(chunk.containsKey("usage"), "no usage field without include_usage");
        }
        JsonObject first = delta(chunks.get(0));
        assertEquals("assistant", first.getString("role"));
        assertEquals("", first.getString("content"));
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            text.append(delta(chunks.get(i)).getString("content"));
            assertNull(chunks.get(i).getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
        }
        assertEquals(4, text.toString().split(" ").length);
        JsonObject last = chunks.get(5).getJsonArray("choices").getJsonObject(0);
        assertEquals("stop", last.getString("finish_reason"));
        assertTrue(last.getJsonObject("delta").isEmpty());
    }

    @Test
    void streamIncludeUsageAddsUsageChunk() throws Exception {
        control("fake", "{\"chunks\":7}");
        List<JsonObject> chunks = streamChunks(BODY.replace("\"model\"",
                "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\""));
        assertEquals(1 + 7 + 1 + 1, chunks.size());
        for (int i = 0; i < chunks.size() - 1; i++) {
            assertTrue(chunks.get(i).containsKey("usage") && chunks.get(i).getValue("usage") == null, "usage:null");
        }
        JsonObject usageChunk = chunks.get(chunks.size() - 1);
        assertTrue(usageChunk.getJsonArray("choices").isEmpty());
        JsonObject usage = usageChunk.getJsonObject("usage");
        assertEquals(BODY_PROMPT_TOKENS, usage.getInteger("prompt_tokens"));
        assertEquals(7, usage.getInteger("completion_tokens"));
        assertEquals(BODY_PROMPT_TOKENS + 7, usage.getInteger("total_tokens"));
    }

    @Test
    void streamHonoursTtftAndChunkDelay() throws Exception {
        control("fake", "{\"chunks\":3,\"ttftMs\":150,\"chunkDelayMs\":120}");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/fake/v1/chat/completions"))
                .header("Authorization", "Bearer k")
                .POST(HttpRequest.BodyPublishers.ofString(BODY.replace("\"model\"", "\"stream\":true,\"model\"")))
                .build();
        long start = System.nanoTime();
        HttpResponse<Stream<String>> resp = http.send(request, HttpResponse.BodyHandlers.ofLines());
        List<Long> contentTimes = new ArrayList<>();
        long roleAt = -1;
        for (String line : (Iterable<String>) resp.body()::iterator) {
            long now = (System.nanoTime() - start) / 1_000_000;
            if (line.contains("\"role\":\"assistant\"")) {
                roleAt = now;
            } else if (line.contains("\"delta\":{\"content\"")) {
                contentTimes.add(now);
            }
        }
        assertEquals(3, contentTimes.size());
        assertTrue(roleAt >= 0 && roleAt < contentTimes.get(0) - 100, "role chunk first, then ttft: " + roleAt + " " + contentTimes);
        for (int i = 0; i < contentTimes.size(); i++) {
            // timers never fire early: chunk i leaves at least ttft + i * chunkDelay after the request started
            assertTrue(contentTimes.get(i) >= 150 + i * 120L, "schedule " + contentTimes);
        }
        for (int i = 1; i < contentTimes.size(); i++) {
            // observed spacing (client-side read jitter tolerated)
            long gap = contentTimes.get(i) - contentTimes.get(i - 1);
            assertTrue(gap >= 80 && gap < 1000, "chunk spacing " + contentTimes);
        }
    }

    @Test
    void streamCanFailAfterSomeChunks() throws Exception {
        String streamBody = BODY.replace("\"model\"", "\"stream\":true,\"model\"");
        control("fake", "{\"chunks\":5,\"streamErrorAfter\":2,\"errorStatus\":503}");
        HttpResponse<String> resp = chat(streamBody, null);
        assertEquals(200, resp.statusCode());
        String[] events = resp.body().split("\n\n");
        assertEquals(1 + 2 + 1, events.length, resp.body());
        JsonObject error = new JsonObject(events[3].substring("data: ".length())).getJsonObject("error");
        assertEquals("overloaded", error.getString("code"));
        assertFalse(resp.body().contains("[DONE]"));

        control("fake", "{\"streamErrorAfter\":null,\"streamDropAfter\":1,\"chunkDelayMs\":20}");
        assertThrows(IOException.class, () -> chat(streamBody, null));

        control("fake", "{\"streamDropAfter\":-1}");
        assertTrue(chat(streamBody, null).body().endsWith("data: [DONE]\n\n"));
    }

    // ------------------------------------------------------------------------------------- knobs

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        control("fake", "{\"latencyMs\":200}");
        long start = System.nanoTime();
        assertEquals(200, chat(BODY, null).statusCode());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 195);
        control("fake", "{\"latencyMs\":null}");
        assertEquals(0, new JsonObject(send("GET", "/_control/upstreams/fake", "", false).body()).getLong("latencyMs"));
    }

    @Test
    void errorRateOneAnswersErrorStatus() throws Exception {
        control("fake", "{\"errorRate\":1,\"errorStatus\":429}");
        HttpResponse<String> limited = chat(BODY, null);
        assertEquals(429, limited.statusCode());
        assertEquals("1", limited.headers().firstValue("retry-after").orElse(null));
        assertEquals("rate_limit_exceeded", new JsonObject(limited.body()).getJsonObject("error").getString("code"));

        control("fake", "{\"errorStatus\":503}");
        HttpResponse<String> overloaded = chat(BODY.replace("\"model\"", "\"stream\":true,\"model\""), null);
        assertEquals(503, overloaded.statusCode());
        assertEnvelope(overloaded.body());

        control("fake", "{\"errorStatus\":500,\"errorBody\":\"{\\\"error\\\":\\\"raw\\\"}\"}");
        HttpResponse<String> raw = chat(BODY, null);
        assertEquals(500, raw.statusCode());
        assertEquals("{\"error\":\"raw\"}", raw.body());

        control("fake", "{\"errorRate\":0}");
        assertEquals(200, chat(BODY, null).statusCode());
    }

    @Test
    void partialErrorRateFailsSomeCalls() throws Exception {
        control("fake", "{\"errorRate\":0.5,\"errorStatus\":500}");
        int failed = 0;
        for (int i = 0; i < 200; i++) {
            if (chat(BODY, null).statusCode() == 500) {
                failed++;
            }
        }
        assertTrue(failed > 50 && failed < 150, "failed " + failed);
    }

    @Test
    void outageClosesTheConnection() throws Exception {
        control("fake", "{\"outage\":true}");
        assertThrows(IOException.class, () -> chat(BODY, null));
        control("fake", "{\"outage\":false}");
        assertEquals(200, chat(BODY, null).statusCode());
    }

    @Test
    void perModelOverrideAppliesOnlyToThatModel() throws Exception {
        control("fake", "{\"model\":\"fake-chat-large\",\"errorRate\":1,\"errorStatus\":503}");
        assertEquals(200, chat(BODY, null).statusCode());
        assertEquals(503, chat(BODY.replace("fake-chat", "fake-chat-large"), null).statusCode());
        // other upstreams are untouched
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/fakeb/v1/chat/completions"))
                .header("Authorization", "Bearer k")
                .POST(HttpRequest.BodyPublishers.ofString(BODY.replace("fake-chat", "fake-chat-large"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        // upstream-wide outage wins over nothing, model override null clears
        control("fake", "{\"model\":\"fake-chat-large\",\"errorRate\":null}");
        assertEquals(200, chat(BODY.replace("fake-chat", "fake-chat-large"), null).statusCode());

        control("fake", "{\"model\":\"fake-chat\",\"outage\":true}");
        assertThrows(IOException.class, () -> chat(BODY, null));
        assertEquals(200, chat(BODY.replace("fake-chat", "fake-chat-large"), null).statusCode());
    }

    @Test
    void controlRejectsBadInput() throws Exception {
        assertEquals(400, send("PUT", "/_control/upstreams/fake", "{\"latency\":5}", false).statusCode());
        assertEquals(400, send("PUT", "/_control/upstreams/fake", "{\"errorRate\":2}", false).statusCode());
        assertEquals(400, send("PUT", "/_control/upstreams/fake", "{\"chunks\":\"x\"}", false).statusCode());
        assertEquals(400, send("PUT", "/_control/upstreams/fake", "{\"latencyMs\":-1}", false).statusCode());
        assertEquals(400, send("PUT", "/_control/upstreams/fake", "{\"chunks\":\"x\"}", false).statusCode());
        assertEquals(400, send("PUT", "/_control/upstreams/fake", "{\"latencyMs\":-1}", false).statusCode());
        assertEquals(400, send("PUT", "/_control/upstreams/fake", "{\"errorStatus\":99}", false).statusCode());
        assertEquals(400, send("PUT", "/_control/upstreams/fake", "{\"model\":\"x\",\"models\":[\"a\"]}", false).statusCode());
        assertEquals(400, send("PUT", "/_control/upstreams/fake", "not json", false).statusCode());
        // nothing was applied by the rejected updates
        JsonObject config = new JsonObject(send("GET", "/_control/upstreams/fake", "", false).body());
        assertEquals(0.0, config.getDouble("errorRate"));
        assertEquals(500, config.getInteger("errorStatus"));
    }

    @Test
    void statsRecordCallsRequestIdsAndHeaders() throws Exception {
        for (int i = 0; i < 3; i++) {
            chat(BODY, "stats-" + i);
        }
        chat(BODY.replace("fake-chat", "fake-chat-large"), "stats-large");
        JsonObject stats = new JsonObject(send("GET", "/_control/stats", "", false).body());
        assertEquals(4, stats.getLong("totalCalls"));
        JsonObject fake = stats.getJsonObject("upstreams").getJsonObject("fake");
        assertEquals(4, fake.getLong("calls"));
        assertEquals(3, fake.getJsonObject("byModel").getLong("fake-chat"));
        assertEquals(1, fake.getJsonObject("byModel").getLong("fake-chat-large"));
        assertEquals(List.of("stats-0", "stats-1", "stats-2", "stats-large"), fake.getJsonArray("lastRequestIds").getList());
        JsonObject lastHeaders = fake.getJsonArray("lastHeaders").getJsonObject(3);
        assertEquals("stats-large", lastHeaders.getString("x-request-id"));
        assertEquals("Bearer test-key", lastHeaders.getString("authorization"));

        for (int i = 0; i < 60; i++) {
            chat(BODY, "many-" + i);
        }
        JsonObject after = new JsonObject(send("GET", "/_control/stats", "", false).body())
                .getJsonObject("upstreams").getJsonObject("fake");
        JsonArray ids = after.getJsonArray("lastRequestIds");
        JsonArray headers = after.getJsonArray("lastHeaders");
        assertEquals(20, headers.size());
        assertEquals("many-40", headers.getJsonObject(0).getString("x-request-id"));
        assertEquals("many-59", headers.getJsonObject(19).getString("x-request-id"));
        assertEquals(50, ids.size());
        assertEquals("many-59", ids.getString(49));
        assertEquals("many-10", ids.getString(0));

        send("POST", "/_control/reset", "", false);
        assertEquals(0, new JsonObject(send("GET", "/_control/stats", "", false).body()).getLong("totalCalls"));
    }

    // ------------------------------------------------------------------------------------- helpers

    private static HttpResponse<String> chat(String body, String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/fake/v1/chat/completions"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer test-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String body, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth) {
            b.header("Authorization", "Bearer k");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void control(String upstream, String json) throws Exception {
        HttpResponse<String> resp = send("PUT", "/_control/upstreams/" + upstream, json, false);
        assertEquals(200, resp.statusCode(), resp.body());
    }

    private static List<JsonObject> streamChunks(String body) throws Exception {
        HttpResponse<String> resp = chat(body, null);
        assertEquals(200, resp.statusCode(), resp.body());
        assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        String[] events = resp.body().split("\n\n");
        List<JsonObject> chunks = new ArrayList<>();
        for (int i = 0; i < events.length; i++) {
            assertTrue(events[i].startsWith("data: "), events[i]);
            String data = events[i].substring(6);
            if (i == events.length - 1) {
                assertEquals("[DONE]", data);
            } else {
                chunks.add(new JsonObject(data));
            }
        }
        assertTrue(resp.body().endsWith("data: [DONE]\n\n"));
        return chunks;
    }

    private static JsonObject delta(JsonObject chunk) {
        return chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
    }

    private static String content(JsonObject completion) {
        return completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
    }

    private static List<String> ids(JsonObject list) {
        List<String> ids = new ArrayList<>();
        list.getJsonArray("data").forEach(o -> ids.add(((JsonObject) o).getString("id")));
        return ids;
    }

    private static void assertInvalid(HttpResponse<String> resp, String param) {
        assertEquals(400, resp.statusCode(), resp.body());
        JsonObject error = assertEnvelope(resp.body());
        assertEquals("invalid_request_error", error.getString("type"));
        assertEquals(param, error.getString("param"));
    }

    private static JsonObject assertEnvelope(String body) {
        JsonObject error = new JsonObject(body).getJsonObject("error");
        for (String key : List.of("message", "type", "param", "code")) {
            assertTrue(error.containsKey(key), "envelope has " + key + ": " + body);
        }
        return error;
    }
}
