package io.aigateway.loadgen;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadGenTest {

    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicLong received = new AtomicLong();
    private static final AtomicLong bad = new AtomicLong();

    private static final AtomicLong streamed = new AtomicLong();
    private static final AtomicLong jsonAnswers = new AtomicLong();
    private static final java.util.Queue<String> prompts = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * {@code /x}: 200 after 2 ms, except every 10th request: 503; 400 when the body or header did not arrive intact.
     * {@code /json}: every 4th 200 has empty content. {@code /stream}: SSE endings in turn (see below).
     * {@code /hang}: one content chunk, then nothing. {@code /echo}: records the last user message's content.
     */
    @BeforeAll
    static void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            switch (req.path()) {
                case "/json" -> {
                    long n = jsonAnswers.incrementAndGet();
                    req.response().end("{\"choices\":[{\"message\":{\"content\":\"" + (n % 4 == 0 ? "" : "hi")
                            + "\"}}]}");
                    return;
                }
                case "/stream" -> {
                    stream(req, streamed.incrementAndGet() % 5);
                    return;
                }
                case "/hang" -> {
                    req.response().setChunked(true).write(StreamScannerTest.ROLE + StreamScannerTest.WORD);
                    return;
                }
                case "/echo" -> {
                    JsonObject json = new JsonObject(body);
                    prompts.add(json.getJsonArray("messages").getJsonObject(0).getString("content"));
                    req.response().end("{}");
                    return;
                }
                default -> {
                }
            }
            long n = received.incrementAndGet();
            if (!"{\"model\":\"m\"}".equals(body.toString()) || !"Bearer k".equals(req.getHeader("Authorization"))
                    || !"application/json".equals(req.getHeader("Content-Type")) || !"POST".equals(req.method().name())) {
                bad.incrementAndGet();
                req.response().setStatusCode(400).end();
                return;
            }
            vertx.setTimer(2, id -> req.response().setStatusCode(n % 10 == 0 ? 503 : 200).end("{\"ok\":true}"));
        })).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** 0 clean, 1 error chunk after a token, 2 a 503, 3 silent end after a token, 4 clean without content. */
    private static void stream(io.vertx.core.http.HttpServerRequest req, long kind) {
        if (kind == 2) {
            req.response().setStatusCode(503).end("{\"error\":{\"message\":\"overloaded\"}}");
            return;
        }
        var response = req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
        response.write(StreamScannerTest.ROLE);
        vertx.setTimer(3, id -> {
            switch ((int) kind) {
                case 0 -> response.end(StreamScannerTest.WORD + StreamScannerTest.DONE);
                case 1 -> response.end(StreamScannerTest.WORD + StreamScannerTest.ERROR);
                case 3 -> response.end(StreamScannerTest.WORD);
                default -> response.end(StreamScannerTest.DONE);
            }
        });
    }

    @AfterAll
    static void stopServer() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shortRunRecordsLatencyAndStatuses() throws Exception {
        LoadGenArgs args = LoadGenArgs.parse("--url", "http://127.0.0.1:" + server.actualPort() + "/x",
                "--header", "Authorization: Bearer k", "--body", "{\"model\":\"m\"}",
                "--concurrency", "8", "--duration", "1500ms", "--warmup", "300ms");
        long before = received.get();
        LoadGenResult result = new LoadGen(args).run();
        long served = received.get() - before;

        assertEquals(0, bad.get(), "every request carried the body and headers");
        assertTrue(result.responses() > 20, "responses " + result.responses());
        assertTrue(result.responses() < served, "warm-up requests are not recorded");
        assertTrue(result.elapsedSeconds() >= 1.4 && result.elapsedSeconds() < 3, "elapsed " + result.elapsedSeconds());
        assertEquals(result.responses(), result.statuses().values().stream().mapToLong(Long::longValue).sum());
        long errors503 = result.statuses().getOrDefault(503, 0L);
        assertTrue(errors503 > 0 && errors503 <= result.responses() / 5 + 2, "503s " + result.statuses());
        assertEquals(errors503, result.non2xx());
        assertEquals(0, result.transportErrors());
        assertTrue(result.percentileMs(50) >= 2.0, "p50 includes the 2 ms server delay: " + result.percentileMs(50));
        assertTrue(result.percentileMs(99) >= result.percentileMs(50));
        assertTrue(result.requestsPerSecond() > 10);

        JsonObject json = result.toJson();
        assertEquals(result.responses(), json.getLong("requests"));
        assertEquals(errors503, json.getJsonObject("status").getLong("503"));
        assertTrue(json.getJsonObject("latencyMs").getDouble("p99") > 0);
        assertEquals(errors503, json.getLong("errorsTotal"));
        assertTrue(result.toText().contains("req/s"));
    }

    @Test
    void connectionFailuresAreCountedNotFatal() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LoadGenArgs args = LoadGenArgs.parse("--url", "http://127.0.0.1:" + port + "/x", "--concurrency", "2",
                "--duration", "500ms", "--timeout", "1s");
        LoadGenResult result = new LoadGen(args).run();
        assertEquals(0, result.responses());
        assertTrue(result.errors().getOrDefault("connect", 0L) > 0, "errors " + result.errors());
    }

    @Test
    void contentCheckCountsOnly200sWithContent() throws Exception {
        LoadGenArgs args = LoadGenArgs.parse("--url", "http://127.0.0.1:" + server.actualPort() + "/json",
                "--body", "{\"model\":\"m\"}", "--concurrency", "4", "--duration", "1500ms", "--check-content");
        LoadGenResult result = new LoadGen(args).run();
        long total = result.statuses().getOrDefault(200, 0L);
        assertTrue(total > 10, "responses " + total);
        assertEquals(total, result.extras().ok() + result.extras().noContent());
        assertTrue(result.extras().noContent() >= total / 4 - 4 && result.extras().noContent() <= total / 4 + 4,
                "every 4th answer had no content: " + result.extras().noContent() + " of " + total);
        assertEquals(result.extras().ok(), result.successes());
        assertEquals(result.extras().ok() * 100.0 / total, result.successRatePercent(), 1e-9);
        JsonObject json = result.toJson();
        assertEquals(result.extras().noContent(), json.getLong("noContent"));
        assertEquals(result.successes(), json.getLong("successes"));
        assertTrue(result.toText().contains("no content"));
    }

    @Test
    void streamsAreClassifiedByHowTheyEnded() throws Exception {
        LoadGenArgs args = LoadGenArgs.parse("--url", "http://127.0.0.1:" + server.actualPort() + "/stream",
                "--body", "{\"model\":\"m\"}", "--concurrency", "5", "--duration", "1500ms", "--stream");
        LoadGenResult result = new LoadGen(args).run();
        java.util.Map<String, Long> s = result.extras().streams();
        long total = s.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(total >= 10, "streams " + s);
        // every stream sent is counted (no warm-up; the open ones are awaited), and the server cycles the 5 endings
        for (String kind : new String[] {"clean", "error_after_first_token", "failed_before_token", "silent_end",
                "clean_no_content"}) {
            assertTrue(s.get(kind) >= total / 5 && s.get(kind) <= total / 5 + 1, kind + " in " + s);
        }
        assertEquals(0, s.get("hung"));
        assertEquals(s.get("failed_before_token"), result.statuses().get(503));
        assertEquals(s.get("clean"), result.successes());
        assertTrue(result.extras().firstToken().getTotalCount() >= s.get("clean") + s.get("error_after_first_token"));
        assertEquals(s.get("silent_end"), result.toJson().getJsonObject("streams").getLong("silent_end"));
    }

    @Test
    void aStreamThatStopsSendingIsHung() throws Exception {
        LoadGenArgs args = LoadGenArgs.parse("--url", "http://127.0.0.1:" + server.actualPort() + "/hang",
                "--body", "{\"model\":\"m\"}", "--concurrency", "3", "--duration", "300ms", "--timeout", "400ms",
                "--stream");
        long t0 = System.nanoTime();
        LoadGenResult result = new LoadGen(args).run();
        assertEquals(3, result.extras().streams().get("hung"), "the three streams started in the window");
        assertEquals(0, result.extras().streams().get("clean"));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the run waited for the timeout, not forever");
    }

    @Test
    void promptsAreUniqueByDefaultAndRepeatFromThePoolOnRequest() throws Exception {
        String url = "http://127.0.0.1:" + server.actualPort() + "/echo";
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        prompts.clear();
        LoadGenResult unique = new LoadGen(LoadGenArgs.parse("--url", url, "--body", body, "--concurrency", "4",
                "--duration", "1500ms")).run();
        java.util.List<String> seen = java.util.List.copyOf(prompts);
        assertTrue(seen.size() > 8, "requests " + seen.size());
        assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "every prompt differs");
        assertEquals(0, unique.extras().repeated());

        prompts.clear();
        LoadGenResult repeated = new LoadGen(LoadGenArgs.parse("--url", url, "--body", body, "--concurrency", "4",
                "--duration", "1500ms", "--repeat-fraction", "1", "--prompt-pool", "3")).run();
        assertEquals(java.util.Set.of("Hi [pool 0]", "Hi [pool 1]", "Hi [pool 2]"), new java.util.HashSet<>(prompts));
        assertEquals(0, repeated.extras().unique());
        assertTrue(repeated.extras().repeated() > 8);
        assertEquals(1.0, repeated.toJson().getJsonObject("prompts").getDouble("repeatFraction"));
    }
}
