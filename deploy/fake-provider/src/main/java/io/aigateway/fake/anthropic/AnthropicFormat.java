package io.aigateway.fake.anthropic;

import io.aigateway.fake.control.Settings;
import io.aigateway.fake.control.UpstreamState;
import io.aigateway.fake.server.Faults;
import io.aigateway.fake.server.Http;
import io.aigateway.fake.server.Routes;
import io.aigateway.fake.server.WireFormat;
import io.aigateway.fake.text.FakeText;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Anthropic Messages format: {@code POST /v1/messages} (JSON, or SSE events when {@code stream:true}). Requires
 * {@code x-api-key} (equal to the upstream's {@code apiKey} when set) unless {@code requireAuth:false}, and
 * {@code anthropic-version}; {@code max_tokens} is required. Same knobs and token rule as the OpenAI format
 * (system prompt counted as one more message); errors {@code {"type":"error","error":{type,message}}};
 * {@code streamErrorAfter} sends an {@code error} event after HTTP 200. {@code GET /v1/models} is the OpenAI
 * format's (it also accepts {@code x-api-key}).
 */
public final class AnthropicFormat implements WireFormat {

    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");

    private final Faults faults;

    public AnthropicFormat(Faults faults) {
        this.faults = faults;
    }

    @Override
    public void register(Routes routes) {
        routes.add(HttpMethod.POST, "/v1/messages", this::messages);
    }

    static String errorType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    static String body(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + Json.encode(message) + "}}";
    }

    static String defaultBody(int status) {
        String message = switch (status) {
            case 429 -> "Number of request tokens has exceeded your per-minute rate limit";
            case 529 -> "Overloaded";
            case 402 -> "Your credit balance is too low to access the Anthropic API.";
            default -> status >= 500 ? "Internal server error" : "Request failed (injected by the fake provider)";
        };
        return body(errorType(status), message);
    }

    static void error(HttpServerRequest req, int status, String rawBody) {
        HttpServerResponse resp = req.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        if (status == 429 || status == 529) {
            resp.putHeader("retry-after", "1");
        }
        Http.json(req, status, rawBody != null ? rawBody : defaultBody(status));
    }

    private void messages(HttpServerRequest req, UpstreamState upstream) {
        req.body().onComplete(ar -> {
            if (ar.failed()) {
                Http.drop(req);
            } else {
                messages(req, upstream, ar.result());
            }
        });
    }

    private void messages(HttpServerRequest req, UpstreamState upstream, Buffer raw) {
        String requestId = req.getHeader("x-request-id");
        upstream.recordCall(requestId, req.headers());
        if (upstream.requireAuth()) {
            String key = req.getHeader("x-api-key");
            if (key == null || key.isBlank() || (upstream.apiKey() != null && !upstream.apiKey().equals(key.trim()))) {
                Http.json(req, 401, body("authentication_error", "invalid x-api-key"));
                return;
            }
        }
        if (req.getHeader("anthropic-version") == null) {
            Http.json(req, 400, body("invalid_request_error", "anthropic-version: header is required"));
            return;
        }
        JsonObject json;
        try {
            json = raw.toJsonObject();
        } catch (RuntimeException e) {
            json = null;
        }
        if (json == null || !(json.getValue("model") instanceof String model) || model.isBlank()) {
            Http.json(req, 400, body("invalid_request_error", "model: Field required"));
            return;
        }
        if (!(json.getValue("max_tokens") instanceof Number max) || max.intValue() < 1) {
            Http.json(req, 400, body("invalid_request_error", "max_tokens: Field required"));
            return;
        }
        if (!(json.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
            Http.json(req, 400, body("invalid_request_error", "messages: at least one message is required"));
            return;
        }
        int prompt = json.getValue("system") instanceof String s ? FakeText.PER_MESSAGE_TOKENS + FakeText.countWords(s) : 0;
        for (Object m : messages) {
            if (!(m instanceof JsonObject msg) || !("user".equals(msg.getValue("role")) || "assistant".equals(msg.getValue("role")))) {
                Http.json(req, 400, body("invalid_request_error", "messages: roles must be user or assistant"));
                return;
            }
            prompt += FakeText.PER_MESSAGE_TOKENS + words(msg.getValue("content"));
        }
        upstream.recordModel(model);
        Settings settings = upstream.settingsFor(model);
        long seed = FakeText.seed(null, requestId);
        int promptTokens = prompt;
        int maxTokens = max.intValue();
        boolean stream = Boolean.TRUE.equals(json.getValue("stream"));
        faults.apply(req, settings, AnthropicFormat::error, stream
                ? () -> new Events(req, model, settings, seed, maxTokens, promptTokens).step(0, new StringBuilder())
                : () -> complete(req, model, seed, maxTokens, promptTokens));
    }

    private static int words(Object content) {
        if (content instanceof String s) {
            return FakeText.countWords(s);
        }
        int n = 0;
        if (content instanceof JsonArray parts) {
            for (Object p : parts) {
                if (p instanceof JsonObject o && o.getValue("text") instanceof String t) {
                    n += FakeText.countWords(t);
                }
            }
        }
        return n;
    }

    private static String id() {
        return "msg_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static void complete(HttpServerRequest req, String model, long seed, int maxTokens, int prompt) {
        int natural = FakeText.naturalWords(seed);
        int words = Math.min(natural, maxTokens);
        String body = "{\"id\":\"" + id() + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + Json.encode(model)
                + ",\"content\":[{\"type\":\"text\",\"text\":\"" + FakeText.words(seed, words) + "\"}],\"stop_reason\":\""
                + (words < natural ? "max_tokens" : "end_turn") + "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
                + prompt + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":" + words + "}}";
        Http.json(req, 200, body);
    }

    /** message_start, content_block_start, ping, {@code chunks} text deltas, content_block_stop, message_delta, message_stop. */
    private final class Events {
        private final HttpServerRequest req;
        private final Settings settings;
        private final long seed;
        private final int chunks;
        private final String stop;
        private final int prompt;
        private final String start;
        private boolean started;

        Events(HttpServerRequest req, String model, Settings settings, long seed, int maxTokens, int prompt) {
            this.req = req;
            this.settings = settings;
            this.seed = seed;
            this.chunks = Math.min(settings.chunks(), maxTokens);
            this.stop = chunks < settings.chunks() ? "max_tokens" : "end_turn";
            this.prompt = prompt;
            this.start = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"" + id() + "\",\"type\":\"message\","
                    + "\"role\":\"assistant\",\"content\":[],\"model\":" + Json.encode(model) + ",\"stop_reason\":null,"
                    + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + prompt + ",\"output_tokens\":1}}}")
                    + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                    + event("ping", "{\"type\": \"ping\"}");
            req.response().setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        }

        private static String event(String name, String data) {
            return "event: " + name + "\ndata: " + data + "\n\n";
        }

        void step(int i, StringBuilder pending) {
            HttpServerResponse resp = req.response();
            if (resp.closed() || resp.ended()) {
                return;
            }
            if (!started) {
                started = true;
                pending.append(start);
            }
            while (true) {
                if (i < chunks) {
                    long delay = i == 0 ? settings.ttftMs() : settings.chunkDelayMs();
                    if (delay > 0 && pending.length() > 0) {
                        resp.write(Buffer.buffer(pending.toString()));
                        int next = i;
                        faults.later(req, delay, () -> step(next, new StringBuilder()));
                        return;
                    }
                }
                if (i == settings.streamErrorAfter()) {
                    pending.append(event("error", settings.errorBody() != null ? settings.errorBody() : defaultBody(settings.errorStatus())));
                    resp.end(Buffer.buffer(pending.toString()));
                    return;
                }
                if (i == settings.streamDropAfter()) {
                    resp.write(Buffer.buffer(pending.toString()));
                    Http.drop(req);
                    return;
                }
                if (i >= chunks) {
                    break;
                }
                pending.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                        + "\"text_delta\",\"text\":\"" + (i > 0 ? " " : "") + FakeText.word(seed, i) + "\"}}"));
                i++;
            }
            pending.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"))
                   .append(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stop
                           + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + chunks + "}}"))
                   .append(event("message_stop", "{\"type\":\"message_stop\"}"));
            resp.end(Buffer.buffer(pending.toString()));
        }
    }
}
