package io.aigateway.edge.chat;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
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

@QuarkusTest
class StreamingTest {

    static final String C1 = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}],\"usage\":null}";
    static final String C2 = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}],\"usage\":null}";
    static final String USAGE = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";

    @TestHTTPResource("/v1/chat/completions")
    URI chatUri;

    Keys.TestKey key;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        key = Keys.atAdmin("stream-user", "user");
        // CRLF framing and a comment line from routing: the edge re-frames as OpenAI's "data: ...\n\n"
        String sse = ": keep-alive\n\ndata: " + C1 + "\r\n\r\n" + "data: " + C2 + "\n\n" + "data: " + USAGE + "\n\n"
                + "data: [DONE]\n\n";
        WireMockResource.routing().stubFor(post(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-stream")))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("content-type", "text/event-stream")
                        .withHeader("x-aigw-provider", "fake")
                        .withHeader("x-aigw-attempts", "1")
                        .withBody(sse)
                        .withChunkedDribbleDelay(6, 1500)));
        WireMockResource.routing().stubFor(post(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-stream-429")))
                .willReturn(aResponse().withStatus(429)
                        .withHeader("content-type", "application/json")
                        .withHeader("retry-after", "3")
                        .withBody("{\"error\":{\"message\":\"rate limited\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")));
    }

    record Line(long atMs, String text) {
    }

    private HttpResponse<Stream<String>> send(String body, String rid) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(chatUri)
                .header("Authorization", key.bearer())
                .header("Content-Type", "application/json")
                .header("X-Request-Id", rid)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofLines());
    }

    private static List<Line> read(HttpResponse<Stream<String>> resp, long t0) {
        List<Line> lines = new ArrayList<>();
        for (Iterator<String> it = resp.body().iterator(); it.hasNext(); ) {
            String l = it.next();
            lines.add(new Line((System.nanoTime() - t0) / 1_000_000, l));
        }
        return lines;
    }

    @Test
    void chunksArriveAsTheyComeAndUsageIsStrippedUnlessAsked() throws Exception {
        String rid = "stream-" + UUID.randomUUID();
        long t0 = System.nanoTime();
        HttpResponse<Stream<String>> resp = send(
                "{\"model\":\"m-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", rid);
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertEquals("no-cache", resp.headers().firstValue("cache-control").orElse(""));
        assertEquals(rid, resp.headers().firstValue("x-request-id").orElse(""));
        assertEquals("fake", resp.headers().firstValue("x-aigw-provider").orElse(""));
        List<Line> lines = read(resp, t0);
        List<String> data = lines.stream().map(Line::text).filter(l -> l.startsWith("data: ")).toList();
        assertEquals(List.of("data: " + C1, "data: " + C2, "data: [DONE]"), data);
        // exact OpenAI framing: every data line followed by one blank line
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).text().startsWith("data: ")) {
                assertEquals("", lines.get(i + 1).text());
            }
        }
        long first = lines.stream().filter(l -> l.text().equals("data: " + C1)).findFirst().orElseThrow().atMs();
        long done = lines.stream().filter(l -> l.text().equals("data: [DONE]")).findFirst().orElseThrow().atMs();
        assertTrue(done - first >= 600, "first chunk at " + first + " ms, [DONE] at " + done + " ms: not streamed");

        var sent = WireMockResource.routing().findAll(postRequestedFor(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withHeader("X-Request-Id", WireMock.equalTo(rid)));
        assertEquals(1, sent.size());
        assertEquals("text/event-stream", sent.get(0).getHeader("Accept"));
    }

    @Test
    void usageChunkIsKeptWhenTheClientAsked() throws Exception {
        HttpResponse<Stream<String>> resp = send("{\"model\":\"m-stream\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "stream-usage-" + UUID.randomUUID());
        assertEquals(200, resp.statusCode());
        List<String> data = read(resp, System.nanoTime()).stream().map(Line::text)
                .filter(l -> l.startsWith("data: ")).toList();
        assertEquals(List.of("data: " + C1, "data: " + C2, "data: " + USAGE, "data: [DONE]"), data);
    }

    @Test
    void routingErrorBeforeTheStreamIsAJsonError() throws Exception {
        HttpResponse<Stream<String>> resp = send("{\"model\":\"m-stream-429\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "stream-429-" + UUID.randomUUID());
        assertEquals(429, resp.statusCode());
        assertEquals("3", resp.headers().firstValue("retry-after").orElse(""));
        assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        String body = String.join("\n", resp.body().toList());
        assertTrue(body.contains("rate_limit_exceeded"), body);
        assertFalse(body.startsWith("data:"));
    }
}
