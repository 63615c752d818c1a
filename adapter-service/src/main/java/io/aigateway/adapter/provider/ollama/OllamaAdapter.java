package io.aigateway.adapter.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.local.LocalOpenAiAdapter;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.aigateway.contracts.internal.SseParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Kind {@code ollama}: Ollama's native API at the configured server root ({@code http://host:11434}):
 * {@code POST /api/chat} (JSON, or NDJSON when streaming) translated to and from OpenAI's format,
 * {@code GET /api/tags} for model discovery, {@code GET /api/version} as health. No key, zero cost.
 */
public class OllamaAdapter extends LocalOpenAiAdapter {

    private static final String NDJSON = "application/x-ndjson";

    private final OllamaTranslator translator;
    private final String chatUri;

    public OllamaAdapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                         Duration healthTimeout) {
        super(settings, vertx, mapper, tokens, healthTimeout);
        this.translator = new OllamaTranslator(mapper);
        this.chatUri = serverRoot() + "/api/chat";
    }

    @Override
    protected String chatPath() {
        return "/api/chat";
    }

    @Override
    protected String modelsPath() {
        return "/api/tags";
    }

    @Override
    protected String healthUri() {
        return serverRoot() + "/api/version";
    }

    @Override
    protected String chatUri(ChatCall call, boolean stream) {
        return chatUri;
    }

    @Override
    protected String streamAccept() {
        return NDJSON;
    }

    @Override
    protected JsonNode modelEntries(JsonNode root) {
        return root.path("models");
    }

    @Override
    protected String modelIdOf(JsonNode entry) {
        String name = entry.path("name").asText(null);
        return name != null ? name : entry.path("model").asText(null);
    }

    @Override
    protected Buffer jsonBody(ChatCall call) throws IOException {
        return Buffer.buffer(translator.request(call.request().body(), false));
    }

    @Override
    protected Buffer streamBody(ChatCall call) throws IOException {
        return Buffer.buffer(translator.request(call.request().body(), true));
    }

    @Override
    protected Buffer toOpenAiJson(ChatCall call, Buffer body) throws IOException {
        return Buffer.buffer(translator.response(body.getBytes(), completionId(call)));
    }

    @Override
    protected StreamDecoder streamDecoder(ChatCall call) {
        OllamaTranslator.Stream stream = translator.new Stream(completionId(call));
        return new StreamDecoder() {
            @Override
            public List<SseParser.Event> feed(Buffer bytes) {
                return stream.feed(bytes.getBytes());
            }

            @Override
            public List<SseParser.Event> finish() {
                return stream.finish();
            }
        };
    }

    private static String completionId(ChatCall call) {
        return "chatcmpl-" + (call.requestId() != null ? call.requestId() : UUID.randomUUID().toString());
    }
}
