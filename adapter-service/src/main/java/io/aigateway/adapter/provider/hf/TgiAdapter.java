package io.aigateway.adapter.provider.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ChatResult;
import io.aigateway.adapter.provider.ChunkSink;
import io.aigateway.adapter.provider.ProviderException;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.StreamHandle;
import io.aigateway.adapter.provider.UnsupportedRequestException;
import io.aigateway.adapter.provider.openai.OpenAiCompatibleAdapter;
import io.aigateway.adapter.provider.openai.OpenAiErrorMapper;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.internal.SseParser;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kind {@code tgi}: Hugging Face text-generation-inference at the configured server root (PROVIDERS.md
 * "Hugging Face"): messages rendered by the model's {@link ChatTemplate} into {@code inputs} with
 * {@code parameters}; {@code POST /generate} → {@code generated_text}, {@code POST /generate_stream} → SSE token
 * events (no {@code [DONE]}), both translated to OpenAI's format; counts from {@code details.generated_tokens}
 * and the {@code x-prompt-tokens} header. 503 "model is loading" with {@code estimated_time}: wait (bounded by
 * {@code timeouts.total}) or fail OVERLOADED at once for a fallback, by {@code tgi.on-loading}. With
 * {@code tgi.free-tier-requests-per-minute} a client-side limiter answers RATE_LIMITED before calling, and
 * calls cost 0. Health {@code GET /health}.
 */
public class TgiAdapter extends OpenAiCompatibleAdapter {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ChatTemplate defaultTemplate;
    private final Map<String, ChatTemplate> templates = new HashMap<>();
    private final boolean waitWhileLoading;
    private final int defaultMaxNewTokens;
    private final RequestLimiter limiter;
    private final String generateUri;
    private final String streamUri;
    private final String healthUri;

