package io.aigateway.edge.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for routing-service's {@code POST /internal/v1/route/chat} (a small Vert.x server with keep-alive) that
 * closes the server side of its connections on purpose, the way a real server (or a proxy in between) does:
 * <ul>
 *   <li>between requests: after an answer, an idle connection is closed a few milliseconds later (never while a
 *       request is on it, as an idle timeout would). A request the edge writes on that connection just as it closes is
 *       never seen here: to the edge it fails as "connection closed" without any answer byte;</li>
 *   <li>during requests: the answer is cut after its first bytes (the request was received here: its id is in
 *       {@link #cut()}), so the edge may legitimately fail that one request.</li>
 * </ul>
 * The behaviour is chosen by the request's {@code model}:
 * {@code m-load} (chaos as above, rates from {@link #chaos}), {@code m-ok} (answered, connection kept),
 * {@code m-drop-once} (the first arrival of a request id closes the connection without any answer, a second one is
 * answered), {@code m-drop} (always closed without answer), {@code m-half} (answer cut after its first bytes),
 * {@code m-slow} (answered after 3 s; a close before that is recorded in {@link #closedBeforeAnswer()}).
 * Every request that reaches the handler is recorded in {@link #received()} with the connection it came on.
 */
public final class ClosingRoutingStub implements AutoCloseable {

    /** One request as seen here. */
    public record Arrival(String requestId, String model, int connectionId, int connectionRequestNo,
                          String connectionHeader) {
    }

    /** How often {@code m-load} requests see a close. */
    public record Chaos(double idleCloseRate, int idleCloseMaxDelayMs, double cutRate) {
    }

    private static final class Conn {
        final int id;
        final HttpConnection connection;
        int requests;
        volatile boolean busy;

        Conn(int id, HttpConnection connection) {
            this.id = id;
            this.connection = connection;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Map<HttpConnection, Conn> conns = new ConcurrentHashMap<>();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final List<Arrival> received = new CopyOnWriteArrayList<>();
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final Set<String> closedBeforeAnswer = ConcurrentHashMap.newKeySet();
    private final Set<String> droppedOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger idleCloses = new AtomicInteger();
    private volatile Chaos chaos = new Chaos(0.3, 3, 0.02);

    public ClosingRoutingStub() {
        try {
            server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                    .connectionHandler(c -> {
                        conns.put(c, new Conn(connectionIds.incrementAndGet(), c));
                        c.closeHandler(v -> conns.remove(c));
                    })
                    .requestHandler(this::handle)
                    .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stub routing server did not start", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public void chaos(Chaos c) {
        chaos = c;
    }

    public List<Arrival> received() {
        return received;
    }

    public Set<String> cut() {
        return cut;
    }

    public Set<String> closedBeforeAnswer() {
        return closedBeforeAnswer;
    }

    public int idleCloses() {
        return idleCloses.get();
    }

    public int openConnections() {
        return conns.size();
    }

    /** Closes every connection that carries no request right now (as a restart of routing-service would). */
    public void closeIdleConnections() {
        conns.values().forEach(c -> {
            if (!c.busy) {
                c.connection.close();
            }
        });
    }

    public void reset() {
        received.clear();
        cut.clear();
        closedBeforeAnswer.clear();
        droppedOnce.clear();
        idleCloses.set(0);
    }

    private void handle(HttpServerRequest req) {
        Conn conn = conns.get(req.connection());
        if (conn == null) {
            req.connection().close();
            return;
        }
        conn.busy = true;
        conn.requests++;
        int requestNo = conn.requests;
        req.body().onComplete(ar -> {
            if (ar.failed()) {
                return;
            }
            JsonObject body = ar.result().toJsonObject();
            String model = body.getString("model", "");
            String rid = req.getHeader("X-Request-Id");
            received.add(new Arrival(rid, model, conn.id, requestNo, req.getHeader("Connection")));
            boolean stream = body.getBoolean("stream", false);
            switch (model) {
                case "m-ok" -> answer(req, conn, stream, rid);
                case "m-drop" -> req.connection().close();
                case "m-drop-once" -> {
                    if (droppedOnce.add(rid)) {
                        req.connection().close();
                    } else {
                        answer(req, conn, stream, rid);
                    }
                }
                case "m-half" -> cutAnswer(req, stream, rid);
                case "m-slow" -> {
                    long timer = vertx.setTimer(3000, id -> answer(req, conn, stream, rid));
                    req.connection().closeHandler(v -> {
                        conns.remove(conn.connection);
                        if (vertx.cancelTimer(timer)) {
                            closedBeforeAnswer.add(rid);
                        }
                    });
                }
                default -> load(req, conn, stream, rid);
            }
        });
    }

    private void load(HttpServerRequest req, Conn conn, boolean stream, String rid) {
        Chaos c = chaos;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long delay = 1 + rnd.nextInt(3);
        boolean cutIt = rnd.nextDouble() < c.cutRate();
        vertx.setTimer(delay, id -> {
            if (cutIt) {
                cutAnswer(req, stream, rid);
                return;
            }
            boolean closeAfter = rnd.nextDouble() < c.idleCloseRate();
            long after = rnd.nextInt(c.idleCloseMaxDelayMs() + 1);
            answer(req, conn, stream, rid).onComplete(v -> {
                if (!closeAfter) {
                    return;
                }
                Runnable close = () -> {
                    if (!conn.busy) { // an idle timeout never closes a connection that carries a request
                        idleCloses.incrementAndGet();
                        conn.connection.close();
                    }
                };
                if (after == 0) {
                    close.run();
                } else {
                    vertx.setTimer(after, t -> close.run());
                }
            });
        });
    }

    private Future<Void> answer(HttpServerRequest req, Conn conn, boolean stream, String rid) {
        HttpServerResponse resp = req.response();
        resp.putHeader("x-request-id", rid)
                .putHeader("x-aigw-provider", "fake")
                .putHeader("x-aigw-model", "fake-chat")
                .putHeader("x-aigw-attempts", "1");
        Future<Void> written = stream
                ? resp.putHeader("content-type", "text/event-stream").end(sse(rid))
                : resp.putHeader("content-type", "application/json").end(completion(rid));
        return written.onComplete(v -> conn.busy = false);
    }

    /** Sends the head and the first bytes of the answer, then closes the connection: the request was received. */
    private void cutAnswer(HttpServerRequest req, boolean stream, String rid) {
        cut.add(rid);
        HttpServerResponse resp = req.response();
        Buffer full = stream ? sse(rid) : completion(rid);
        resp.putHeader("x-request-id", rid).putHeader("x-aigw-provider", "fake");
        if (stream) {
            resp.putHeader("content-type", "text/event-stream").setChunked(true);
        } else {
            resp.putHeader("content-type", "application/json").putHeader("content-length", Integer.toString(full.length()));
        }
        resp.write(full.getBuffer(0, full.length() / 2)).onComplete(v -> req.connection().close());
    }

    static Buffer completion(String rid) {
        return Buffer.buffer("{\"id\":\"chatcmpl-" + rid + "\",\"object\":\"chat.completion\",\"created\":1,"
                + "\"model\":\"fake-chat\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"answer to " + rid + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}");
    }

    static Buffer sse(String rid) {
        String c1 = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"role\":\"assistant\",\"content\":\"answer to " + rid + "\"}}],\"usage\":null}";
        String c2 = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
                + "\"finish_reason\":\"stop\"}],\"usage\":null}";
        String usage = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";
        return Buffer.buffer("data: " + c1 + "\n\ndata: " + c2 + "\n\ndata: " + usage + "\n\ndata: [DONE]\n\n");
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
