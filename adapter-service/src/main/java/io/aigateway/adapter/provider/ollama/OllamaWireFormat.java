package io.aigateway.adapter.provider.ollama;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.local.ServerModels;
import io.aigateway.adapter.provider.transport.StreamFraming;
import io.aigateway.adapter.provider.transport.UpstreamRequest;
import io.aigateway.adapter.provider.transport.UpstreamResponse;
import io.aigateway.adapter.provider.wire.ProviderErrorMapper;
import io.aigateway.adapter.provider.wire.StreamTranslator;
import io.aigateway.adapter.provider.wire.WireFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * Ollama's native API at the configured server root ({@code http://host:11434}): {@code POST /api/chat} (JSON,
 * or NDJSON when streaming) translated to and from OpenAI's format (see {@link OllamaTranslator}),
 * {@code GET /api/version} as health.
 */
final class OllamaWireFormat implements WireFormat {

    private final OllamaTranslator translator;
    private final ProviderErrorMapper errors;
    private final String chatUri;
    private final String healthUri;
    private final Map<String, String> fixedHeaders;

    OllamaWireFormat(ProviderSettings settings, ObjectMapper mapper) {
        this.translator = new OllamaTranslator(mapper);
        this.errors = new ProviderErrorMapper(mapper);
        String root = ServerModels.serverRoot(settings);
        this.chatUri = root + "/api/chat";
        this.healthUri = root + "/api/version";
        this.fixedHeaders = settings.apiKey() == null ? Map.of()
                : Map.of(HttpHeaders.AUTHORIZATION.toString(), "Bearer " + settings.apiKey());
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
        return StreamFraming.NDJSON;
    }

    @Override
    public Buffer completion(ChatCall call, UpstreamResponse response) throws IOException {
        return Buffer.buffer(translator.response(response.body().getBytes(), completionId(call)));
    }

    @Override
    public StreamTranslator streamTranslator(ChatCall call) {
        return translator.new Stream(completionId(call));
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
}