    public TgiAdapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                      Duration healthTimeout) {
        super(settings, vertx, mapper, tokens, healthTimeout);
        AigwConfig.ProviderConfig pc = settings.config();
        this.defaultTemplate = ChatTemplate.of(pc == null ? "mistral" : pc.tgi().chatTemplate());
        if (pc != null) {
            for (AigwConfig.ModelConfig m : pc.models()) {
                m.chatTemplate().ifPresent(t -> templates.put(m.id(), ChatTemplate.of(t)));
            }
        }
        this.waitWhileLoading = pc != null && "wait".equalsIgnoreCase(pc.tgi().onLoading().trim());
        this.defaultMaxNewTokens = pc == null ? 512 : pc.tgi().defaultMaxNewTokens();
        int rpm = pc == null ? 0 : pc.tgi().freeTierRequestsPerMinute();
        this.limiter = rpm > 0 ? new RequestLimiter(rpm) : null;
        this.generateUri = settings.baseUrl() + "/generate";
        this.streamUri = settings.baseUrl() + "/generate_stream";
        this.healthUri = settings.baseUrl() + "/health";
    }

    ChatTemplate template(String model) {
        return templates.getOrDefault(model, defaultTemplate);
    }

    @Override
    protected String chatUri(ChatCall call, boolean stream) {
        return stream ? streamUri : generateUri;
    }

    @Override
    protected String healthUri() {
        return healthUri;
    }

    @Override
    public BigDecimal estimateCost(ModelInfo model, int promptTokens, int completionTokens) {
        return limiter != null ? io.aigateway.contracts.catalog.Cost.of(promptTokens, completionTokens, BigDecimal.ZERO, BigDecimal.ZERO)
                : super.estimateCost(model, promptTokens, completionTokens);
    }

    // ---- request -------------------------------------------------------------------------------

    private Buffer generateBody(ChatCall call, boolean stream) throws IOException {
        JsonNode in = call.request().body();
        JsonNode tools = in.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            throw new UnsupportedRequestException("text-generation (TGI) models do not support tools");
        }
        JsonNode rf = in.get("response_format");
        if (rf != null && rf.isObject() && !"text".equals(rf.path("type").asText())) {
            throw new UnsupportedRequestException("text-generation (TGI) /generate does not support response_format");
        }
        if (in.path("n").asInt(1) > 1) {
            throw new UnsupportedRequestException("text-generation (TGI) does not support n > 1");
        }
        ChatTemplate template = template(call.model().id());
        ObjectNode out = F.objectNode();
        out.put("inputs", template.render(in.path("messages")));
        ObjectNode p = out.putObject("parameters");
        JsonNode max = in.has("max_completion_tokens") ? in.get("max_completion_tokens") : in.get("max_tokens");
        p.put("max_new_tokens", max != null && max.isNumber() ? max.asInt() : defaultMaxNewTokens);
        JsonNode temperature = in.get("temperature");
        if (temperature != null && temperature.isNumber()) {
            if (temperature.asDouble() > 0) {
                p.set("temperature", temperature);
                p.put("do_sample", true);
            } else {
                p.put("do_sample", false);
            }
        }
        for (String f : new String[]{"top_p", "top_k", "seed", "repetition_penalty"}) {
            JsonNode v = in.get(f);
            if (v != null && v.isNumber()) {
                p.set(f, v);
            }
        }
        ArrayNode stop = p.putArray("stop");
        JsonNode s = in.get("stop");
        if (s != null && s.isTextual()) {
            stop.add(s.asText());
        } else if (s != null && s.isArray()) {
            s.forEach(stop::add);
        }
        for (String t : template.stops()) {
            stop.add(t);
        }
        p.put("return_full_text", false);
        p.put("details", true);
        if (stream) {
            out.put("stream", true);
        }
        return Buffer.buffer(mapper.writeValueAsBytes(out));
    }

    @Override
    protected Buffer jsonBody(ChatCall call) throws IOException {
        return generateBody(call, false);
    }

    @Override
    protected Buffer streamBody(ChatCall call) throws IOException {
        return generateBody(call, true);
    }

    // ---- answers -------------------------------------------------------------------------------

    static String finishReason(String tgi) {
        return "length".equals(tgi) ? "length" : "stop";
    }

    private static String stripStops(String text, ChatTemplate template) {
        for (String stop : template.stops()) {
            if (text.endsWith(stop)) {
                return text.substring(0, text.length() - stop.length());
            }
        }
        return text;
    }

    @Override
    protected Buffer toOpenAiJson(ChatCall call, MultiMap headers, Buffer body) throws IOException {
        JsonNode r = mapper.readTree(body.getBytes());
        if (r != null && r.isArray() && !r.isEmpty()) {
            r = r.get(0); // the hf-inference API answers an array
        }
        if (r == null || !r.isObject() || !r.path("generated_text").isTextual()) {
            throw new IOException("not a text-generation answer");
        }
        ObjectNode out = F.objectNode();
        out.put("id", "chatcmpl-" + (call.requestId() != null ? call.requestId() : Long.toHexString(System.nanoTime())));
        out.put("object", "chat.completion");
        out.put("created", Instant.now().getEpochSecond());
        out.put("model", call.model().id());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant")
                .put("content", stripStops(r.get("generated_text").asText(), template(call.model().id())));
        choice.putNull("logprobs");
        JsonNode details = r.path("details");
        choice.put("finish_reason", finishReason(details.path("finish_reason").asText()));
        String promptHeader = headers == null ? null : headers.get("x-prompt-tokens");
        String generatedHeader = headers == null ? null : headers.get("x-generated-tokens");
        Integer completion = details.has("generated_tokens") ? Integer.valueOf(details.get("generated_tokens").asInt())
                : parse(generatedHeader);
        Integer prompt = parse(promptHeader);
        if (prompt != null && completion != null) {
            out.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                    .put("total_tokens", prompt + completion);
        }
        return Buffer.buffer(mapper.writeValueAsBytes(out));
    }

    private static Integer parse(String v) {
        try {
            return v == null ? null : Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code /generate_stream} events → OpenAI chunks; special tokens (end of sequence) carry no text. */
    @Override
    protected StreamDecoder streamDecoder(ChatCall call) {
        SseParser parser = new SseParser();
        String id = "chatcmpl-" + (call.requestId() != null ? call.requestId() : Long.toHexString(System.nanoTime()));
        long created = Instant.now().getEpochSecond();
        String model = call.model().id();
        ChatTemplate template = template(model);
        return new StreamDecoder() {
            private boolean started;

            @Override
            public List<SseParser.Event> feed(Buffer bytes) {
                return translate(parser.feed(bytes.getBytes()));
            }

            @Override
            public List<SseParser.Event> finish() {
                return translate(parser.finish());
            }

            private List<SseParser.Event> translate(List<SseParser.Event> events) {
                List<SseParser.Event> out = new ArrayList<>();
                for (SseParser.Event e : events) {
                    if (e.data().isBlank()) {
                        continue;
                    }
                    JsonNode n;
                    try {
                        n = mapper.readTree(e.data());
                    } catch (IOException bad) {
                        out.add(new SseParser.Event(null, e.data()));
                        continue;
                    }
                    if (n == null || !n.isObject()) {
                        out.add(new SseParser.Event(null, e.data()));
                        continue;
                    }
                    JsonNode error = n.get("error");
                    if (error != null && !error.isNull()) {
                        ObjectNode env = F.objectNode();
                        env.putObject("error").put("message", error.asText()).put("type", n.path("error_type").asText("generation"));
                        out.add(new SseParser.Event(null, env.toString()));
                        continue;
                    }
                    if (!started) {
                        started = true;
                        out.add(chunk(F.objectNode().put("role", "assistant").put("content", ""), null));
                    }
                    JsonNode token = n.path("token");
                    String text = token.path("text").asText("");
                    if (!token.path("special").asBoolean(false) && !text.isEmpty()) {
                        for (String stop : template.stops()) {
                            if (text.equals(stop)) {
                                text = "";
                            }
                        }
                        if (!text.isEmpty()) {
                            out.add(chunk(F.objectNode().put("content", text), null));
                        }
                    }
                    JsonNode details = n.get("details");
                    if (details != null && details.isObject()) {
                        out.add(chunk(F.objectNode(), finishReason(details.path("finish_reason").asText())));
                        // StreamDetails: generated_tokens, and input_length (TGI 2.x) = the prompt's tokens
                        if (details.path("input_length").isNumber() && details.path("generated_tokens").isNumber()) {
                            int prompt = details.get("input_length").asInt();
                            int completion = details.get("generated_tokens").asInt();
                            ObjectNode c = F.objectNode();
                            c.put("id", id);
                            c.put("object", "chat.completion.chunk");
                            c.put("created", created);
                            c.put("model", model);
                            c.putArray("choices");
                            c.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                                    .put("total_tokens", prompt + completion);
                            out.add(new SseParser.Event(null, c.toString()));
                        }
                    }
                }
                return out;
            }

            private SseParser.Event chunk(ObjectNode delta, String finish) {
                ObjectNode c = F.objectNode();
                c.put("id", id);
                c.put("object", "chat.completion.chunk");
                c.put("created", created);
                c.put("model", model);
                ObjectNode choice = c.putArray("choices").addObject();
                choice.put("index", 0);
                choice.set("delta", delta);
                choice.putNull("logprobs");
                if (finish == null) {
                    choice.putNull("finish_reason");
                } else {
                    choice.put("finish_reason", finish);
                }
                return new SseParser.Event(null, c.toString());
            }
        };
    }

    // ---- errors --------------------------------------------------------------------------------

    /** TGI errors {@code {"error":"…","error_type":"…"}}: 422 validation, 424 generation, 429 overloaded, 503 loading. */
    @Override
    protected OpenAiErrorMapper errorMapper(ObjectMapper mapper) {
        return new OpenAiErrorMapper(mapper) {
            @Override
            public ProviderError fromHttp(String provider, String model, String apiKey, int status, MultiMap headers,
                                          Buffer body) {
                ProviderError e = super.fromHttp(provider, model, apiKey, status, headers, body);
                String text = body == null ? "" : body.toString();
                ErrorClass cls = e.errorClass();
                if (status == 424) {
                    cls = ErrorClass.UPSTREAM_5XX;
                } else if (status == 429) {
                    cls = ErrorClass.OVERLOADED;
                } else if (status == 422 && text.contains("must be <=") && text.contains("tokens")) {
                    cls = ErrorClass.CONTEXT_TOO_LONG;
                }
                Long retryAfter = e.retryAfterMs();
                if (status == 503 && retryAfter == null) {
                    try {
                        JsonNode tree = mapper.readTree(body == null ? new byte[0] : body.getBytes());
                        if (tree != null && tree.path("estimated_time").isNumber()) {
                            retryAfter = (long) Math.ceil(tree.get("estimated_time").asDouble() * 1000);
                        }
                    } catch (IOException | RuntimeException ignored) {
                        // no estimate
                    }
                }
                return new ProviderError(cls, e.providerStatus(), retryAfter, e.message(), e.provider(), e.model());
            }
        };
    }

    static boolean isLoading(Throwable t) {
        return t instanceof ProviderException pe && pe.error().errorClass() == ErrorClass.OVERLOADED
                && pe.error().providerStatus() != null && pe.error().providerStatus() == 503
                && pe.error().message() != null && pe.error().message().contains("loading");
    }

    private ProviderError limited(String model) {
        return new ProviderError(ErrorClass.RATE_LIMITED, null, limiter.retryAfterMs(),
                settings.id() + ": free-tier request limit reached (client-side limiter)", settings.id(), model);
    }

    // ---- calls ---------------------------------------------------------------------------------

    @Override
    public Uni<ChatResult> chat(ChatCall call) {
        if (limiter != null && !limiter.tryAcquire()) {
            return Uni.createFrom().failure(new ProviderException(limited(call.model().id())));
        }
        if (!waitWhileLoading) {
            return super.chat(call);
        }
        long deadline = System.nanoTime() + settings.timeouts().total().toNanos();
        return attempt(call, deadline);
    }

    /** While the model loads: wait the estimated time (at least 200 ms) and retry, until the total deadline. */
    private Uni<ChatResult> attempt(ChatCall call, long deadline) {
        return super.chat(call).onFailure(TgiAdapter::isLoading).recoverWithUni(t -> {
            ProviderError e = ((ProviderException) t).error();
            long waitMs = Math.max(200, e.retryAfterMs() == null ? 1000 : e.retryAfterMs());
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (waitMs >= leftMs) {
                return Uni.createFrom().failure(t);
            }
            return Uni.createFrom().<Void>emitter(em -> vertx.setTimer(waitMs, id -> em.complete(null)))
                    .flatMap(v -> attempt(call, deadline));
        });
    }

    @Override
    public StreamHandle chatStream(ChatCall call, ChunkSink sink) {
        if (limiter != null && !limiter.tryAcquire()) {
            sink.error(limited(call.model().id()));
            return () -> { };
        }
        if (!waitWhileLoading) {
            return super.chatStream(call, sink);
        }
        LoadingAwareStream stream = new LoadingAwareStream(call, sink,
                System.nanoTime() + settings.timeouts().total().toNanos());
        stream.start();
        return stream;
    }

    private StreamHandle startStream(ChatCall call, ChunkSink sink) {
        return super.chatStream(call, sink);
    }

    /**
     * A stream that, while the model loads (503 before any data), waits the estimated time and starts again,
     * until {@code timeouts.total}; everything else is passed to the consumer's sink unchanged.
     */
    private final class LoadingAwareStream implements StreamHandle, ChunkSink {
        private final ChatCall call;
        private final ChunkSink sink;
        private final long deadline;
        private StreamHandle current;
        private long timer = -1;
        private boolean cancelled;

        LoadingAwareStream(ChatCall call, ChunkSink sink, long deadline) {
            this.call = call;
            this.sink = sink;
            this.deadline = deadline;
        }

        void start() {
            current = startStream(call, this);
        }

        @Override
        public void chunk(String json, boolean hasContent) {
            sink.chunk(json, hasContent);
        }

        @Override
        public boolean writeQueueFull() {
            return sink.writeQueueFull();
        }

        @Override
        public void drainHandler(Runnable resume) {
            sink.drainHandler(resume);
        }

        @Override
        public void complete(io.aigateway.contracts.openai.Usage usage, boolean usageEstimated) {
            sink.complete(usage, usageEstimated);
        }

        @Override
        public void error(ProviderError error) {
            boolean loading = error.errorClass() == ErrorClass.OVERLOADED && error.providerStatus() != null
                    && error.providerStatus() == 503 && error.message() != null && error.message().contains("loading");
            long waitMs = Math.max(200, error.retryAfterMs() == null ? 1000 : error.retryAfterMs());
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!loading || cancelled || waitMs >= leftMs) {
                sink.error(error);
                return;
            }
            timer = vertx.setTimer(waitMs, id -> {
                timer = -1;
                if (!cancelled) {
                    start();
                }
            });
        }

        @Override
        public void cancel() {
            cancelled = true;
            if (timer != -1) {
                vertx.cancelTimer(timer);
            }
            if (current != null) {
                current.cancel();
            }
        }
    }

    /** A token bucket refilled continuously at the configured rate (capacity: one minute's requests). */
    static final class RequestLimiter {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        RequestLimiter(int perMinute) {
            this.capacity = perMinute;
            this.tokens = perMinute;
            this.perNano = perMinute / (double) TimeUnit.MINUTES.toNanos(1);
        }

        synchronized boolean tryAcquire() {
            refill();
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        synchronized long retryAfterMs() {
            refill();
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1_000_000));
        }

        private void refill() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
        }
    }
}
