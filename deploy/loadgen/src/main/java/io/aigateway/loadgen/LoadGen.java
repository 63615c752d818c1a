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
 * <p>
 * {@code --check-content}: a 200 counts as a success only with a non-empty {@code choices[0].message.content}.
 * {@code --stream}: each answer is read as SSE while it arrives and classified ({@link StreamScanner.Outcome}); a
 * stream started inside the measured window is counted whenever it ends, so after the window no new stream starts
 * and the run waits (up to the timeout + 2 s) for those still open, which count as hung if they never end.
 * Prompts vary per request as {@link Prompts} describes ({@code --repeat-fraction}).
 */
public final class LoadGen {

    static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final LoadGenArgs args;
    private final Prompts prompts;
    private final Runnable onMeasuring;

    public LoadGen(LoadGenArgs args) {
        this(args, () -> { });
    }

    /** @param onMeasuring called (on the calling thread) when the measured window starts */
    public LoadGen(LoadGenArgs args, Runnable onMeasuring) {
        this.args = args;
        this.onMeasuring = onMeasuring;
        this.prompts = Prompts.of(args.body(), args.stream(), args.repeatFraction(), args.promptPool(),
                Long.toHexString(new java.util.SplittableRandom().nextLong() & 0xffffffffL));
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
                lanes.add(new Lane(i, share(args.concurrency(), i), Math.max(1, share(args.connections(), i))));
            }
            CompletableFuture<Void> deployed = new CompletableFuture<>();
            int[] next = {0};
            vertx.deployVerticle(() -> lanes.get(next[0]++), new DeploymentOptions().setInstances(lanes.size()))
                 .onSuccess(id -> deployed.complete(null)).onFailure(deployed::completeExceptionally);
            deployed.get(30, TimeUnit.SECONDS);

            if (args.warmupMs() > 0) { // without a warm-up, the lanes record from their first request
                Thread.sleep(args.warmupMs());
                onAllLanes(lanes, Lane::startRecording);
            }
            onMeasuring.run();
            Thread.sleep(args.durationMs());
            onAllLanes(lanes, Lane::stopRecording);
            if (args.stream()) {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(args.timeoutMs() + 2000);
                while (lanes.stream().mapToInt(l -> l.inFlight).sum() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                onAllLanes(lanes, Lane::finish);
            }
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
        Histogram firstToken = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        Map<Integer, Long> statuses = new TreeMap<>();
        Map<String, Long> errors = new TreeMap<>();
        Map<String, Long> streams = new java.util.LinkedHashMap<>();
        for (StreamScanner.Outcome o : StreamScanner.Outcome.values()) {
            streams.put(o.key(), 0L);
        }
        long elapsedNanos = 0;
        long ok = 0;
        long noContent = 0;
        long repeated = 0;
        long unique = 0;
        for (Lane lane : lanes) {
            latency.add(lane.latency);
            ttfb.add(lane.ttfb);
            firstToken.add(lane.firstToken);
            lane.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
            lane.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            lane.streams.forEach((k, v) -> streams.merge(k.key(), v, Long::sum));
            elapsedNanos = Math.max(elapsedNanos, lane.stoppedAt - lane.startedAt);
            ok += lane.ok;
            noContent += lane.noContent;
            repeated += lane.repeated;
            unique += lane.unique;
        }
        return new LoadGenResult(args, elapsedNanos / 1e9, latency, ttfb, statuses, errors,
                new LoadGenResult.Extras(ok, noContent, firstToken, args.stream() ? streams : Map.of(),
                        prompts.varies(), repeated, unique));
    }

    /** One event loop's share of the clients. */
    private final class Lane extends AbstractVerticle {
        private final int index;
        private final int clients;
        private final int poolSize;
        final Histogram latency = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        final Histogram ttfb = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        final Histogram firstToken = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        final Map<Integer, Long> statuses = new TreeMap<>();
        final Map<String, Long> errors = new TreeMap<>();
        final Map<StreamScanner.Outcome, Long> streams = new java.util.EnumMap<>(StreamScanner.Outcome.class);
        long ok;
        long noContent;
        long repeated;
        long unique;
        long startedAt;
        long stoppedAt;
        /** Streams started in the window and not ended yet (written on the event loop, read by the main thread). */
        volatile int inFlight;
        private boolean recording;
        private boolean stopped;
        private boolean finished;
        private long uniqueSeq;
        private final java.util.SplittableRandom random = new java.util.SplittableRandom();
        private HttpClient client;
        private RequestOptions options;

