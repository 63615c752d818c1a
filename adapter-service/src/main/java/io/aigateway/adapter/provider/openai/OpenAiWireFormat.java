package io.aigateway.adapter.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.transport.StreamFraming;
import io.aigateway.adapter.provider.transport.UpstreamRequest;
import io.aigateway.adapter.provider.transport.UpstreamResponse;
import io.aigateway.adapter.provider.wire.HealthReading;
import io.aigateway.adapter.provider.wire.ProviderErrorMapper;
import io.aigateway.adapter.provider.wire.StreamTranslator;
import io.aigateway.adapter.provider.wire.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.io.IOException;
import java.util.Map;

/**
 * OpenAI's wire format, spoken by OpenAI, DeepSeek, the Hugging Face router, llama.cpp and vLLM:
 * {@code POST {base}/chat/completions} with a Bearer key, SSE data-only streams ending in {@code [DONE]},
 * {@code {"error":{…}}} bodies. Nothing is translated: routing's bytes go up unchanged (a stream request gains
 * {@code stream_options.include_usage}), answers and chunks come back as sent. Kinds differ only by their error
 * mapper and health probe, given at construction.
 */
public final class OpenAiWireFormat implements WireFormat {

    /** Chunks are relayed as they are; an {@code {"error":…}} chunk (or an {@code error} event) ends the stream. */
    static final StreamTranslator RELAY = (frame, data, out) -> {
        JsonNode error = data.get("error");
        if (error != null && !error.isNull() || "error".equals(frame.event())) {
            out.error(error == null || error.isNull() ? data : error);
            return;
        }
        out.chunk(frame.data(), data);
    };

    private final ObjectMapper mapper;
    private final ProviderErrorMapper errors;
    private final String chatUri;
    private final String healthUri;
    private final HealthReading healthReading;
    private final Map<String, String> fixedHeaders;

    public OpenAiWireFormat(ProviderSettings settings, ObjectMapper mapper, ProviderErrorMapper errors,
                            String healthUri, HealthReading healthReading) {
        this.mapper = mapper;
        this.errors = errors;
        this.chatUri = settings.baseUrl() + "/chat/completions";
        this.healthUri = healthUri;
        this.healthReading = healthReading;
        this.fixedHeaders = settings.apiKey() == null ? Map.of()
                : Map.of(HttpHeaders.AUTHORIZATION.toString(), "Bearer " + settings.apiKey());
    }

    /** The format with {@code errors}, probed at {@code GET {base}/models}. */
    public static OpenAiWireFormat of(ProviderSettings settings, ObjectMapper mapper, ProviderErrorMapper errors) {
        return new OpenAiWireFormat(settings, mapper, errors, modelsUri(settings), HealthReading.STANDARD);
    }

    /** {@code {base}/models}: the model list, OpenAI's usual health probe. */
    public static String modelsUri(ProviderSettings settings) {
        return settings.baseUrl() + "/models";
    }

    @Override
    public Map<String, String> fixedHeaders() {
        return fixedHeaders;
    }

    @Override
    public UpstreamRequest request(ChatCall call, boolean stream) throws IOException {
        Buffer body = stream ? Buffer.buffer(mapper.writeValueAsBytes(call.request().withUsageRequested().body()))
                : call.rawBody();
        return new UpstreamRequest(chatUri, body, call.requestId());
    }

    @Override
    public StreamFraming framing() {
        return StreamFraming.SSE;
    }

    /**
     * The body as sent, without leading whitespace: some servers (DeepSeek under load) pad a one-shot answer
     * with blank lines while they work.
     */
    @Override
    public Buffer completion(ChatCall call, UpstreamResponse response) {
        Buffer body = response.body();
        int n = body.length();
        int i = 0;
        while (i < n) {
            byte b = body.getByte(i);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            i++;
        }
        return i == 0 ? body : body.slice(i, n);
    }

    @Override
    public StreamTranslator streamTranslator(ChatCall call) {
        return RELAY;
    }

    @Override
    public ProviderErrorMapper errors() {
        return errors;
    }

    @Override
    public String healthUri() {
        return healthUri;
    }

    @Override
    public HealthReading healthReading() {
        return healthReading;
    }
}
