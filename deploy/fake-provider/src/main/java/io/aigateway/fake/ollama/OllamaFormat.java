package io.aigateway.fake.ollama;

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

import java.time.Instant;
import java.util.List;

/**
 * Ollama's native format (ollama docs/api.md): {@code POST /api/chat} (JSON, or NDJSON when {@code stream} is
 * true — Ollama's default), {@code GET /api/tags}, {@code GET /api/version}. Same knobs and token rule as the
 * OpenAI format: completion words from the seed ({@code options.seed}, else the request ID), capped by
 * {@code options.num_predict}; a stream sends {@code chunks} content lines then the {@code done:true} line with
 * {@code done_reason}, {@code prompt_eval_count}, {@code eval_count}. No authentication (Ollama has none).
 * Errors are {@code {"error":"…"}}; {@code streamErrorAfter} sends such a line after HTTP 200.
 */
public final class OllamaFormat implements WireFormat {

    private static final CharSequence NDJSON = HttpHeaders.createOptimized("application/x-ndjson");
    private static final String X_REQUEST_ID = "x-request-id";
    public static final String VERSION = "0.5.1";

    private final Faults faults;

    public OllamaFormat(Faults faults) {
        this.faults = faults;
    }

    @Override
    public void register(Routes routes) {
        routes.add(HttpMethod.POST, "/api/chat", this::chat)
              .add(HttpMethod.GET, "/api/tags", this::tags)
              .add(HttpMethod.GET, "/api/version", this::version);
    }

    private void version(HttpServerRequest req, UpstreamState upstream) {
        faults.apply(req, upstream.settingsFor(null), OllamaFormat::error,
                () -> Http.json(req, 200, "{\"version\":\"" + VERSION + "\"}"));
    }

    private void tags(HttpServerRequest req, UpstreamState upstream) {
        faults.apply(req, upstream.settingsFor(null), OllamaFormat::error, () -> {
            List<String> models = upstream.models();
            StringBuilder sb = new StringBuilder(64 + models.size() * 256).append("{\"models\":[");
            for (int i = 0; i < models.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                String name = Json.encode(models.get(i));
                sb.append("{\"name\":").append(name).append(",\"model\":").append(name)
                  .append(",\"modified_at\":\"2025-01-01T00:00:00Z\",\"size\":2019393189,\"digest\":\"")
                  .append(Integer.toHexString(models.get(i).hashCode())).append("\",\"details\":{\"format\":\"gguf\",")
                  .append("\"family\":\"fake\",\"parameter_size\":\"3B\",\"quantization_level\":\"Q4_K_M\"}}");
            }
            Http.json(req, 200, sb.append("]}").toString());
        });
    }

    /** Sends an Ollama error: {@code rawBody} as is, else {@code {"error":"…"}} for the status. */
    static void error(HttpServerRequest req, int status, String rawBody) {
        HttpServerResponse resp = req.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        Http.json(req, status, rawBody != null ? rawBody : defaultBody(status));
    }

    static String defaultBody(int status) {
        String message = switch (status) {
            case 400 -> "invalid request (injected by the fake provider)";
            case 404 -> "model not found, try pulling it first";
            case 503 -> "server busy, please try again.  maximum pending requests exceeded";
            default -> status >= 500 ? "an error was encountered while running the model" : "request failed";
        };
        return "{\"error\":" + Json.encode(message) + "}";
    }

    private void chat(HttpServerRequest req, UpstreamState upstream) {
        req.body().onComplete(ar -> {
            if (ar.failed()) {
                Http.drop(req);
            } else {
                chat(req, upstream, ar.result());
            }
        });
    }

    private void chat(HttpServerRequest req, UpstreamState upstream, Buffer body) {
        String requestId = req.getHeader(X_REQUEST_ID);
        upstream.recordCall(requestId, req.headers());
        JsonObject json;
        try {
            json = body.toJsonObject();
        } catch (RuntimeException e) {
            json = null;
        }
        if (json == null) {
            Http.json(req, 400, "{\"error\":\"invalid character in request body\"}");
            return;
        }
        if (!(json.getValue("model") instanceof String model) || model.isBlank()) {
            Http.json(req, 400, "{\"error\":\"model is required\"}");
            return;
        }
        if (!(json.getValue("messages") instanceof JsonArray messages)) {
            Http.json(req, 400, "{\"error\":\"messages must be an array\"}");
            return;
        }
        int prompt = 0;
        for (Object m : messages) {
            if (!(m instanceof JsonObject msg) || !(msg.getValue("role") instanceof String)) {
                Http.json(req, 400, "{\"error\":\"each message needs a role\"}");
                return;
            }
            prompt += FakeText.PER_MESSAGE_TOKENS
                    + (msg.getValue("content") instanceof String s ? FakeText.countWords(s) : 0);
        }
        Object streamValue = json.getValue("stream");
        boolean stream = !(streamValue instanceof Boolean b) || b; // Ollama streams unless told not to
        JsonObject options = json.getValue("options") instanceof JsonObject o ? o : new JsonObject();
        Integer maxTokens = options.getValue("num_predict") instanceof Number n && n.intValue() > 0 ? n.intValue() : null;
        Long bodySeed = options.getValue("seed") instanceof Number n ? n.longValue() : null;
        upstream.recordModel(model);
        Settings settings = upstream.settingsFor(model);
        long seed = FakeText.seed(bodySeed, requestId);
        int promptTokens = prompt;
        if (requestId != null) {
            req.response().putHeader(X_REQUEST_ID, requestId);
        }
        faults.apply(req, settings, OllamaFormat::error, stream
                ? () -> new StreamWriter(req, model, settings, seed, maxTokens, promptTokens).start()
                : () -> complete(req, model, seed, maxTokens, promptTokens));
    }

