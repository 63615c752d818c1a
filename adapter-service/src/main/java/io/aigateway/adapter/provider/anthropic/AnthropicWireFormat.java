package io.aigateway.adapter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.transport.StreamFraming;
import io.aigateway.adapter.provider.transport.UpstreamRequest;
import io.aigateway.adapter.provider.transport.UpstreamResponse;
import io.aigateway.adapter.provider.wire.ProviderErrorMapper;
import io.aigateway.adapter.provider.wire.StreamTranslator;
import io.aigateway.adapter.provider.wire.WireFormat;
import io.aigateway.contracts.error.ErrorClass;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Anthropic's Messages API at {@code {base}/messages} ({@code base} e.g. {@code https://api.anthropic.com/v1})
 * with {@code x-api-key} and {@code anthropic-version: 2023-06-01}; requests, answers and stream events
 * translated (see {@link AnthropicTranslator}); errors {@code {"type":"error","error":{type,message}}} incl. 529
 * {@code overloaded_error} → OVERLOADED; health {@code GET {base}/models}.
 */
final class AnthropicWireFormat implements WireFormat {

    static final String VERSION = "2023-06-01";
    static final int DEFAULT_MAX_TOKENS = 4096;

    private final AnthropicTranslator translator;
    private final ProviderErrorMapper errors;
    private final String chatUri;
    private final String healthUri;
    private final Map<String, String> fixedHeaders;

    AnthropicWireFormat(ProviderSettings settings, ObjectMapper mapper) {
        this.translator = new AnthropicTranslator(mapper, DEFAULT_MAX_TOKENS);
        this.errors = new AnthropicErrorMapper(mapper);
        this.chatUri = settings.baseUrl() + "/messages";
        this.healthUri = settings.baseUrl() + "/models";
        Map<String, String> headers = new HashMap<>();
        if (settings.apiKey() != null) {
            headers.put("x-api-key", settings.apiKey());
        }
        headers.put("anthropic-version", VERSION);
        this.fixedHeaders = Map.copyOf(headers);
    }

    @Override
    public Map<String, String> fixedHeaders() {
        return fixedHeaders;
    }

    @Override
    public UpstreamRequest request(ChatCall call, boolean stream) throws IOException {
        return new UpstreamRequest(chatUri, Buffer.buffer(translator.request(call.request().body(), stream)),
                call.requestId());
    }

    @Override
    public StreamFraming framing() {
        return StreamFraming.SSE;
    }

    @Override
    public Buffer completion(ChatCall call, UpstreamResponse response) throws IOException {
        return Buffer.buffer(translator.response(response.body().getBytes()));
    }

    @Override
    public StreamTranslator streamTranslator(ChatCall call) {
        return translator.new Stream();
    }

    @Override
    public ProviderErrorMapper errors() {
        return errors;
    }

    @Override
    public String healthUri() {
        return healthUri;
    }

    /** Anthropic's error types: overloaded, billing, not found, prompt too long, api_error mid-stream. */
    static final class AnthropicErrorMapper extends ProviderErrorMapper {
        AnthropicErrorMapper(ObjectMapper mapper) {
            super(mapper);
        }

        @Override
        protected ErrorClass refineError(ErrorClass base, int status, JsonNode error) {
            if (error != null && error.isObject()) {
                String type = text(error.get("type"));
                String message = lower(text(error.get("message")));
                if (message != null && message.contains("prompt is too long")) {
                    return ErrorClass.CONTEXT_TOO_LONG;
                }
                if ("overloaded_error".equals(type)) {
                    return ErrorClass.OVERLOADED;
                }
                if ("billing_error".equals(type)) {
                    return ErrorClass.INSUFFICIENT_CREDIT;
                }
                if ("not_found_error".equals(type) && (status == 404 || status == 0)) {
                    return ErrorClass.MODEL_NOT_FOUND;
                }
                if (status == 0 && "api_error".equals(type)) {
                    return ErrorClass.UPSTREAM_5XX;
                }
            }
            return super.refineError(base, status, error);
        }
    }
}
