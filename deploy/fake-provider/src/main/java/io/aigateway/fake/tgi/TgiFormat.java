package io.aigateway.fake.tgi;

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
import io.vertx.core.json.JsonObject;

/**
 * Hugging Face text-generation-inference: {@code POST /generate} → {@code {"generated_text","details"}} with
 * {@code x-prompt-tokens}/{@code x-generated-tokens} headers, {@code POST /generate_stream} → SSE token events
 * (last one with {@code generated_text} and {@code details} incl. {@code input_length}; no {@code [DONE]}),
 * {@code GET /health}, {@code GET /info}. Prompt tokens = words of {@code inputs} + 4; completion from the seed
 * ({@code parameters.seed}, else the request ID) capped by {@code parameters.max_new_tokens}. Errors
 * {@code {"error","error_type"}}; an injected 503 is "model is loading" with {@code estimated_time}. No auth.
 */
public final class TgiFormat implements WireFormat {

    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");

    private final Faults faults;

    public TgiFormat(Faults faults) {
        this.faults = faults;
    }

    @Override
    public void register(Routes routes) {
        routes.add(HttpMethod.POST, "/generate", (req, u) -> generate(req, u, false))
              .add(HttpMethod.POST, "/generate_stream", (req, u) -> generate(req, u, true))
              .add(HttpMethod.GET, "/health", (req, u) -> faults.apply(req, u.settingsFor(null), TgiFormat::error,
                      () -> req.response().setStatusCode(200).end()))
              .add(HttpMethod.GET, "/info", (req, u) -> Http.json(req, 200, "{\"model_id\":" + Json.encode(u.models().get(0))
                      + ",\"max_input_tokens\":4095,\"max_total_tokens\":4096,\"version\":\"2.4.0\"}"));
    }

    static String defaultBody(int status) {
        return switch (status) {
            case 503 -> "{\"error\":\"Model fake/model is currently loading\",\"estimated_time\":1.0}";
            case 429 -> "{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}";
            case 422 -> "{\"error\":\"Input validation error (injected by the fake provider)\",\"error_type\":\"validation\"}";
            case 424 -> "{\"error\":\"Request failed during generation: Server error\",\"error_type\":\"generation\"}";
            default -> "{\"error\":\"Request failed with status " + status + "\",\"error_type\":\"" + (status >= 500 ? "generation" : "validation") + "\"}";
        };
    }

    static void error(HttpServerRequest req, int status, String rawBody) {
        Http.json(req, status, rawBody != null ? rawBody : defaultBody(status));
    }

    private void generate(HttpServerRequest req, UpstreamState upstream, boolean stream) {
        req.body().onComplete(ar -> {
            if (ar.failed()) {
                Http.drop(req);
                return;
            }
            String requestId = req.getHeader("x-request-id");
            upstream.recordCall(requestId, req.headers());
            JsonObject json;
            try {
                json = ar.result().toJsonObject();
            } catch (RuntimeException e) {
                json = null;
            }
            if (json == null || !(json.getValue("inputs") instanceof String inputs)) {
                Http.json(req, 422, "{\"error\":\"Failed to deserialize the JSON body: missing field `inputs`\",\"error_type\":\"validation\"}");
                return;
            }
            JsonObject p = json.getValue("parameters") instanceof JsonObject o ? o : new JsonObject();
            Integer max = p.getValue("max_new_tokens") instanceof Number n && n.intValue() > 0 ? n.intValue() : null;
            Long bodySeed = p.getValue("seed") instanceof Number n ? n.longValue() : null;
            String model = upstream.models().get(0);
            upstream.recordModel(model);
            Settings settings = upstream.settingsFor(model);
            long seed = FakeText.seed(bodySeed, requestId);
            int prompt = FakeText.countWords(inputs) + FakeText.PER_MESSAGE_TOKENS;
            faults.apply(req, settings, TgiFormat::error, stream
                    ? () -> new Tokens(req, settings, seed, max, prompt).step(0, false)
                    : () -> complete(req, seed, max, prompt));
        });
    }

    private static void complete(HttpServerRequest req, long seed, Integer max, int prompt) {
        int natural = FakeText.naturalWords(seed);
        int words = max != null ? Math.min(natural, max) : natural;
        req.response().putHeader("x-prompt-tokens", String.valueOf(prompt)).putHeader("x-generated-tokens", String.valueOf(words))
                .putHeader("x-compute-type", "fake");
        Http.json(req, 200, "{\"generated_text\":\"" + FakeText.words(seed, words) + "\",\"details\":{\"finish_reason\":\""
                + (words < natural ? "length" : "eos_token") + "\",\"generated_tokens\":" + words + ",\"seed\":" + seed + "}}");
    }

    private final class Tokens {
        private final HttpServerRequest req;
        private final Settings settings;
        private final long seed;
        private final int chunks;
        private final String finish;
        private final int prompt;

        Tokens(HttpServerRequest req, Settings settings, long seed, Integer max, int prompt) {
            this.req = req;
            this.settings = settings;
            this.seed = seed;
            this.chunks = max != null ? Math.min(settings.chunks(), max) : settings.chunks();
            this.finish = chunks < settings.chunks() ? "length" : "eos_token";
            this.prompt = prompt;
            req.response().setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM);
        }

        private String token(int i, String text, boolean special) {
            return "{\"id\":" + (1000 + i) + ",\"text\":" + Json.encode(text) + ",\"logprob\":-0.5,\"special\":" + special + "}";
        }

        /** Emits from token {@code i}; {@code waited}: token {@code i}'s delay has already passed. */
        void step(int i, boolean waited) {
            HttpServerResponse resp = req.response();
            if (resp.closed() || resp.ended()) {
                return;
            }
            StringBuilder pending = new StringBuilder();
            while (true) {
                if (i < chunks && !waited) {
                    long delay = i == 0 ? settings.ttftMs() : settings.chunkDelayMs();
                    if (delay > 0) {
                        if (pending.length() > 0) {
                            resp.write(Buffer.buffer(pending.toString()));
                        }
                        int next = i;
                        faults.later(req, delay, () -> step(next, true));
                        return;
                    }
                }
                waited = false;
                if (i == settings.streamErrorAfter()) {
                    pending.append("data:").append(settings.errorBody() != null ? settings.errorBody()
                            : "{\"error\":\"Request failed during generation: Server error\",\"error_type\":\"generation\"}").append("\n\n");
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
                pending.append("data:{\"index\":").append(i + 1).append(",\"token\":")
                       .append(token(i, (i > 0 ? " " : "") + FakeText.word(seed, i), false))
                       .append(",\"generated_text\":null,\"details\":null}\n\n");
                i++;
            }
            pending.append("data:{\"index\":").append(chunks + 1).append(",\"token\":").append(token(chunks, "</s>", true))
                   .append(",\"generated_text\":\"").append(FakeText.words(seed, chunks)).append("\",\"details\":{\"finish_reason\":\"")
                   .append(finish).append("\",\"generated_tokens\":").append(chunks).append(",\"seed\":").append(seed)
                   .append(",\"input_length\":").append(prompt).append("}}\n\n");
            resp.end(Buffer.buffer(pending.toString()));
        }
    }
}