    private static String head(String model) {
        return "{\"model\":" + Json.encode(model) + ",\"created_at\":\"" + Instant.now() + "\",\"message\":{\"role\":"
                + "\"assistant\",\"content\":\"";
    }

    private static void tail(StringBuilder sb, String finish, int prompt, int completion) {
        sb.append("\"},\"done_reason\":\"").append(finish).append("\",\"done\":true,\"total_duration\":")
          .append(1_000_000L * (completion + 1)).append(",\"load_duration\":1000000,\"prompt_eval_count\":").append(prompt)
          .append(",\"prompt_eval_duration\":1000000,\"eval_count\":").append(completion)
          .append(",\"eval_duration\":").append(1_000_000L * completion).append('}');
    }

    private static void complete(HttpServerRequest req, String model, long seed, Integer maxTokens, int prompt) {
        int natural = FakeText.naturalWords(seed);
        int words = maxTokens != null ? Math.min(natural, maxTokens) : natural;
        StringBuilder sb = new StringBuilder(400 + words * 8).append(head(model)).append(FakeText.words(seed, words));
        tail(sb, words < natural ? "length" : "stop", prompt, words);
        Http.json(req, 200, sb.toString());
    }

    /** NDJSON: {@code chunks} content lines (first after {@code ttftMs}, then every {@code chunkDelayMs}), done line. */
    private final class StreamWriter {
        private final HttpServerRequest req;
        private final String model;
        private final Settings settings;
        private final long seed;
        private final int chunks;
        private final String finish;
        private final int prompt;

        StreamWriter(HttpServerRequest req, String model, Settings settings, long seed, Integer maxTokens, int prompt) {
            this.req = req;
            this.model = model;
            this.settings = settings;
            this.seed = seed;
            this.chunks = maxTokens != null ? Math.min(settings.chunks(), maxTokens) : settings.chunks();
            this.finish = chunks < settings.chunks() ? "length" : "stop";
            this.prompt = prompt;
        }

        void start() {
            req.response().setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, NDJSON);
            step(0, new StringBuilder(256));
        }

        void step(int i, StringBuilder pending) {
            HttpServerResponse resp = req.response();
            while (true) {
                if (i < chunks) {
                    long delay = i == 0 ? settings.ttftMs() : settings.chunkDelayMs();
                    if (delay > 0) {
                        if (pending.length() > 0 && !resp.closed() && !resp.ended()) {
                            resp.write(Buffer.buffer(pending.toString()));
                        }
                        int next = i;
                        faults.later(req, delay, () -> emit(next));
                        return;
                    }
                }
                if (!line(i, pending)) {
                    return;
                }
                if (i >= chunks) {
                    return;
                }
                i++;
            }
        }

        private void emit(int i) {
            StringBuilder pending = new StringBuilder(256);
            if (!line(i, pending) || i >= chunks) {
                return;
            }
            step(i + 1, pending);
        }

        /** Appends line {@code i} (content, or the final line when {@code i == chunks}); false when the stream ended. */
        private boolean line(int i, StringBuilder pending) {
            HttpServerResponse resp = req.response();
            if (resp.closed() || resp.ended()) {
                return false;
            }
            if (i == settings.streamErrorAfter()) {
                String error = settings.errorBody() != null ? settings.errorBody() : defaultBody(settings.errorStatus());
                resp.end(Buffer.buffer(pending.append(error).append('\n').toString()));
                return false;
            }
            if (i == settings.streamDropAfter()) {
                if (pending.length() > 0) {
                    resp.write(Buffer.buffer(pending.toString()));
                }
                Http.drop(req);
                return false;
            }
            if (i >= chunks) {
                pending.append(head(model));
                tail(pending, finish, prompt, chunks);
                resp.end(Buffer.buffer(pending.append('\n').toString()));
                return false;
            }
            pending.append(head(model));
            if (i > 0) {
                pending.append(' ');
            }
            pending.append(FakeText.word(seed, i)).append("\"},\"done\":false}\n");
            return true;
        }
    }
}
