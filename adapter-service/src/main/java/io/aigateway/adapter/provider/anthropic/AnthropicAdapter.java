package io.aigateway.adapter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.openai.OpenAiCompatibleAdapter;
import io.aigateway.adapter.provider.openai.OpenAiErrorMapper;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.internal.SseParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Kind {@code anthropic}: the Messages API at {@code {base}/messages} ({@code base} e.g.
 * {@code https://api.anthropic.com/v1}) with {@code x-api-key} and {@code anthropic-version: 2023-06-01};
 * requests, answers and stream events translated (see {@link AnthropicTranslator}); errors
 * {@code {"type":"error","error":{type,message}}} incl. 529 {@code overloaded_error} → OVERLOADED;
 * health {@code GET {base}/models}.
 */
public class AnthropicAdapter extends OpenAiCompatibleAdapter {

    public static final String VERSION = "2023-06-01";
    static final int DEFAULT_MAX_TOKENS = 4096;

    private final AnthropicTranslator translator;

    public AnthropicAdapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                            Duration healthTimeout) {
        super(settings, vertx, mapper, tokens, healthTimeout);
        this.translator = new AnthropicTranslator(mapper, DEFAULT_MAX_TOKENS);
    }

    @Override
    protected String chatPath() {
        return "/messages";
    }

    @Override
    protected void authorize(RequestOptions options) {
        if (settings.apiKey() != null) {
            options.putHeader("x-api-key", settings.apiKey());
        }
        options.putHeader("anthropic-version", VERSION);
    }

    @Override
    protected OpenAiErrorMapper errorMapper(ObjectMapper mapper) {
        return new OpenAiErrorMapper(mapper) {
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
        };
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
        return Buffer.buffer(translator.response(body.getBytes()));
    }

    @Override
    protected StreamDecoder streamDecoder(ChatCall call) {
        AnthropicTranslator.Stream stream = translator.new Stream();
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
}
