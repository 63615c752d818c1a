package io.aigateway.adapter.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ProviderException;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.transport.StreamFraming;
import io.aigateway.adapter.provider.transport.UpstreamRequest;
import io.aigateway.adapter.provider.transport.UpstreamResponse;
import io.aigateway.adapter.provider.wire.ProviderErrorMapper;
import io.aigateway.adapter.provider.wire.StreamTranslator;
import io.aigateway.adapter.provider.wire.WireFormat;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Google's Generative Language API (Gemini) at {@code base} = {@code https://generativelanguage.googleapis.com/v1beta}:
 * {@code POST {base}/models/{model}:generateContent}, {@code POST {base}/models/{model}:streamGenerateContent?alt=sse}
 * (SSE, one {@code GenerateContentResponse} per frame, no {@code [DONE]}), key in {@code x-goog-api-key}; requests,
 * answers and frames translated by {@link GeminiTranslator}; errors {@code {"error":{code,message,status,details}}}
 * mapped by {@link GeminiErrorMapper}; health {@code GET {base}/models}.
 */
final class GeminiWireFormat implements WireFormat {

    static final String KEY_HEADER = "x-goog-api-key";

    private final ProviderSettings settings;
    private final GeminiTranslator translator;
    private final ProviderErrorMapper errors;
    private final String base;
    private final String healthUri;
    private final Map<String, String> fixedHeaders;

    GeminiWireFormat(ProviderSettings settings, ObjectMapper mapper) {
        this.settings = settings;
        this.translator = new GeminiTranslator(mapper);
        this.errors = new GeminiErrorMapper(mapper);
        this.base = settings.baseUrl();
        this.healthUri = base + "/models";
        this.fixedHeaders = settings.apiKey() == null ? Map.of() : Map.of(KEY_HEADER, settings.apiKey());
    }

    @Override
    public Map<String, String> fixedHeaders() {
        return fixedHeaders;
    }

