package io.aigateway.edge.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/v1/ai/generate} with {@code stream: true}: delta events as they come, done, errors. */
@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
class GenerateStreamTest {

    static String chunk(String content) {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                + "\"" + content + "\"}}],\"usage\":null}\n\n";
    }

    static final String ROLE = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}],\"usage\":null}\n\n";
    static final String FINISH = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";
    static final String USAGE = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}\n\n";
    static final String MID_ERROR = "data: {\"error\":{\"message\":\"The provider fake failed mid-stream: boom\","
            + "\"type\":\"api_error\",\"param\":null,\"code\":\"upstream_error\"}}\n\n";

    @TestHTTPResource("/api/v1/ai/generate")
    URI uri;

    final ObjectMapper mapper = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    Keys.TestKey key;

    @BeforeEach
    void setUp() {
        key = Keys.atAdmin("gen-stream-user", "user");
        stubStream("gs-ok", ROLE + chunk("Hel") + chunk("lo, ") + chunk("world") + FINISH + USAGE + "data: [DONE]\n\n");
        stubStream("gs-mid", ROLE + chunk("Hel") + MID_ERROR);
        WireMockResource.routing().stubFor(post(urlEqualTo(GenerateTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("gs-502")))
                .willReturn(aResponse().withStatus(502).withHeader("content-type", "application/json")
                        .withHeader("x-aigw-attempts", "2")
                        .withBody("{\"error\":{\"message\":\"all failed\",\"type\":\"api_error\",\"param\":null,"
                                + "\"code\":\"upstream_error\"}}")));
    }

    static void stubStream(String model, String sse) {
        WireMockResource.routing().stubFor(post(urlEqualTo(GenerateTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("content-type", "text/event-stream")
                        .withHeader("x-aigw-provider", "fake")
                        .withHeader("x-aigw-model", "fake-chat")
                        .withHeader("x-aigw-attempts", "1")
                        .withHeader("x-aigw-cache", "MISS")
                        .withHeader("x-aigw-attempt-log", "[{\"provider\":\"fake\",\"model\":\"fake-chat\","
                                + "\"outcome\":\"success\",\"errorClass\":null,\"latencyMs\":5}]")
                        .withBody(sse)
                        .withChunkedDribbleDelay(8, 1600)));
    }

    record Line(long atMs, String text) {
    }

    record Event(long atMs, String name, String data) {
    }

    HttpResponse<Stream<String>> send(String rid, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", key.bearer())
                .header("Content-Type", "application/json").header("X-Request-Id", rid)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
    }

    static List<Event> events(HttpResponse<Stream<String>> resp, long t0) {
        List<Event> out = new ArrayList<>();
        String name = null;
        for (Iterator<String> it = resp.body().iterator(); it.hasNext(); ) {
            String l = it.next();
            long at = (System.nanoTime() - t0) / 1_000_000;
            if (l.startsWith("event: ")) {
                name = l.substring(7);
            } else if (l.startsWith("data: ")) {
                out.add(new Event(at, name, l.substring(6)));
                name = null;
            }
        }
        return out;
    }

    @Test
    void deltasArriveInOrderAsTheyComeThenDoneWithoutContent() throws Exception {
        String rid = "gen-s-" + UUID.randomUUID();
        long t0 = System.nanoTime();
        HttpResponse<Stream<String>> resp = send(rid, "{\"prompt\":\"hi\",\"model\":\"gs-ok\",\"stream\":true}");
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertEquals(rid, resp.headers().firstValue("x-request-id").orElse(""));
        assertEquals("fake", resp.headers().firstValue("x-aigw-provider").orElse(""));
        assertFalse(resp.headers().firstValue("x-aigw-attempt-log").isPresent());
        List<Event> ev = events(resp, t0);
        assertEquals(List.of("delta", "delta", "delta", "done"), ev.stream().map(Event::name).toList());
        List<String> contents = new ArrayList<>();
        for (Event e : ev.subList(0, 3)) {
            contents.add(mapper.readTree(e.data()).get("content").asText());
        }
        assertEquals(List.of("Hel", "lo, ", "world"), contents);
        assertTrue(ev.get(3).atMs() - ev.get(0).atMs() >= 600,
                "first delta at " + ev.get(0).atMs() + " ms, done at " + ev.get(3).atMs() + " ms: not streamed");

        JsonNode done = mapper.readTree(ev.get(3).data());
        assertFalse(done.has("content"));
        assertEquals(rid, done.get("requestId").asText());
        assertEquals("fake", done.get("provider").asText());
        assertEquals("fake-chat", done.get("model").asText());
        assertEquals(9, done.at("/usage/promptTokens").asInt());
        assertEquals(3, done.at("/usage/completionTokens").asInt());
        assertEquals(12, done.at("/usage/totalTokens").asInt());
        assertTrue(done.has("costUsd")); // routing sends it as a trailer (WireMock cannot): null here
        assertTrue(done.get("latencyMs").asLong() >= 0);
        assertFalse(done.get("cached").asBoolean());
        assertEquals(1, done.get("attempts").size());
        assertEquals("success", done.at("/attempts/0/outcome").asText());

        var sent = WireMockResource.routing().findAll(postRequestedFor(urlEqualTo(GenerateTest.ROUTE))
                .withHeader("X-Request-Id", WireMock.equalTo(rid)));
        assertEquals(1, sent.size());
        assertEquals("text/event-stream", sent.get(0).getHeader("Accept"));
        JsonNode body = mapper.readTree(sent.get(0).getBodyAsString());
        assertTrue(body.get("stream").asBoolean());
        assertTrue(body.at("/stream_options/include_usage").asBoolean());
    }

    @Test
    void anErrorBeforeTheFirstDeltaIsAnHttpError() throws Exception {
        HttpResponse<Stream<String>> resp = send("gen-s-" + UUID.randomUUID(),
                "{\"prompt\":\"hi\",\"model\":\"gs-502\",\"stream\":true}");
        assertEquals(502, resp.statusCode());
        assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode err = mapper.readTree(String.join("\n", resp.body().toList()));
        assertEquals("upstream_error", err.at("/error/code").asText());
        assertEquals("2", resp.headers().firstValue("x-aigw-attempts").orElse(""));
    }

    @Test
    void anErrorAfterTheFirstDeltaIsAnErrorEventAndTheEnd() throws Exception {
        HttpResponse<Stream<String>> resp = send("gen-s-" + UUID.randomUUID(),
                "{\"prompt\":\"hi\",\"model\":\"gs-mid\",\"stream\":true}");
        assertEquals(200, resp.statusCode());
        List<Event> ev = events(resp, System.nanoTime());
        assertEquals(List.of("delta", "error"), ev.stream().map(Event::name).toList());
        assertEquals("Hel", mapper.readTree(ev.get(0).data()).get("content").asText());
        JsonNode err = mapper.readTree(ev.get(1).data());
        assertEquals("upstream_error", err.at("/error/code").asText());
        assertEquals("api_error", err.at("/error/type").asText());
    }
}
