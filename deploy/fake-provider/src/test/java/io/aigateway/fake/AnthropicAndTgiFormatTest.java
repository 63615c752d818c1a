package io.aigateway.fake;

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

/** The fake's Anthropic Messages (/{u}/v1/messages) and TGI (/{u}/generate, /generate_stream, /health) formats. */
class AnthropicAndTgiFormatTest {

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
        assertEquals(200, send("POST", "/_control/reset", "", false).statusCode());
    }

    private static HttpResponse<String> send(String method, String path, String body, boolean anthropicAuth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("X-Request-Id", "req-fmt-1")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (anthropicAuth) {
            b.header("x-api-key", "sk-ant-x").header("anthropic-version", "2023-06-01");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String MESSAGES = "{\"model\":\"claude-x\",\"max_tokens\":100,\"system\":\"be brief\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there  big\\nworld\"}]";

    @Test
    void anthropicMessage() throws Exception {
        HttpResponse<String> r = send("POST", "/anth/v1/messages", MESSAGES + "}", true);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject m = new JsonObject(r.body());
        assertEquals("message", m.getString("type"));
        assertEquals("end_turn", m.getString("stop_reason"));
        String text = m.getJsonArray("content").getJsonObject(0).getString("text");
        assertEquals(text.split(" ").length, m.getJsonObject("usage").getInteger("output_tokens"));
        assertEquals(14, m.getJsonObject("usage").getInteger("input_tokens"));
        assertEquals(401, send("POST", "/anth/v1/messages", MESSAGES + "}", false).statusCode());
        assertEquals(200, send("GET", "/anth/v1/models", "", true).statusCode(), "models accept x-api-key");
    }

    @Test
    void anthropicStreamEventsAndOverload() throws Exception {
        send("PUT", "/_control/upstreams/anth", "{\"chunks\":3}", false);
        HttpResponse<String> r = send("POST", "/anth/v1/messages", MESSAGES + ",\"stream\":true}", true);
        assertEquals(200, r.statusCode());
        List<String> names = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("event: ")) {
                names.add(line.substring(7));
            }
        }
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"), names);
        assertTrue(r.body().contains("\"output_tokens\":3"));
        send("PUT", "/_control/upstreams/anth", "{\"errorRate\":1,\"errorStatus\":529}", false);
        HttpResponse<String> e = send("POST", "/anth/v1/messages", MESSAGES + "}", true);
        assertEquals(529, e.statusCode());
        assertEquals("overloaded_error", new JsonObject(e.body()).getJsonObject("error").getString("type"));
    }

    @Test
    void tgiGenerateAndStream() throws Exception {
        HttpResponse<String> r = send("POST", "/tgi/generate", "{\"inputs\":\"<s>[INST] hi there [/INST]\",\"parameters\":{\"max_new_tokens\":3}}", false);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject g = new JsonObject(r.body());
        assertEquals(3, g.getJsonObject("details").getInteger("generated_tokens"));
        assertEquals("length", g.getJsonObject("details").getString("finish_reason"));
        assertEquals("8", r.headers().firstValue("x-prompt-tokens").orElse(null));
        send("PUT", "/_control/upstreams/tgi", "{\"chunks\":2,\"ttftMs\":20}", false);
        HttpResponse<String> s = send("POST", "/tgi/generate_stream", "{\"inputs\":\"hi\",\"stream\":true}", false);
        String[] events = s.body().split("\n\n");
        assertEquals(3, events.length, s.body());
        JsonObject last = new JsonObject(events[2].substring(5));
        assertTrue(last.getJsonObject("token").getBoolean("special"));
        assertEquals(2, last.getJsonObject("details").getInteger("generated_tokens"));
        assertEquals(5, last.getJsonObject("details").getInteger("input_length"));
        assertFalse(s.body().contains("[DONE]"));
        assertEquals(200, send("GET", "/tgi/health", "", false).statusCode());
        send("PUT", "/_control/upstreams/tgi", "{\"errorRate\":1,\"errorStatus\":503}", false);
        HttpResponse<String> loading = send("POST", "/tgi/generate", "{\"inputs\":\"hi\"}", false);
        assertEquals(503, loading.statusCode());
        assertTrue(new JsonObject(loading.body()).getString("error").contains("loading"));
    }
}
