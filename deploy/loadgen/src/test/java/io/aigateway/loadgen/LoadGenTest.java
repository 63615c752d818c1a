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

    /** Answers 200 after 2 ms, except every 10th request: 503; 400 when the body or header did not arrive intact. */
    @BeforeAll
    static void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
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
}
