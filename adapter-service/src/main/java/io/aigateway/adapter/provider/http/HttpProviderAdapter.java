package io.aigateway.adapter.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.aigateway.adapter.provider.transport.ProbeResult;
import io.aigateway.adapter.provider.transport.ProviderTransport;
import io.aigateway.adapter.provider.transport.StreamFrame;
import io.aigateway.adapter.provider.transport.UpstreamRequest;
import io.aigateway.adapter.provider.transport.UpstreamResponse;
import io.aigateway.adapter.provider.transport.UpstreamStream;
import io.aigateway.adapter.provider.transport.UpstreamStreamListener;
import io.aigateway.adapter.provider.transport.UpstreamTimeoutException;
import io.aigateway.adapter.provider.wire.ChunkOutput;
import io.aigateway.adapter.provider.wire.ModelDirectory;
import io.aigateway.adapter.provider.wire.StreamTranslator;
import io.aigateway.adapter.provider.wire.WireFormat;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.openai.Chunks;
import io.aigateway.contracts.openai.Usage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A provider reached over HTTP, for every kind: a {@link ProviderTransport} (pool, deadlines, framing,
 * rate-limit headers) carries what a {@link WireFormat} writes and reads, and a {@link ModelDirectory} says which
 * models it serves at which price. This class owns only a call's life cycle: failures mapped into the taxonomy,
 * usage counted or estimated, chunks relayed to the consumer with their progress. Kinds differ by composition,
 * never by subclassing.
 */
public final class HttpProviderAdapter implements ProviderAdapter {

    private static final Logger LOG = Logger.getLogger(HttpProviderAdapter.class);

    private final ProviderSettings settings;
    private final WireFormat format;
    private final ModelDirectory models;
    private final ProviderTransport transport;
    private final TokenEstimator tokens;
    private final ObjectMapper mapper;
    private final CompletionUsageReader usageReader;

    public HttpProviderAdapter(ProviderSettings settings, WireFormat format, ModelDirectory models,
                               ProviderTransport transport, TokenEstimator tokens, ObjectMapper mapper) {
        this.settings = settings;
        this.format = format;
        this.models = models;
        this.transport = transport;
        this.tokens = tokens;
        this.mapper = mapper;
        this.usageReader = new CompletionUsageReader(mapper);
    }

    /** The usual assembly: a transport of its own carrying the format's fixed headers. */
    public static HttpProviderAdapter of(ProviderSettings settings, WireFormat format, ModelDirectory models,
                                         Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, Duration healthTimeout) {
        return new HttpProviderAdapter(settings, format, models,
                new ProviderTransport(vertx, settings, format.fixedHeaders(), healthTimeout), tokens, mapper);
    }

    // ---- catalog, cost, errors ---------------------------------------------------------------------

    @Override
    public ProviderSettings settings() {
        return settings;
    }

    @Override
    public List<ModelInfo> models() {
        return models.models();
    }

    @Override
    public ModelInfo model(String modelId) {
        return models.model(modelId);
    }

    @Override
    public BigDecimal estimateCost(ModelInfo model, int promptTokens, int completionTokens) {
        return models.cost(model, promptTokens, completionTokens);
    }

    @Override
    public RateLimitSnapshot rateLimit() {
        return transport.rateLimit();
    }

    @Override
    public ProviderError mapHttpError(int status, MultiMap headers, Buffer body, String model) {
        return format.errors().fromHttp(settings.id(), model, settings.apiKey(), status, headers, body);
    }

    @Override
    public ProviderError mapFailure(Throwable failure, String model) {
        if (failure instanceof UpstreamTimeoutException timeout) {
            return new ProviderError(ErrorClass.TIMEOUT, null, null, settings.id() + ": " + timeout.getMessage(),
                    settings.id(), model);
        }
        return format.errors().fromFailure(settings.id(), model, settings.apiKey(), failure);
    }

    @Override
    public void close() {
        transport.close();
    }

    /** The request cannot be sent to this provider (an {@link UnsupportedRequestException} explains why). */
    private ProviderError badRequest(String model, Exception e) {
        String why = e instanceof UnsupportedRequestException u ? u.getMessage() : "request body cannot be translated for this provider";
        return new ProviderError(ErrorClass.BAD_REQUEST, null, null, settings.id() + ": " + why, settings.id(), model);
    }

    private ProviderError malformed(int status, String what, String model) {
        return new ProviderError(ErrorClass.MALFORMED_RESPONSE, status, null, settings.id() + " " + what, settings.id(), model);
    }

    // ---- one-shot ----------------------------------------------------------------------------------

    @Override
    public Uni<ChatResult> chat(ChatCall call) {
        String model = call.model().id();
        UpstreamRequest request;
        try {
            request = format.request(call, false);
        } catch (IOException | RuntimeException e) {
            return Uni.createFrom().failure(new ProviderException(badRequest(model, e)));
        }
        long started = System.nanoTime();
        return transport.send(request)
                .onFailure(t -> !(t instanceof ProviderException))
                .transform(t -> new ProviderException(mapFailure(t, model)))
                .map(response -> answer(call, response, started));
    }

