package io.aigateway.adapter.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ChatResult;
import io.aigateway.adapter.provider.ChunkSink;
import io.aigateway.adapter.provider.HealthResult;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderException;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.RateLimitSnapshot;
import io.aigateway.adapter.provider.StreamHandle;
import io.aigateway.adapter.provider.UnsupportedRequestException;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.aigateway.contracts.catalog.Cost;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.SseParser;
import io.aigateway.contracts.openai.Chunks;
import io.aigateway.contracts.openai.Usage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
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
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The OpenAI wire format, shared by every kind that speaks it (OpenAI, DeepSeek, Hugging Face router,
 * llama.cpp, vLLM, ...): {@code POST {base}/chat/completions} with a Bearer key, SSE data-only streams
 * ending in {@code [DONE]}, {@code {"error":{…}}} bodies, {@code GET {base}/models} as health probe.
 * Subclasses override the hooks ({@link #chatPath()}, {@link #modelsPath()}, {@link #authorize},
 * {@link #streamBody}, {@link #errorMapper()}) for their differences.
 *
 * <p>One Vert.x {@link HttpClient} per provider, created once with its own pool. Everything runs on the
 * calling event loop; nothing blocks.
 */
public abstract class OpenAiCompatibleAdapter implements ProviderAdapter {

    private static final Logger LOG = Logger.getLogger(OpenAiCompatibleAdapter.class);
    private static final String JSON = "application/json";
    private static final String SSE = "text/event-stream";

    protected final ProviderSettings settings;
    protected final Vertx vertx;
    protected final ObjectMapper mapper;
    protected final TokenEstimator tokens;
    private final OpenAiErrorMapper errors;
    private final HttpClient client;
    private final String chatUri;
    private final String modelsUri;
    private final String authorization;
    private final long firstByteMs;
    private final long betweenChunksMs;
    private final long totalMs;
    private final long healthTimeoutMs;
    private final AtomicReference<RateLimitSnapshot> rateLimit = new AtomicReference<>(RateLimitSnapshot.NONE);

    protected OpenAiCompatibleAdapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper,
                                      TokenEstimator tokens, Duration healthTimeout) {
        this.settings = settings;
        this.vertx = vertx;
        this.mapper = mapper;
        this.tokens = tokens;
        this.errors = errorMapper(mapper);
        this.chatUri = settings.baseUrl() + chatPath();
        this.modelsUri = settings.baseUrl() + modelsPath();
        this.authorization = settings.apiKey() == null ? null : "Bearer " + settings.apiKey();
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
                .setName("aigw-" + settings.id());
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(settings.pool().maxConnections()));
    }

    // ---- hooks -------------------------------------------------------------------------------------

    protected String chatPath() {
        return "/chat/completions";
    }

    protected String modelsPath() {
        return "/models";
    }

    /** Adds the credentials header; OpenAI style is {@code Authorization: Bearer <key>}. */
    protected void authorize(RequestOptions options) {
        if (authorization != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
    }

    /** The body sent upstream for a one-shot call; OpenAI-format kinds forward routing's bytes unchanged. */
    protected Buffer jsonBody(ChatCall call) throws IOException {
        return call.rawBody();
    }

    /** The chat URI of a call (some kinds put the model or the stream mode in the path). */
    protected String chatUri(ChatCall call, boolean stream) {
        return chatUri;
    }

    /** The {@code Accept} header of a stream request. */
    protected String streamAccept() {
        return SSE;
    }

    /**
     * Decodes the upstream stream into OpenAI chunk payloads ({@code data} of each event; comments and
     * blank padding are dropped, a payload that is not JSON is reported as malformed). Default: SSE as is.
     */
    protected StreamDecoder streamDecoder(ChatCall call) {
        SseParser parser = new SseParser();
        return new StreamDecoder() {
            @Override
            public List<SseParser.Event> feed(Buffer bytes) {
                return parser.feed(bytes.getBytes());
            }

            @Override
            public List<SseParser.Event> finish() {
                return parser.finish();
            }
        };
    }

    /** Turns the upstream's stream bytes into OpenAI chunk events; one per stream, on its event loop. */
    public interface StreamDecoder {
        List<SseParser.Event> feed(Buffer bytes);

        List<SseParser.Event> finish();
    }

    /** The body sent upstream for a stream: the request with {@code stream_options.include_usage=true}. */
    protected Buffer streamBody(ChatCall call) throws IOException {
        return Buffer.buffer(mapper.writeValueAsBytes(call.request().withUsageRequested().body()));
    }

    protected OpenAiErrorMapper errorMapper(ObjectMapper mapper) {
        return new OpenAiErrorMapper(mapper);
    }

    /** The URI the background health check probes; OpenAI style is {@code GET {base}/models}. */
    protected String healthUri() {
        return modelsUri;
    }

    /** The URI listing the server's models ({@code {base}/models}). */
    protected final String modelsUri() {
        return modelsUri;
    }

    /**
     * The one-shot body as relayed; default unchanged. Kinds whose servers pad the body (DeepSeek sends
     * blank lines while it works) strip that here.
     */
    protected Buffer normalizeJsonBody(Buffer body) {
        return body;
    }

    /**
     * The one-shot answer as an OpenAI {@code chat.completion} body. Default: the upstream body (normalized);
     * translating kinds build OpenAI's body from their own. Throwing means a malformed answer.
     */
    protected Buffer toOpenAiJson(ChatCall call, Buffer body) throws IOException {
        return normalizeJsonBody(body);
    }

    /** As {@link #toOpenAiJson(ChatCall, Buffer)}, for kinds that read counts from the response headers. */
    protected Buffer toOpenAiJson(ChatCall call, MultiMap headers, Buffer body) throws IOException {
        return toOpenAiJson(call, body);
    }

    // ---- ProviderAdapter ---------------------------------------------------------------------------

    @Override
    public ProviderSettings settings() {
        return settings;
    }

    @Override
    public BigDecimal estimateCost(ModelInfo model, int promptTokens, int completionTokens) {
        return Cost.of(promptTokens, completionTokens, model);
    }

    @Override
    public RateLimitSnapshot rateLimit() {
        return rateLimit.get();
    }

    @Override
    public ProviderError mapHttpError(int status, MultiMap headers, Buffer body, String model) {
        return errors.fromHttp(settings.id(), model, settings.apiKey(), status, headers, body);
    }

    @Override
    public ProviderError mapFailure(Throwable failure, String model) {
        return errors.fromFailure(settings.id(), model, settings.apiKey(), failure);
    }

    @Override
    public void close() {
        client.close();
    }

    private RequestOptions requestOptions(HttpMethod method, String uri, String requestId, String accept) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(uri)
                .putHeader(HttpHeaders.ACCEPT, accept);
        if (method == HttpMethod.POST) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        }
        if (requestId != null) {
            options.putHeader(AigwHeaders.REQUEST_ID, requestId);
        }
        authorize(options);
        return options;
    }

    private void observe(HttpClientResponse response) {
        RateLimitSnapshot snapshot = RateLimitSnapshot.from(response.headers());
        if (snapshot != null) {
            rateLimit.set(snapshot);
        }
    }

    /** The request cannot be sent to this provider (an {@link UnsupportedRequestException} explains why). */
    private ProviderError badRequest(String model, Exception e) {
        String why = e instanceof UnsupportedRequestException u ? u.getMessage() : "request body cannot be translated for this provider";
        return new ProviderError(ErrorClass.BAD_REQUEST, null, null, settings.id() + ": " + why, settings.id(), model);
    }

    private ProviderError timeout(String model, String what) {
        return new ProviderError(ErrorClass.TIMEOUT, null, null, settings.id() + ": " + what, settings.id(), model);
    }

    // ---- one-shot ----------------------------------------------------------------------------------

    @Override
    public Uni<ChatResult> chat(ChatCall call) {
        String model = call.model().id();
        return Uni.createFrom().emitter(emitter -> {
            long started = System.nanoTime();
            OneShot state = new OneShot();
            state.totalTimer = vertx.setTimer(totalMs, id -> state.fail(emitter,
                    timeout(model, "no complete answer within " + totalMs + " ms")));
            state.firstByteTimer = vertx.setTimer(firstByteMs, id -> state.fail(emitter,
                    timeout(model, "no response within " + firstByteMs + " ms")));
            emitter.onTermination(state::cleanUp);
            Buffer upstreamBody;
            try {
                upstreamBody = jsonBody(call);
            } catch (IOException | RuntimeException e) {
                state.fail(emitter, badRequest(model, e));
                return;
            }
            client.request(requestOptions(HttpMethod.POST, chatUri(call, false), call.requestId(), JSON))
                    .compose(req -> {
                        state.request = req;
                        if (state.done) {
                            req.reset();
                        }
                        return req.send(upstreamBody);
                    })
                    .onComplete(ar -> {
                        vertx.cancelTimer(state.firstByteTimer);
                        if (state.done) {
                            return;
                        }
                        if (ar.failed()) {
                            state.fail(emitter, mapFailure(ar.cause(), model));
                            return;
                        }
                        HttpClientResponse response = ar.result();
                        observe(response);
                        response.body().onComplete(body -> {
                            if (state.done) {
                                return;
                            }
                            if (body.failed()) {
                                state.fail(emitter, mapFailure(body.cause(), model));
                                return;
                            }
                            state.ended = true;
                            int status = response.statusCode();
                            if (status < 200 || status > 299) {
                                state.fail(emitter, mapHttpError(status, response.headers(), body.result(), model));
                                return;
                            }
                            ChatResult result;
                            try {
                                result = success(call, response.headers(), body.result(), started);
                            } catch (IOException | RuntimeException e) {
                                state.fail(emitter, new ProviderError(ErrorClass.MALFORMED_RESPONSE, status, null,
                                        settings.id() + " answered HTTP " + status + " with a body that is not a chat completion",
                                        settings.id(), model));
                                return;
                            }
                            state.done = true;
                            emitter.complete(result);
                        });
                    });
        });
    }

    private ChatResult success(ChatCall call, MultiMap headers, Buffer raw, long started) throws IOException {
        Buffer body = toOpenAiJson(call, headers, raw);
        JsonNode tree = mapper.readTree(body.getBytes());
        if (tree == null || !tree.isObject()) {
            throw new IOException("not a JSON object");
        }
        long upstreamMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Usage usage = Usage.from(tree);
        if (usage != null) {
            return new ChatResult(body, usage, false, upstreamMs);
        }
        int prompt = tokens.promptTokens(call.request().messages());
        int completion = tokens.completionTokens(tree);
        return new ChatResult(body, new Usage(prompt, completion, prompt + completion), true, upstreamMs);
    }

    private final class OneShot {
        long totalTimer = -1;
        long firstByteTimer = -1;
        HttpClientRequest request;
        boolean done;
        boolean ended;

        void fail(io.smallrye.mutiny.subscription.UniEmitter<? super ChatResult> emitter, ProviderError error) {
            if (done) {
                return;
            }
            done = true;
            emitter.fail(new ProviderException(error));
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

    @Override
    public StreamHandle chatStream(ChatCall call, ChunkSink sink) {
        StreamCall stream = new StreamCall(call, sink);
        stream.start();
        return stream;
    }

    /** One upstream stream; all callbacks on the same event loop. */
    private final class StreamCall implements StreamHandle {
        private final ChatCall call;
        private final ChunkSink sink;
        private final String model;
        private final StreamDecoder parser;
        private final StringBuilder completionText = new StringBuilder();
        private HttpClientRequest request;
        private HttpClientResponse response;
        private long firstByteTimer = -1;
        private long gapTimer = -1;
        private long lastDataNanos;
        private boolean sawData;
        private boolean finished;
        private boolean ended;
        private Usage usage;

        StreamCall(ChatCall call, ChunkSink sink) {
            this.call = call;
            this.sink = sink;
            this.model = call.model().id();
            this.parser = streamDecoder(call);
        }

        void start() {
            Buffer body;
            try {
                body = streamBody(call);
            } catch (IOException | RuntimeException e) {
                fail(badRequest(model, e));
                return;
            }
            firstByteTimer = vertx.setTimer(firstByteMs, id -> {
                firstByteTimer = -1;
                fail(timeout(model, "no stream data within " + firstByteMs + " ms"));
            });
            client.request(requestOptions(HttpMethod.POST, chatUri(call, true), call.requestId(), streamAccept()))
                    .compose(req -> {
                        request = req;
                        if (finished) {
                            req.reset();
                        }
                        return req.send(body);
                    })
                    .onComplete(ar -> {
                        if (finished) {
                            return;
                        }
                        if (ar.failed()) {
                            fail(mapFailure(ar.cause(), model));
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
                        fail(body.succeeded()
                                ? mapHttpError(status, resp.headers(), body.result(), model)
                                : mapHttpError(status, resp.headers(), null, model));
                    }
                });
                return;
            }
            resp.handler(this::onBytes);
            resp.exceptionHandler(t -> {
                if (!finished) {
                    fail(mapFailure(t, model));
                }
            });
            resp.endHandler(v -> {
                ended = true;
                onEnd();
            });
        }

        private void onBytes(Buffer bytes) {
            if (finished) {
                return;
            }
            handle(parser.feed(bytes));
            if (!finished && sink.writeQueueFull()) {
                response.pause();
                sink.drainHandler(() -> {
                    if (!finished) {
                        response.resume();
                    }
                });
            }
        }

        private void handle(List<SseParser.Event> events) {
            for (int i = 0; i < events.size() && !finished; i++) {
                SseParser.Event event = events.get(i);
                String data = event.data();
                if (data.isBlank()) {
                    continue; // padding: neither content nor progress
                }
                if (Chunks.DONE.equals(data.trim())) {
                    continue; // we send our own [DONE] after the usage event
                }
                JsonNode chunk;
                try {
                    chunk = mapper.readTree(data);
                } catch (IOException e) {
                    chunk = null;
                }
                if (chunk == null || !chunk.isObject()) {
                    fail(new ProviderError(ErrorClass.MALFORMED_RESPONSE, 200, null,
                            settings.id() + " sent a stream chunk that is not a JSON object", settings.id(), model));
                    return;
                }
                JsonNode error = chunk.get("error");
                if (error != null && !error.isNull() || "error".equals(event.event())) {
                    fail(errors.fromStreamErrorChunk(settings.id(), model, settings.apiKey(),
                            error == null || error.isNull() ? chunk : error));
                    return;
                }
                onData();
                Usage u = Usage.from(chunk);
                if (u != null) {
                    usage = u;
                }
                collectText(chunk);
                sink.chunk(data, Chunks.hasContent(chunk));
            }
        }

        private void onData() {
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

        /** One timer for the gap between chunks, re-armed lazily instead of on every chunk. */
        private void scheduleGapCheck(long delayMs) {
            gapTimer = vertx.setTimer(Math.max(1, delayMs), id -> {
                gapTimer = -1;
                if (finished) {
                    return;
                }
                long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastDataNanos);
                if (idleMs >= betweenChunksMs) {
                    fail(timeout(model, "no stream data for " + idleMs + " ms"));
                } else {
                    scheduleGapCheck(betweenChunksMs - idleMs);
                }
            });
        }

        private void collectText(JsonNode chunk) {
            if (usage != null) {
                return;
            }
            JsonNode choices = chunk.get("choices");
            if (choices == null || !choices.isArray()) {
                return;
            }
            for (JsonNode choice : choices) {
                JsonNode delta = choice.get("delta");
                if (delta == null) {
                    continue;
                }
                append(delta.get("content"));
                append(delta.get("reasoning_content"));
                JsonNode toolCalls = delta.get("tool_calls");
                if (toolCalls != null && toolCalls.isArray()) {
                    for (JsonNode tc : toolCalls) {
                        JsonNode fn = tc.get("function");
                        if (fn != null) {
                            append(fn.get("name"));
                            append(fn.get("arguments"));
                        }
                    }
                }
            }
        }

        private void append(JsonNode text) {
            if (text != null && text.isTextual()) {
                completionText.append(text.asText());
            }
        }

        private void onEnd() {
            if (finished) {
                return;
            }
            handle(parser.finish());
            if (finished) {
                return;
            }
            if (!sawData) {
                fail(new ProviderError(ErrorClass.MALFORMED_RESPONSE, response.statusCode(), null,
                        settings.id() + " ended the stream without any data", settings.id(), model));
                return;
            }
            finished = true;
            cancelTimers();
            if (usage != null) {
                sink.complete(usage, false);
            } else {
                int prompt = tokens.promptTokens(call.request().messages());
                int completion = tokens.count(completionText.toString());
                sink.complete(new Usage(prompt, completion, prompt + completion), true);
            }
        }

        private void fail(ProviderError error) {
            if (finished) {
                return;
            }
            finished = true;
            cancelTimers();
            if (request != null && !ended) {
                request.reset();
            }
            LOG.debugf("provider %s stream failed: %s", settings.id(), error.message());
            sink.error(error);
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
        public void cancel() {
            if (finished) {
                return;
            }
            finished = true;
            cancelTimers();
            if (request != null && !ended) {
                request.reset();
            }
        }
    }

    // ---- health ------------------------------------------------------------------------------------

    /** Outcome of one background GET: HTTP status and body, or the mapped transport failure. */
    protected record Probe(int status, Buffer body, ProviderError failure, long latencyMs) {
        public boolean ok() {
            return failure == null && status >= 200 && status <= 299;
        }
    }

    /** One background GET with the health timeout and the provider's credentials (never on the request path). */
    protected Uni<Probe> probe(String uri) {
        return Uni.createFrom().emitter(emitter -> {
            long started = System.nanoTime();
            RequestOptions options = requestOptions(HttpMethod.GET, uri, null, JSON)
                    .setConnectTimeout(healthTimeoutMs)
                    .setIdleTimeout(healthTimeoutMs);
            client.request(options)
                    .compose(req -> req.send().compose(resp -> resp.body().map(b -> new Probe(resp.statusCode(), b, null, 0))))
                    .onComplete(ar -> {
                        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                        if (ar.failed()) {
                            emitter.complete(new Probe(0, null, mapFailure(ar.cause(), null), ms));
                        } else {
                            emitter.complete(new Probe(ar.result().status(), ar.result().body(), null, ms));
                        }
                    });
        });
    }

    /** The health result of a probe: healthy on 2xx, else the status' error class. */
    protected HealthResult healthOf(Probe p) {
        if (p.failure() != null) {
            return new HealthResult(settings.id(), false, Instant.now(), p.latencyMs(),
                    p.failure().errorClass() + ": " + p.failure().message());
        }
        boolean ok = p.ok();
        return new HealthResult(settings.id(), ok, Instant.now(), p.latencyMs(),
                ok ? "HTTP " + p.status() : ErrorClass.fromHttpStatus(p.status()) + ": HTTP " + p.status());
    }

    @Override
    public Uni<HealthResult> healthCheck() {
        return probe(healthUri()).map(this::healthOf);
    }
}