        Lane(int index, int clients, int poolSize) {
            this.index = index;
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
            if (args.warmupMs() == 0) {
                startRecording();
            }
            for (int i = 0; i < clients; i++) {
                new Worker().fire();
            }
            started.complete();
        }

        void startRecording() {
            latency.reset();
            ttfb.reset();
            firstToken.reset();
            statuses.clear();
            errors.clear();
            streams.clear();
            ok = 0;
            noContent = 0;
            repeated = 0;
            unique = 0;
            recording = true;
            startedAt = System.nanoTime();
        }

        void stopRecording() {
            recording = false;
            stopped = true;
            stoppedAt = System.nanoTime();
        }

        /** Stream mode, after the drain: what is still open never ended. */
        void finish() {
            if (inFlight > 0) {
                streams.merge(StreamScanner.Outcome.HUNG, (long) inFlight, Long::sum);
            }
            finished = true;
        }

        Buffer nextBody() {
            if (!prompts.varies()) {
                return prompts.fixedBody();
            }
            boolean repeat = prompts.repeat(random);
            if (recording) {
                if (repeat) {
                    repeated++;
                } else {
                    unique++;
                }
            }
            return repeat ? prompts.pooled(random) : prompts.unique(index, ++uniqueSeq);
        }

        /** One closed-loop client: at most one request in flight. */
        private final class Worker {
            private long sentAt;
            private long headersAt;
            private long firstTokenAt;
            private int status;
            /** Stream mode: this request started inside the window, so it is counted whenever it ends. */
            private boolean counted;
            private StreamScanner scanner;

            void fire() {
                if (stopped) {
                    return;
                }
                sentAt = System.nanoTime();
                headersAt = 0;
                firstTokenAt = 0;
                status = 0;
                scanner = null;
                counted = args.stream() && recording;
                if (counted) {
                    inFlight++;
                }
                Buffer payload = nextBody();
                client.request(options)
                      .compose(req -> payload == null ? req.send() : req.send(payload))
                      .compose(this::onResponse)
                      .onComplete(ar -> {
                          if (ar.succeeded()) {
                              completed(System.nanoTime(), ar.result());
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
                if (!args.stream() || status != 200) {
                    return response.body();
                }
                StreamScanner s = new StreamScanner();
                scanner = s;
                response.handler(buffer -> {
                    if (s.feed(buffer)) {
                        firstTokenAt = System.nanoTime();
                    }
                });
                return response.end().map((Buffer) null);
            }

            private void completed(long now, Buffer body) {
                if (args.stream()) {
                    if (!counted) {
                        return;
                    }
                    inFlight--;
                    if (finished) {
                        return;
                    }
                    record(now);
                    StreamScanner.Outcome outcome = status == 200 && scanner != null ? scanner.outcome(false)
                            : StreamScanner.Outcome.FAILED_BEFORE_TOKEN;
                    streams.merge(outcome, 1L, Long::sum);
                    if (firstTokenAt > 0) {
                        firstToken.recordValue(Math.min(HIGHEST_TRACKABLE_MICROS, (firstTokenAt - sentAt) / 1000));
                    }
                    return;
                }
                if (!recording) {
                    return;
                }
                record(now);
                if (args.checkContent() && status == 200) {
                    if (StreamScanner.jsonHasContent(body)) {
                        ok++;
                    } else {
                        noContent++;
                    }
                }
            }

            private void record(long now) {
                latency.recordValue(Math.min(HIGHEST_TRACKABLE_MICROS, (now - sentAt) / 1000));
                ttfb.recordValue(Math.min(HIGHEST_TRACKABLE_MICROS, (headersAt - sentAt) / 1000));
                statuses.merge(status, 1L, Long::sum);
            }

            private void failed(Throwable cause) {
                String kind = errorKind(cause);
                if (args.stream()) {
                    if (!counted) {
                        return;
                    }
                    inFlight--;
                    if (finished) {
                        return;
                    }
                    errors.merge(kind, 1L, Long::sum);
                    boolean timedOut = kind.equals("timeout");
                    StreamScanner.Outcome outcome;
                    if (status == 200 && scanner != null) {
                        outcome = scanner.outcome(timedOut);
                        if (firstTokenAt > 0) {
                            firstToken.recordValue(Math.min(HIGHEST_TRACKABLE_MICROS, (firstTokenAt - sentAt) / 1000));
                        }
                    } else {
                        outcome = timedOut ? StreamScanner.Outcome.HUNG : StreamScanner.Outcome.FAILED_BEFORE_TOKEN;
                    }
                    streams.merge(outcome, 1L, Long::sum);
                    return;
                }
                if (recording) {
                    errors.merge(kind, 1L, Long::sum);
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
