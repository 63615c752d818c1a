package io.aigateway.adapter.provider.transport;

import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.RateLimitSnapshot;
import io.aigateway.contracts.internal.AigwHeaders;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP side of one provider, whatever its wire format: one Vert.x {@link HttpClient} with its own pool
 * (created once), the deadlines (connect, first byte, between chunks, whole answer, health), stream framing
 * with back-pressure, and the rate-limit headers of every answer. It knows nothing of request or answer
 * bodies: a {@code WireFormat} builds the request and reads what comes back.
 *
 * <p>Everything runs on the calling event loop; nothing blocks.
 */
public final class ProviderTransport {

    private static final String JSON = "application/json";

    private final Vertx vertx;
    private final HttpClient client;
    private final Map<String, String> fixedHeaders;
    private final long firstByteMs;
    private final long betweenChunksMs;
    private final long totalMs;
    private final long healthTimeoutMs;
    private final AtomicReference<RateLimitSnapshot> rateLimit = new AtomicReference<>(RateLimitSnapshot.NONE);

    /**
     * @param fixedHeaders headers every request carries (credentials, API version), from the wire format
     */
    public ProviderTransport(Vertx vertx, ProviderSettings settings, Map<String, String> fixedHeaders,
                             Duration healthTimeout) {
        this.vertx = vertx;
        this.fixedHeaders = Map.copyOf(fixedHeaders);
        this.firstByteMs = Math.max(1, settings.timeouts().firstByte().toMillis());
        this.betweenChunksMs = Math.max(1, settings.timeouts().betweenChunks().toMillis());
        this.totalMs = Math.max(1, settings.timeouts().total().toMillis());
        this.healthTimeoutMs = Math.max(1, healthTimeout.toMillis());
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeouts().connect().toMillis()))
                .setKeepAlive(settings.pool().keepAlive())
                .setKeepAliveTimeout((int) Math.max(1, settings.pool().keepAliveTimeout().toSeconds()))
                .setPipelining(false)
                .setTryUseCompression(false)
                .setName("aigw-" + settings.id())
                // no Vert.x client spans and no traceparent to providers: the chat route's GenAI span is the upstream
                // call's span, and health probes stay out of traces
                .setTracingPolicy(io.vertx.core.tracing.TracingPolicy.IGNORE);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(settings.pool().maxConnections()));
    }

    /** The last rate-limit snapshot the provider reported in its headers. */
    public RateLimitSnapshot rateLimit() {
        return rateLimit.get();
    }

    /** Releases the pool. */
    public void close() {
        client.close();
    }

    private RequestOptions options(HttpMethod method, String uri, String requestId, String accept) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(uri)
                .putHeader(HttpHeaders.ACCEPT, accept);
        if (method == HttpMethod.POST) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        }
        if (requestId != null) {
            options.putHeader(AigwHeaders.REQUEST_ID, requestId);
        }
        for (Map.Entry<String, String> h : fixedHeaders.entrySet()) {
            options.putHeader(h.getKey(), h.getValue());
        }
        return options;
    }

    private void observe(HttpClientResponse response) {
        RateLimitSnapshot snapshot = RateLimitSnapshot.from(response.headers());
        if (snapshot != null) {
            rateLimit.set(snapshot);
        }
    }

    // ---- one-shot ----------------------------------------------------------------------------------

    /**
     * One request and its whole answer, whatever the status. Fails with the transport's cause (connection,
     * read) or an {@link UpstreamTimeoutException} (no answer head within the first-byte deadline, no whole
     * answer within the total one). Cancelling resets the request.
     */
    public Uni<UpstreamResponse> send(UpstreamRequest request) {
        return Uni.createFrom().emitter(emitter -> {
            OneShot call = new OneShot(emitter);
            call.totalTimer = vertx.setTimer(totalMs, id -> call.fail(
                    new UpstreamTimeoutException("no complete answer within " + totalMs + " ms")));
            call.firstByteTimer = vertx.setTimer(firstByteMs, id -> call.fail(
                    new UpstreamTimeoutException("no response within " + firstByteMs + " ms")));
            emitter.onTermination(call::cleanUp);
            client.request(options(HttpMethod.POST, request.uri(), request.requestId(), JSON))
                    .compose(req -> {
                        call.request = req;
                        if (call.done) {
                            req.reset();
                        }
                        return req.send(request.body());
                    })
                    .onComplete(ar -> {
                        vertx.cancelTimer(call.firstByteTimer);
                        if (call.done) {
                            return;
                        }
                        if (ar.failed()) {
                            call.fail(ar.cause());
                            return;
                        }
                        HttpClientResponse response = ar.result();
                        observe(response);
                        response.body().onComplete(body -> {
                            if (call.done) {
                                return;
                            }
                            if (body.failed()) {
                                call.fail(body.cause());
                                return;
                            }
                            call.ended = true;
                            call.done = true;
                            emitter.complete(new UpstreamResponse(response.statusCode(), response.headers(), body.result()));
                        });
                    });
        });
    }

    private final class OneShot {
        private final UniEmitter<? super UpstreamResponse> emitter;
        long totalTimer = -1;
        long firstByteTimer = -1;
        HttpClientRequest request;
        boolean done;
        boolean ended;

        OneShot(UniEmitter<? super UpstreamResponse> emitter) {
            this.emitter = emitter;
        }

        void fail(Throwable failure) {
            if (done) {
                return;
            }
            done = true;
            emitter.fail(failure);
        }

        /** On any termination (success, failure, cancellation): timers off; a call cut short is reset. */
        void cleanUp() {
            vertx.cancelTimer(totalTimer);
            vertx.cancelTimer(firstByteTimer);
            done = true;
            if (request != null && !ended) {
                request.reset();
            }
        }
    }

    // ---- stream ------------------------------------------------------------------------------------

    /**
     * Starts a stream: {@code POST} with the framing's {@code Accept}; a 2xx answer's bytes are cut into frames
     * for {@code listener}, honouring its back-pressure. Deadlines: first data within {@code timeouts.first-byte},
     * then no gap between data longer than {@code timeouts.between-chunks}.
     */
    public UpstreamStream stream(UpstreamRequest request, StreamFraming framing, UpstreamStreamListener listener) {
        StreamCall call = new StreamCall(listener, framing.newDecoder());
        call.start(request, framing.accept());
        return call;
    }

    /** One upstream stream; all callbacks on the same event loop. */
    private final class StreamCall implements UpstreamStream {
        private final UpstreamStreamListener listener;
        private final FrameDecoder decoder;
        private HttpClientRequest request;
        private HttpClientResponse response;
        private long firstByteTimer = -1;
        private long gapTimer = -1;
        private long lastDataNanos;
        private boolean sawData;
        private boolean finished;
        private boolean ended;

        StreamCall(UpstreamStreamListener listener, FrameDecoder decoder) {
            this.listener = listener;
            this.decoder = decoder;
        }

        void start(UpstreamRequest upstream, String accept) {
            firstByteTimer = vertx.setTimer(firstByteMs, id -> {
                firstByteTimer = -1;
                fail(new UpstreamTimeoutException("no stream data within " + firstByteMs + " ms"));
            });
            client.request(options(HttpMethod.POST, upstream.uri(), upstream.requestId(), accept))
                    .compose(req -> {
                        request = req;
                        if (finished) {
                            req.reset();
                        }
                        return req.send(upstream.body());
                    })
                    .onComplete(ar -> {
                        if (finished) {
                            return;
                        }
                        if (ar.failed()) {
                            fail(ar.cause());
                            return;
                        }
                        onResponse(ar.result());
                    });
        }

        private void onResponse(HttpClientResponse resp) {
            response = resp;
            observe(resp);
            int status = resp.statusCode();
            if (status < 200 || status > 299) {
                resp.body().onComplete(body -> {
                    ended = body.succeeded();
                    if (!finished) {
                        stop();
                        listener.onHttpError(status, resp.headers(), body.succeeded() ? body.result() : null);
                    }
                });
                return;
            }
            resp.handler(this::onBytes);
            resp.exceptionHandler(this::fail);
            resp.endHandler(v -> {
                ended = true;
                onEnd();
            });
        }

        private void onBytes(Buffer bytes) {
            if (finished) {
                return;
            }
            deliver(decoder.feed(bytes));
            if (!finished && listener.writeQueueFull()) {
                response.pause();
                listener.drainHandler(() -> {
                    if (!finished) {
                        response.resume();
                    }
                });
            }
        }

        private void deliver(List<StreamFrame> frames) {
            for (int i = 0; i < frames.size() && !finished; i++) {
                listener.onFrame(frames.get(i));
            }
        }

        private void onEnd() {
            if (finished) {
                return;
            }
            deliver(decoder.finish());
            if (finished) {
                return;
            }
            finished = true;
            cancelTimers();
            listener.onEnd();
        }

        @Override
        public void dataReceived() {
            lastDataNanos = System.nanoTime();
            if (!sawData) {
                sawData = true;
                if (firstByteTimer != -1) {
                    vertx.cancelTimer(firstByteTimer);
                    firstByteTimer = -1;
                }
                scheduleGapCheck(betweenChunksMs);
            }
        }

        /** One timer for the gap between data, re-armed lazily instead of on every frame. */
        private void scheduleGapCheck(long delayMs) {
            gapTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
                gapTimer = -1;
                if (finished) {
                    return;
                }
                long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastDataNanos);
                if (idleMs >= betweenChunksMs) {
                    fail(new UpstreamTimeoutException("no stream data for " + idleMs + " ms"));
                } else {
                    scheduleGapCheck(betweenChunksMs - idleMs);
                }
            });
        }

        private void fail(Throwable failure) {
            if (finished) {
                return;
            }
            stop();
            listener.onFailure(failure);
        }

        /** Finished: timers off, the request reset unless its answer ended. */
        private void stop() {
            finished = true;
            cancelTimers();
            if (request != null && !ended) {
                request.reset();
            }
        }

        private void cancelTimers() {
            if (firstByteTimer != -1) {
                vertx.cancelTimer(firstByteTimer);
                firstByteTimer = -1;
            }
            if (gapTimer != -1) {
                vertx.cancelTimer(gapTimer);
                gapTimer = -1;
            }
        }

        @Override
        public void abort() {
            if (!finished) {
                stop();
            }
        }
    }

    // ---- health ------------------------------------------------------------------------------------

    /** One background GET with the health timeout and the provider's fixed headers (never on the request path). */
    public Uni<ProbeResult> probe(String uri) {
        return Uni.createFrom().emitter(emitter -> {
            long started = System.nanoTime();
            RequestOptions options = options(HttpMethod.GET, uri, null, JSON)
                    .setConnectTimeout(healthTimeoutMs)
                    .setIdleTimeout(healthTimeoutMs);
            client.request(options)
                    .compose(req -> req.send().compose(resp -> resp.body().map(b -> new ProbeResult(resp.statusCode(), b, null, 0))))
                    .onComplete(ar -> {
                        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                        if (ar.failed()) {
                            emitter.complete(new ProbeResult(0, null, ar.cause(), ms));
                        } else {
                            emitter.complete(new ProbeResult(ar.result().status(), ar.result().body(), null, ms));
                        }
                    });
        });
    }
}
