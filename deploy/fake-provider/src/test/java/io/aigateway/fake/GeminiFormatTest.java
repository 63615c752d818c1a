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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fake's Gemini format: /{u}/v1beta/models/{model}:generateContent, :streamGenerateContent?alt=sse, /v1beta/models. */
class GeminiFormatTest {

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
        assertEquals(200, send("POST", "/_control/reset", "", null).statusCode());
    }

    private static HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("X-Request-Id", "req-gem-1")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("x-goog-api-key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String GENERATE = "/gem/v1beta/models/gemini-2.0-flash:generateContent";
    private static final String STREAM = "/gem/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse";
    private static final String REQUEST = "{\"systemInstruction\":{\"parts\":[{\"text\":\"be brief\"}]},"
            + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hello there  big\\nworld\"}]}]";

    private static List<JsonObject> frames(String body) {
        List<JsonObject> frames = new ArrayList<>();
        for (String event : body.split("\r\n\r\n")) {
            if (event.startsWith("data: ")) {
                frames.add(new JsonObject(event.substring(6)));
            }
        }
        return frames;
    }

    @Test
    void generateContent() throws Exception {
        HttpResponse<String> r = send("POST", GENERATE, REQUEST + "}", "AIza-x");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject g = new JsonObject(r.body());
        JsonObject candidate = g.getJsonArray("candidates").getJsonObject(0);
        assertEquals("STOP", candidate.getString("finishReason"));
        assertEquals("model", candidate.getJsonObject("content").getString("role"));
        String text = candidate.getJsonObject("content").getJsonArray("parts").getJsonObject(0).getString("text");
        JsonObject usage = g.getJsonObject("usageMetadata");
        assertEquals(text.split(" ").length, usage.getInteger("candidatesTokenCount"));
        assertEquals(14, usage.getInteger("promptTokenCount"), "(4+4) + (2+4): the system instruction is one more message");
        assertEquals(14 + text.split(" ").length, usage.getInteger("totalTokenCount"));
        assertEquals("gemini-2.0-flash", g.getString("modelVersion"));

        JsonObject capped = new JsonObject(send("POST", GENERATE, REQUEST + ",\"generationConfig\":{\"maxOutputTokens\":2}}", "k").body());
        assertEquals("MAX_TOKENS", capped.getJsonArray("candidates").getJsonObject(0).getString("finishReason"));
        assertEquals(2, capped.getJsonObject("usageMetadata").getInteger("candidatesTokenCount"));
    }

    @Test
    void authAndValidation() throws Exception {
        HttpResponse<String> none = send("POST", GENERATE, REQUEST + "}", null);
        assertEquals(403, none.statusCode());
        assertEquals("PERMISSION_DENIED", new JsonObject(none.body()).getJsonObject("error").getString("status"));
        assertEquals(200, send("POST", GENERATE + "?key=AIza-q", REQUEST + "}", null).statusCode(), "?key= works too");
        send("PUT", "/_control/upstreams/gem", "{\"apiKey\":\"AIza-right\"}", null);
        HttpResponse<String> wrong = send("POST", GENERATE, REQUEST + "}", "AIza-wrong");
        assertEquals(400, wrong.statusCode());
        assertTrue(wrong.body().contains("API_KEY_INVALID"));
        assertEquals(200, send("POST", GENERATE, REQUEST + "}", "AIza-right").statusCode());

        HttpResponse<String> unknown = send("POST", GENERATE, REQUEST + ",\"model\":\"x\"}", "AIza-right");
        assertEquals(400, unknown.statusCode());
        assertEquals("INVALID_ARGUMENT", new JsonObject(unknown.body()).getJsonObject("error").getString("status"));
        assertEquals(400, send("POST", GENERATE, "{\"contents\":[]}", "AIza-right").statusCode());
        assertEquals(400, send("POST", GENERATE, "{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"x\"}]}]}",
                "AIza-right").statusCode());
        assertEquals(404, send("POST", "/gem/v1beta/models/gemini-2.0-flash:predict", REQUEST + "}", "AIza-right").statusCode());
    }

    @Test
    void streamFrames() throws Exception {
        send("PUT", "/_control/upstreams/gem", "{\"chunks\":3,\"ttftMs\":20}", null);
        HttpResponse<String> r = send("POST", STREAM, REQUEST + "}", "k");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<JsonObject> frames = frames(r.body());
        assertEquals(4, frames.size(), r.body());
        StringBuilder text = new StringBuilder();
        for (JsonObject f : frames) {
            text.append(f.getJsonArray("candidates").getJsonObject(0).getJsonObject("content").getJsonArray("parts")
                    .getJsonObject(0).getString("text"));
        }
        assertEquals(3, text.toString().split(" ").length);
        assertNull(frames.get(0).getJsonArray("candidates").getJsonObject(0).getString("finishReason"));
        JsonObject last = frames.get(3);
        assertEquals("STOP", last.getJsonArray("candidates").getJsonObject(0).getString("finishReason"));
        assertEquals(3, last.getJsonObject("usageMetadata").getInteger("candidatesTokenCount"));
        assertEquals(14, last.getJsonObject("usageMetadata").getInteger("promptTokenCount"));
        assertFalse(r.body().contains("[DONE]"));
        assertEquals(400, send("POST", "/gem/v1beta/models/gemini-2.0-flash:streamGenerateContent", REQUEST + "}", "k").statusCode(),
                "only alt=sse");
    }

    @Test
    void injectedErrors() throws Exception {
        send("PUT", "/_control/upstreams/gem", "{\"errorRate\":1,\"errorStatus\":429}", null);
        HttpResponse<String> limited = send("POST", GENERATE, REQUEST + "}", "k");
        assertEquals(429, limited.statusCode());
        JsonObject error = new JsonObject(limited.body()).getJsonObject("error");
        assertEquals(429, error.getInteger("code"));
        assertEquals("RESOURCE_EXHAUSTED", error.getString("status"));
        assertEquals("1s", error.getJsonArray("details").getJsonObject(0).getString("retryDelay"));

        send("PUT", "/_control/upstreams/gem", "{\"errorStatus\":503}", null);
        HttpResponse<String> unavailable = send("POST", STREAM, REQUEST + "}", "k");
        assertEquals(503, unavailable.statusCode());
        assertEquals("UNAVAILABLE", new JsonObject(unavailable.body()).getJsonObject("error").getString("status"));

        // a 2xx "error" serves errorBody as the answer: a blocked prompt, as one SSE frame when streaming
        String blocked = "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}";
        send("PUT", "/_control/upstreams/gem", new JsonObject().put("errorStatus", 200).put("errorBody", blocked).encode(), null);
        HttpResponse<String> json = send("POST", GENERATE, REQUEST + "}", "k");
        assertEquals(200, json.statusCode());
        assertEquals("SAFETY", new JsonObject(json.body()).getJsonObject("promptFeedback").getString("blockReason"));
        HttpResponse<String> sse = send("POST", STREAM, REQUEST + "}", "k");
        assertEquals(200, sse.statusCode());
        assertEquals("SAFETY", frames(sse.body()).get(0).getJsonObject("promptFeedback").getString("blockReason"));
    }

    @Test
    void streamErrorAfterData() throws Exception {
        send("PUT", "/_control/upstreams/gem", "{\"streamErrorAfter\":2,\"errorStatus\":503}", null);
        HttpResponse<String> r = send("POST", STREAM, REQUEST + "}", "k");
        assertEquals(200, r.statusCode());
        List<JsonObject> frames = frames(r.body());
        assertEquals(3, frames.size(), r.body());
        assertEquals("UNAVAILABLE", frames.get(2).getJsonObject("error").getString("status"));
    }

    @Test
    void modelsList() throws Exception {
        HttpResponse<String> r = send("GET", "/gem/v1beta/models", "", "k");
        assertEquals(200, r.statusCode(), r.body());
        JsonArray models = new JsonObject(r.body()).getJsonArray("models");
        assertEquals("models/fake-chat", models.getJsonObject(0).getString("name"));
        assertEquals(403, send("GET", "/gem/v1beta/models", "", null).statusCode());
        assertEquals(200, send("GET", "/gem/v1beta/models/fake-chat", "", "k").statusCode());
        assertEquals(404, send("GET", "/gem/v1beta/models/nope", "", "k").statusCode());
    }
}
