package io.aigateway.adapter.provider.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.UnsupportedRequestException;
import io.aigateway.adapter.provider.transport.StreamFrame;
import io.aigateway.adapter.provider.transport.StreamFraming;
import io.aigateway.adapter.provider.transport.UpstreamRequest;
import io.aigateway.adapter.provider.transport.UpstreamResponse;
import io.aigateway.adapter.provider.wire.ChunkOutput;
import io.aigateway.adapter.provider.wire.OpenAiChunkBuilder;
import io.aigateway.adapter.provider.wire.ProviderErrorMapper;
import io.aigateway.adapter.provider.wire.StreamTranslator;
import io.aigateway.adapter.provider.wire.WireFormat;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Hugging Face text-generation-inference's wire format (PROVIDERS.md "Hugging Face"): messages rendered by the
 * model's {@link ChatTemplate} into {@code inputs} with {@code parameters}; {@code POST /generate} →
 * {@code generated_text}, {@code POST /generate_stream} → SSE token events (no {@code [DONE]}), both translated
 * to OpenAI's format; counts from {@code details.generated_tokens} and the {@code x-prompt-tokens} header; errors
 * {@code {"error":"…","error_type":"…"}}; health {@code GET /health}.
 */
final class TgiWireFormat implements WireFormat {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ObjectMapper mapper;
    private final ChatTemplate defaultTemplate;
    private final Map<String, ChatTemplate> templates = new HashMap<>();
    private final int defaultMaxNewTokens;
    private final String generateUri;
    private final String streamUri;
    private final String healthUri;
    private final Map<String, String> fixedHeaders;
    private final ProviderErrorMapper errors;

    TgiWireFormat(ProviderSettings settings, ObjectMapper mapper) {
        this.mapper = mapper;
        AigwConfig.ProviderConfig pc = settings.config();
        this.defaultTemplate = ChatTemplate.of(pc == null ? "mistral" : pc.tgi().chatTemplate());
        if (pc != null) {
            for (AigwConfig.ModelConfig m : pc.models()) {
                m.chatTemplate().ifPresent(t -> templates.put(m.id(), ChatTemplate.of(t)));
            }
        }
        this.defaultMaxNewTokens = pc == null ? 512 : pc.tgi().defaultMaxNewTokens();
        this.generateUri = settings.baseUrl() + "/generate";
        this.streamUri = settings.baseUrl() + "/generate_stream";
        this.healthUri = settings.baseUrl() + "/health";
        this.fixedHeaders = settings.apiKey() == null ? Map.of()
                : Map.of(HttpHeaders.AUTHORIZATION.toString(), "Bearer " + settings.apiKey());
        this.errors = new TgiErrorMapper(mapper);
    }

    ChatTemplate template(String model) {
        return templates.getOrDefault(model, defaultTemplate);
    }

    @Override
    public Map<String, String> fixedHeaders() {
        return fixedHeaders;
    }

    @Override
    public StreamFraming framing() {
        return StreamFraming.SSE;
    }

    @Override
    public ProviderErrorMapper errors() {
        return errors;
    }

    @Override
    public String healthUri() {
        return healthUri;
    }

    // ---- request -------------------------------------------------------------------------------

    @Override
    public UpstreamRequest request(ChatCall call, boolean stream) throws IOException {
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
        return new UpstreamRequest(stream ? streamUri : generateUri, Buffer.buffer(mapper.writeValueAsBytes(out)),
                call.requestId());
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

    private static String completionId(ChatCall call) {
        return "chatcmpl-" + (call.requestId() != null ? call.requestId() : Long.toHexString(System.nanoTime()));
    }

    @Override
    public Buffer completion(ChatCall call, UpstreamResponse response) throws IOException {
        JsonNode r = mapper.readTree(response.body().getBytes());
        if (r != null && r.isArray() && !r.isEmpty()) {
            r = r.get(0); // the hf-inference API answers an array
        }
        if (r == null || !r.isObject() || !r.path("generated_text").isTextual()) {
            throw new IOException("not a text-generation answer");
        }
        ObjectNode out = F.objectNode();
        out.put("id", completionId(call));
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
        MultiMap headers = response.headers();
        String promptHeader = headers == null ? null : headers.get("x-prompt-tokens");
        String generatedHeader = headers == null ? null : headers.get("x-generated-tokens");
        Integer completion = details.has("generated_tokens") ? Integer.valueOf(details.get("generated_tokens").asInt())
                : parse(generatedHeader);
        Integer prompt = parse(promptHeader);
        if (prompt != null && completion != null) {
            out.set("usage", OpenAiChunkBuilder.counts(prompt, completion));
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
    public StreamTranslator streamTranslator(ChatCall call) {
        return new TokenStream(call);
    }

    private final class TokenStream implements StreamTranslator {
        private final OpenAiChunkBuilder chunks;
        private final ChatTemplate template;
        private boolean started;

        TokenStream(ChatCall call) {
            this.chunks = new OpenAiChunkBuilder(completionId(call), Instant.now().getEpochSecond(), call.model().id());
            this.template = template(call.model().id());
        }

        @Override
        public void translate(StreamFrame frame, ObjectNode n, ChunkOutput out) {
            JsonNode error = n.get("error");
            if (error != null && !error.isNull()) {
                out.error(F.objectNode().put("message", error.asText()).put("type", n.path("error_type").asText("generation")));
                return;
            }
            if (!started) {
                started = true;
                out.chunk(chunks.role());
            }
            JsonNode token = n.path("token");
            String text = token.path("text").asText("");
            if (!token.path("special").asBoolean(false) && !text.isEmpty() && !isStop(text)) {
                out.chunk(chunks.content(text));
            }
            JsonNode details = n.get("details");
            if (details != null && details.isObject()) {
                out.chunk(chunks.finish(finishReason(details.path("finish_reason").asText())));
                // StreamDetails: generated_tokens, and input_length (TGI 2.x) = the prompt's tokens
                if (details.path("input_length").isNumber() && details.path("generated_tokens").isNumber()) {
                    out.chunk(chunks.usage(OpenAiChunkBuilder.counts(details.get("input_length").asInt(),
                            details.get("generated_tokens").asInt())));
                }
            }
        }

        private boolean isStop(String text) {
            for (String stop : template.stops()) {
                if (text.equals(stop)) {
                    return true;
                }
            }
            return false;
        }
    }

    // ---- errors --------------------------------------------------------------------------------

    /** TGI errors {@code {"error":"…","error_type":"…"}}: 422 validation, 424 generation, 429 overloaded, 503 loading. */
    static final class TgiErrorMapper extends ProviderErrorMapper {
        private final ObjectMapper mapper;

        TgiErrorMapper(ObjectMapper mapper) {
            super(mapper);
            this.mapper = mapper;
        }

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
    }
}