    private ChatResult answer(ChatCall call, UpstreamResponse response, long started) {
        String model = call.model().id();
        int status = response.status();
        if (!response.ok()) {
            throw new ProviderException(mapHttpError(status, response.headers(), response.body(), model));
        }
        try {
            Buffer body = format.completion(call, response);
            Usage usage = usageReader.usage(body);
            long upstreamMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (usage != null) {
                return new ChatResult(body, usage, false, upstreamMs);
            }
            int prompt = tokens.promptTokens(call.request().messages());
            int completion = tokens.completionTokens(mapper.readTree(body.getBytes()));
            return new ChatResult(body, new Usage(prompt, completion, prompt + completion), true, upstreamMs);
        } catch (ProviderException refused) {
            throw refused; // the format read a 2xx answer as a failure (e.g. Gemini's safety block: CONTENT_FILTERED)
        } catch (IOException | RuntimeException e) {
            throw new ProviderException(malformed(status,
                    "answered HTTP " + status + " with a body that is not a chat completion", model));
        }
    }

    // ---- stream ------------------------------------------------------------------------------------

    @Override
    public StreamHandle chatStream(ChatCall call, ChunkSink sink) {
        String model = call.model().id();
        UpstreamRequest request;
        try {
            request = format.request(call, true);
        } catch (IOException | RuntimeException e) {
            sink.error(badRequest(model, e));
            return () -> { };
        }
        Relay relay = new Relay(call, sink, format.streamTranslator(call));
        relay.upstream = transport.stream(request, format.framing(), relay);
        return relay;
    }

    /** One stream: the upstream's frames translated, checked and counted into the consumer's sink. */
    private final class Relay implements StreamHandle, UpstreamStreamListener, ChunkOutput {
        private final ChatCall call;
        private final ChunkSink sink;
        private final String model;
        private final StreamTranslator translator;
        private final StringBuilder completionText = new StringBuilder();
        private UpstreamStream upstream;
        private boolean sawData;
        private boolean finished;
        private Usage usage;

        Relay(ChatCall call, ChunkSink sink, StreamTranslator translator) {
            this.call = call;
            this.sink = sink;
            this.model = call.model().id();
            this.translator = translator;
        }

        @Override
        public void onFrame(StreamFrame frame) {
            String data = frame.data();
            if (data.isBlank() || Chunks.DONE.equals(data.trim())) {
                return; // padding carries no progress; we send our own [DONE] after the usage event
            }
            JsonNode json;
            try {
                json = mapper.readTree(data);
            } catch (IOException e) {
                json = null;
            }
            if (!(json instanceof ObjectNode object)) {
                fail(malformed(200, "sent a stream chunk that is not a JSON object", model));
                return;
            }
            translator.translate(frame, object, this);
        }

        @Override
        public void chunk(String json, JsonNode chunk) {
            if (finished) {
                return;
            }
            sawData = true;
            if (upstream != null) {
                upstream.dataReceived();
            }
            Usage u = Usage.from(chunk);
            if (u != null) {
                usage = u;
            }
            collectText(chunk);
            sink.chunk(json, Chunks.hasContent(chunk));
        }

        @Override
        public void error(JsonNode error) {
            fail(format.errors().fromStreamErrorChunk(settings.id(), model, settings.apiKey(), error));
        }

        @Override
        public void onEnd() {
            if (finished) {
                return;
            }
            if (!sawData) {
                fail(malformed(200, "ended the stream without any data", model));
                return;
            }
            finished = true;
            if (usage != null) {
                sink.complete(usage, false);
            } else {
                int prompt = tokens.promptTokens(call.request().messages());
                int completion = tokens.count(completionText.toString());
                sink.complete(new Usage(prompt, completion, prompt + completion), true);
            }
        }

        @Override
        public void onHttpError(int status, MultiMap headers, Buffer body) {
            fail(mapHttpError(status, headers, body, model));
        }

        @Override
        public void onFailure(Throwable failure) {
            fail(mapFailure(failure, model));
        }

        @Override
        public boolean writeQueueFull() {
            return sink.writeQueueFull();
        }

        @Override
        public void drainHandler(Runnable resume) {
            sink.drainHandler(resume);
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

        private void fail(ProviderError error) {
            if (finished) {
                return;
            }
            finished = true;
            abortUpstream();
            LOG.debugf("provider %s stream failed: %s", settings.id(), error.message());
            sink.error(error);
        }

        @Override
        public void cancel() {
            if (finished) {
                return;
            }
            finished = true;
            abortUpstream();
        }

        /** The upstream may fail before {@link #chatStream} has its handle (a request refused at once). */
        private void abortUpstream() {
            if (upstream != null) {
                upstream.abort();
            }
        }
    }

    // ---- health ------------------------------------------------------------------------------------

    /** The health probe, then (when healthy and the models have a discovery URI) model discovery; both in the background. */
    @Override
    public Uni<HealthResult> healthCheck() {
        return transport.probe(format.healthUri()).map(this::healthOf).flatMap(health -> {
            String discovery = models.discoveryUri();
            if (!health.healthy() || discovery == null) {
                return Uni.createFrom().item(health);
            }
            return transport.probe(discovery).map(list -> {
                if (list.ok()) {
                    models.discovered(list.body());
                }
                return health;
            });
        });
    }

    private HealthResult healthOf(ProbeResult probe) {
        if (probe.failure() != null) {
            ProviderError failure = mapFailure(probe.failure(), null);
            return new HealthResult(settings.id(), false, Instant.now(), probe.latencyMs(),
                    failure.errorClass() + ": " + failure.message());
        }
        return format.healthReading().read(settings.id(), probe);
    }
}
