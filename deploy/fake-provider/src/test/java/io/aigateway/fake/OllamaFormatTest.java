package io.aigateway.fake;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Ollama wire format of the fake: /{u}/api/chat (JSON and NDJSON), /api/tags, /api/version, same knobs. */
class OllamaFormatTest {

    /** 2 messages × 4 + 2 words + 4 words (the shared token rule). */
    private static final String MESSAGES = "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
            + "{\"role\":\"user\",\"content\":\"hello there  big\\nworld\"}]";
    private static final int PROMPT_TOKENS = 14;

    private static FakeProviderServer server;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = new FakeProviderServer(1);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() throws Exception {
        assertEquals(200, send("POST", "/_control/reset", "").statusCode());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("X-Request-Id", "req-ollama-1")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void oneShotChatHasOllamaShapeAndTheTokenRule() throws Exception {
        HttpResponse<String> r = send("POST", "/local/api/chat", "{\"model\":\"llama3.2\",\"stream\":false," + MESSAGES + "}");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject json = new JsonObject(r.body());
        assertEquals("llama3.2", json.getString("model"));
        assertTrue(json.getBoolean("done"));
        assertEquals("stop", json.getString("done_reason"));
        assertEquals("assistant", json.getJsonObject("message").getString("role"));
        String content = json.getJsonObject("message").getString("content");
        assertEquals(content.split(" ").length, json.getInteger("eval_count"));
        assertEquals(PROMPT_TOKENS, json.getInteger("prompt_eval_count"));
        assertTrue(json.getString("created_at").contains("T"));
    }

    @Test
    void numPredictCapsWithLength() throws Exception {
        HttpResponse<String> r = send("POST", "/local/api/chat",
                "{\"model\":\"llama3.2\",\"stream\":false,\"options\":{\"num_predict\":2,\"seed\":3}," + MESSAGES + "}");
        JsonObject json = new JsonObject(r.body());
        assertEquals(2, json.getInteger("eval_count"));
        assertEquals("length", json.getString("done_reason"));
    }

    @Test
    void streamsNdjsonByDefault() throws Exception {
        send("PUT", "/_control/upstreams/local", "{\"chunks\":3}");
        HttpResponse<String> r = send("POST", "/local/api/chat", "{\"model\":\"llama3.2\"," + MESSAGES + "}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/x-ndjson"));
        List<JsonObject> lines = new ArrayList<>();
        for (String l : r.body().split("\n")) {
            lines.add(new JsonObject(l));
        }
        assertEquals(4, lines.size());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            assertFalse(lines.get(i).getBoolean("done"));
            text.append(lines.get(i).getJsonObject("message").getString("content"));
        }
        JsonObject last = lines.get(3);
        assertTrue(last.getBoolean("done"));
        assertEquals("", last.getJsonObject("message").getString("content"));
        assertEquals(3, last.getInteger("eval_count"));
        assertEquals(PROMPT_TOKENS, last.getInteger("prompt_eval_count"));
        assertEquals(3, text.toString().split(" ").length);
    }

    @Test
    void streamErrorAfterIsAnErrorLine() throws Exception {
        send("PUT", "/_control/upstreams/local", "{\"chunks\":3,\"streamErrorAfter\":1}");
        HttpResponse<String> r = send("POST", "/local/api/chat", "{\"model\":\"llama3.2\"," + MESSAGES + "}");
        assertEquals(200, r.statusCode());
        String[] lines = r.body().split("\n");
        assertEquals(2, lines.length);
        assertTrue(new JsonObject(lines[1]).getString("error").length() > 0);
    }

    @Test
    void injectedErrorsAreOllamaShaped() throws Exception {
        send("PUT", "/_control/upstreams/local", "{\"errorRate\":1,\"errorStatus\":503}");
        HttpResponse<String> r = send("POST", "/local/api/chat", "{\"model\":\"llama3.2\",\"stream\":false," + MESSAGES + "}");
        assertEquals(503, r.statusCode());
        assertTrue(new JsonObject(r.body()).getString("error").contains("busy"));
        assertEquals(400, send("POST", "/local/api/chat", "{\"messages\":[]}").statusCode());
    }

    @Test
    void tagsAndVersion() throws Exception {
        send("PUT", "/_control/upstreams/local", "{\"models\":[\"llama3.2:latest\",\"qwen2.5:7b\"]}");
        JsonArray models = new JsonObject(send("GET", "/local/api/tags", "").body()).getJsonArray("models");
        assertEquals(2, models.size());
        assertEquals("llama3.2:latest", models.getJsonObject(0).getString("name"));
        HttpResponse<String> v = send("GET", "/local/api/version", "");
        assertEquals(200, v.statusCode());
        assertTrue(new JsonObject(v.body()).getString("version").matches("\\d+\\.\\d+\\.\\d+"));
    }
}