    /** {@code {base}/models/{model}:generateContent}, or {@code :streamGenerateContent?alt=sse}. */
    String uri(String model, boolean stream) {
        return base + "/models/" + GeminiTranslator.modelPath(model)
                + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    @Override
    public UpstreamRequest request(ChatCall call, boolean stream) throws IOException {
        return new UpstreamRequest(uri(call.model().id(), stream), Buffer.buffer(translator.request(call.request().body())),
                call.requestId());
    }

    @Override
    public StreamFraming framing() {
        return StreamFraming.SSE;
    }

    @Override
    public Buffer completion(ChatCall call, UpstreamResponse response) throws IOException {
        try {
            return Buffer.buffer(translator.response(response.body().getBytes(), completionId(call), call.model().id()));
        } catch (GeminiTranslator.Blocked blocked) {
            throw new ProviderException(new ProviderError(ErrorClass.CONTENT_FILTERED, response.status(), null,
                    settings.id() + ": " + blocked.getMessage(), settings.id(), call.model().id()));
        }
    }

    @Override
    public StreamTranslator streamTranslator(ChatCall call) {
        return translator.new Stream(completionId(call), call.model().id());
    }

    @Override
    public ProviderErrorMapper errors() {
        return errors;
    }

    @Override
    public String healthUri() {
        return healthUri;
    }

    private static String completionId(ChatCall call) {
        return "chatcmpl-" + (call.requestId() != null ? call.requestId() : UUID.randomUUID().toString());
    }

    /**
     * Google's error bodies ({@code google.rpc.Status}: {@code {"error":{"code":<int>,"message","status","details"}}};
     * ai.google.dev "Troubleshooting" → "Backend service error codes"): the HTTP status first, refined by
     * {@code status} and {@code details}: {@code INVALID_ARGUMENT} with reason {@code API_KEY_INVALID} → AUTH, an input
     * token count over the maximum → CONTEXT_TOO_LONG, {@code FAILED_PRECONDITION} (free tier unavailable, billing
     * needed) → INSUFFICIENT_CREDIT, {@code RESOURCE_EXHAUSTED} → RATE_LIMITED, {@code UNAVAILABLE} → OVERLOADED,
     * {@code DEADLINE_EXCEEDED} → TIMEOUT, {@code NOT_FOUND} → MODEL_NOT_FOUND. Retry hint: {@code retry-after-ms} /
     * {@code retry-after} headers, else a {@code google.rpc.RetryInfo} detail's {@code retryDelay} ({@code "39s"}).
     */
    static final class GeminiErrorMapper extends ProviderErrorMapper {

        private final ObjectMapper mapper;

        GeminiErrorMapper(ObjectMapper mapper) {
            super(mapper);
            this.mapper = mapper;
        }

        @Override
        public ProviderError fromHttp(String provider, String model, String apiKey, int status, MultiMap headers,
                                      Buffer body) {
            ProviderError e = super.fromHttp(provider, model, apiKey, status, headers, body);
            if (e.retryAfterMs() != null || body == null || body.length() == 0) {
                return e;
            }
            Long delay;
            try {
                delay = retryDelay(mapper.readTree(body.getBytes()).path("error"));
            } catch (IOException | RuntimeException notJson) {
                delay = null;
            }
            return delay == null ? e
                    : new ProviderError(e.errorClass(), e.providerStatus(), delay, e.message(), e.provider(), e.model());
        }

        /** {@code details[@type=…RetryInfo].retryDelay} ({@code google.protobuf.Duration}: "39s", "1.5s") in ms. */
        static Long retryDelay(JsonNode error) {
            for (JsonNode d : error.path("details")) {
                if (d.path("@type").asText("").endsWith("google.rpc.RetryInfo")) {
                    String v = d.path("retryDelay").asText("").trim();
                    if (v.endsWith("s")) {
                        try {
                            double seconds = Double.parseDouble(v.substring(0, v.length() - 1));
                            if (seconds >= 0) {
                                return Math.min(3_600_000L, (long) Math.ceil(seconds * 1000));
                            }
                        } catch (NumberFormatException bad) {
                            return null;
                        }
                    }
                }
            }
            return null;
        }

        @Override
        protected ErrorClass refineError(ErrorClass base, int status, JsonNode error) {
            if (error != null && error.isObject()) {
                String grpc = text(error.get("status"));
                String message = lower(text(error.get("message")));
                if (hasReason(error, "API_KEY_INVALID") || hasReason(error, "API_KEY_SERVICE_BLOCKED")
                        || "UNAUTHENTICATED".equals(grpc) || (message != null && message.contains("api key not valid"))) {
                    return ErrorClass.AUTH;
                }
                if (message != null && (message.contains("input token count") && message.contains("exceeds the maximum")
                        || message.contains("exceeds the maximum number of tokens"))) {
                    return ErrorClass.CONTEXT_TOO_LONG;
                }
                if (grpc != null) {
                    switch (grpc.toUpperCase(Locale.ROOT)) {
                        case "FAILED_PRECONDITION" -> {
                            return ErrorClass.INSUFFICIENT_CREDIT;
                        }
                        case "RESOURCE_EXHAUSTED" -> {
                            return ErrorClass.RATE_LIMITED;
                        }
                        case "UNAVAILABLE" -> {
                            return ErrorClass.OVERLOADED;
                        }
                        case "DEADLINE_EXCEEDED" -> {
                            return ErrorClass.TIMEOUT;
                        }
                        case "PERMISSION_DENIED" -> {
                            return ErrorClass.AUTH;
                        }
                        case "NOT_FOUND" -> {
                            return ErrorClass.MODEL_NOT_FOUND;
                        }
                        case "INTERNAL", "UNKNOWN" -> {
                            return ErrorClass.UPSTREAM_5XX;
                        }
                        case "INVALID_ARGUMENT" -> {
                            return ErrorClass.BAD_REQUEST;
                        }
                        default -> {
                            // CANCELLED, ABORTED, …: the status decides
                        }
                    }
                }
            }
            return super.refineError(base, status, error);
        }

        private static boolean hasReason(JsonNode error, String reason) {
            for (JsonNode d : error.path("details")) {
                if (reason.equals(d.path("reason").asText(null))) {
                    return true;
                }
            }
            return false;
        }
    }
}
