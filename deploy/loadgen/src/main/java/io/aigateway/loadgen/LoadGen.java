package io.aigateway.loadgen;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closed-loop load: {@code concurrency} clients each send a request, wait for the whole response, and send the next.
 * The clients are split over {@code eventLoops} lanes; each lane owns its HTTP client (keep-alive, no pipelining),
 * histograms and counters, touched only from its event loop, so the hot path has no locks. Latency is recorded in
 * microseconds from just before the request is issued to the end of the response body.
 */
public final class LoadGen {

    static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final LoadGenArgs args;

    public LoadGen(LoadGenArgs args) {
        this.args = args;
    }

    /** Runs warm-up then the measured window (blocking the calling thread, never an event loop). */
    public LoadGenResult run() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(args.eventLoops())
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setPreferNativeTransport(false)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        try {
            List<Lane> lanes = new ArrayList<>();
            for (int i = 0; i < args.eventLoops(); i++) {
                lanes.add(new Lane(share(args.concurrency(), i), Math.max(1, share(args.connections(), i))));
            }
            CompletableFuture<Void> deployed = new CompletableFuture<>();
            int[] next = {0};
            vertx.deployVerticle(() -> lanes.get(next[0]++), new DeploymentOptions().setInstances(lanes.size()))
                 .onSuccess(id -> deployed.complete(null)).onFailure(deployed::completeExceptionally);
            deployed.get(30, TimeUnit.SECONDS);

            if (args.warmupMs() > 0) {
                Thread.sleep(args.warmupMs());
            }
            onAllLanes(lanes, Lane::startRecording);
            Thread.sleep(args.durationMs());
            onAllLanes(lanes, Lane::stopRecording);
            return merge(lanes);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static int share(int total, int index, int parts) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    private int share(int total, int index) {
        return share(total, index, args.eventLoops());
    }

    private static void onAllLanes(List<Lane> lanes, java.util.function.Consumer<Lane> action) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Lane lane : lanes) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            lane.context().runOnContext(v -> {
                action.accept(lane);
                f.complete(null);
            });
            done.add(f);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private LoadGenResult merge(List<Lane> lanes) {
        Histogram latency = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        Histogram ttfb = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        Map<Integer, Long> statuses = new TreeMap<>();
        Map<String, Long> errors = new TreeMap<>();
        long elapsedNanos = 0;
        for (Lane lane : lanes) {
            latency.add(lane.latency);
            ttfb.add(lane.ttfb);
            lane.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
            lane.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            elapsedNanos = Math.max(elapsedNanos, lane.stoppedAt - lane.startedAt);
        }
        return new LoadGenResult(args, elapsedNanos / 1e9, latency, ttfb, statuses, errors);
    }

    /** One event loop's share of the clients. */
    private final class Lane extends AbstractVerticle {
        private final int clients;
        private final int poolSize;
        final Histogram latency = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        final Histogram ttfb = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        final Map<Integer, Long> statuses = new TreeMap<>();
        final Map<String, Long> errors = new TreeMap<>();
        long startedAt;
        long stoppedAt;
        private boolean recording;
        private boolean stopped;
        private HttpClient client;
        private RequestOptions options;
        private Buffer body;

        Lane(int clients, int poolSize) {
            this.clients = clients;
            this.poolSize = poolSize;
        }

        Context context() {
            return context;
        }

        @Override
        public void start(Promise<Void> started) {
            boolean tls = "https".equals(args.url().getScheme());
            client = vertx.createHttpClient(new HttpClientOptions()
                            .setKeepAlive(true)
                            .setPipelining(false)
                            .setTcpNoDelay(true)
                            .setSsl(tls)
                            .setTrustAll(tls)
                            .setVerifyHost(false)
                            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, args.timeoutMs()))
                            .setShared(false),
                    new PoolOptions().setHttp1MaxSize(poolSize));
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            args.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
            options = new RequestOptions()
                    .setAbsoluteURI(args.url().toString())
                    .setMethod(HttpMethod.valueOf(args.method()))
                    .setHeaders(headers)
                    .setIdleTimeout(args.timeoutMs());
            body = args.body() == null ? null : Buffer.buffer(args.body());
            for (int i = 0; i < clients; i++) {
                new Worker().fire();
            }
            started.complete();
        }

        void startRecording() {
            latency.reset();
            ttfb.reset();
            statuses.clear();
            errors.clear();
            recording = true;
            startedAt = System.nanoTime();
        }

        void stopRecording() {
            recording = false;
            stopped = true;
            stoppedAt = System.nanoTime();
        }

        /** One closed-loop client: at most one request in flight. */
        private final class Worker {
            private long sentAt;
            private long headersAt;
            private int status;

            void fire() {
                if (stopped) {
                    return;
                }
                sentAt = System.nanoTime();
                client.request(options)
                      .compose(req -> body == null ? req.send() : req.send(body))
                      .compose(this::onResponse)
                      .onComplete(ar -> {
                          if (ar.succeeded()) {
                              completed(System.nanoTime());
                              fire();
                          } else {
                              failed(ar.cause());
                              // back off a little so a dead target does not turn into a busy loop
                              vertx.setTimer(5, id -> fire());
                          }
                      });
            }

            private io.vertx.core.Future<Buffer> onResponse(HttpClientResponse response) {
                headersAt = System.nanoTime();
                status = response.statusCode();
                return response.body();
            }

            private void completed(long now) {
                if (!recording) {
                    return;
                }
                latency.recordValue(Math.min(HIGHEST_TRACKABLE_MICROS, (now - sentAt) / 1000));
                ttfb.recordValue(Math.min(HIGHEST_TRACKABLE_MICROS, (headersAt - sentAt) / 1000));
                statuses.merge(status, 1L, Long::sum);
            }

            private void failed(Throwable cause) {
                if (recording) {
                    errors.merge(errorKind(cause), 1L, Long::sum);
                }
            }
        }
    }

    static String errorKind(Throwable cause) {
        if (cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout")) {
            return "timeout";
        }
        if (cause instanceof ConnectException || cause.getClass().getSimpleName().contains("Connect")) {
            return "connect";
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (cause.getClass().getSimpleName().contains("Closed") || message.contains("closed")
                || message.contains("reset")) {
            return "connection_closed";
        }
        return cause.getClass().getSimpleName();
    }
}
