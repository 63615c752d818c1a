package io.aigateway.fake.gemini;

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

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gemini (Generative Language API v1beta): {@code POST /v1beta/models/{model}:generateContent} (JSON),
 * {@code POST /v1beta/models/{model}:streamGenerateContent?alt=sse} (SSE, one {@code GenerateContentResponse} per
 * {@code data:} frame, no {@code [DONE]}), {@code GET /v1beta/models} and {@code GET /v1beta/models/{model}}. The key
 * is {@code x-goog-api-key} (or {@code ?key=}): missing → 403 PERMISSION_DENIED, not the upstream's {@code apiKey} →
 * 400 INVALID_ARGUMENT with reason {@code API_KEY_INVALID}, unless {@code requireAuth:false}. Same knobs and token
 * rule as the OpenAI format ({@code systemInstruction} counts as one more message; cap
 * {@code generationConfig.maxOutputTokens} → {@code MAX_TOKENS}; seed {@code generationConfig.seed}). Errors are
 * {@code google.rpc.Status} bodies {@code {"error":{code,message,status}}} by status (429 RESOURCE_EXHAUSTED with a
 * {@code RetryInfo} detail of 1s, 503 UNAVAILABLE, …); an injected {@code errorStatus} of 2xx serves {@code errorBody}
 * as the answer (e.g. a {@code promptFeedback.blockReason}: as one SSE frame when streaming);
 * {@code streamErrorAfter} sends an {@code {"error":…}} frame after HTTP 200.
 */
public final class GeminiFormat implements WireFormat {

    static final String MODELS = "/v1beta/models";
    private static final String GENERATE = ":generateContent";
    private static final String STREAM = ":streamGenerateContent";
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");

    private final Faults faults;

    public GeminiFormat(Faults faults) {
        this.faults = faults;
    }

    @Override
    public void register(Routes routes) {
        routes.add(HttpMethod.GET, MODELS, this::models)
              .addPrefix(HttpMethod.GET, MODELS + "/", this::model)
              .addPrefix(HttpMethod.POST, MODELS + "/", this::generate);
    }

    // ---- errors -------------------------------------------------------------------------------

    static String grpcStatus(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
    }

    static String body(int status, String message, String details) {
        return "{\"error\":{\"code\":" + status + ",\"message\":" + Json.encode(message) + ",\"status\":\""
                + grpcStatus(status) + "\"" + (details == null ? "" : ",\"details\":" + details) + "}}";
    }

    static String defaultBody(int status) {
        return switch (status) {
            case 429 -> body(429, "Resource has been exhausted (e.g. check quota).",
                    "[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1s\"}]");
            case 503 -> body(503, "The model is overloaded. Please try again later.", null);
            case 500 -> body(500, "An internal error has occurred. Please retry or report in "
                    + "https://developers.generativeai.google/guide/troubleshooting", null);
            case 404 -> body(404, "models/unknown is not found for API version v1beta, or is not supported for generateContent.", null);
            default -> body(status, "Request failed (injected by the fake provider)", null);
        };
    }

    /** An injected failure; a 2xx status serves {@code rawBody} as the answer (a safety block, say). */
    private static void error(HttpServerRequest req, int status, String rawBody, boolean stream) {
        HttpServerResponse resp = req.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        if (status >= 200 && status < 300 && stream) {
            resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                .end("data: " + (rawBody != null ? rawBody : "{}") + "\r\n\r\n");
            return;
        }
        Http.json(req, status, rawBody != null ? rawBody : defaultBody(status));
    }

    private static boolean authorized(HttpServerRequest req, UpstreamState upstream) {
        if (!upstream.requireAuth()) {
            return true;
        }
        String key = req.getHeader("x-goog-api-key");
        if (key == null || key.isBlank()) {
            key = req.getParam("key");
        }
        if (key == null || key.isBlank()) {
            Http.json(req, 403, body(403, "Method doesn't allow unregistered callers (callers without established identity). "
                    + "Please use API Key or other form of API consumer identity to call this API.", null));
            return false;
        }
        if (upstream.apiKey() != null && !upstream.apiKey().equals(key.trim())) {
            Http.json(req, 400, body(400, "API key not valid. Please pass a valid API key.",
                    "[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\","
                            + "\"domain\":\"googleapis.com\",\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}}]"));
            return false;
        }
        return true;
    }

    // ---- models -------------------------------------------------------------------------------

    private static String modelJson(String id) {
        return "{\"name\":" + Json.encode("models/" + id) + ",\"version\":\"001\",\"displayName\":" + Json.encode(id)
                + ",\"inputTokenLimit\":1048576,\"outputTokenLimit\":8192,"
                + "\"supportedGenerationMethods\":[\"generateContent\",\"countTokens\"]}";
    }

    private void models(HttpServerRequest req, UpstreamState upstream) {
        if (!authorized(req, upstream)) {
            return;
        }
        faults.apply(req, upstream.settingsFor(null), (r, s, b) -> error(r, s, b, false), () -> {
            List<String> models = upstream.models();
            StringBuilder sb = new StringBuilder("{\"models\":[");
            for (int i = 0; i < models.size(); i++) {
                sb.append(i > 0 ? "," : "").append(modelJson(models.get(i)));
            }
            Http.json(req, 200, sb.append("]}").toString());
        });
    }

    private void model(HttpServerRequest req, UpstreamState upstream) {
        if (!authorized(req, upstream)) {
            return;
        }
        String id = req.path().substring(req.path().indexOf(MODELS + "/") + MODELS.length() + 1);
        if (upstream.models().contains(id)) {
            Http.json(req, 200, modelJson(id));
        } else {
            Http.json(req, 404, body(404, "models/" + id + " is not found for API version v1beta", null));
        }
    }

    // ---- generate -----------------------------------------------------------------------------

    private void generate(HttpServerRequest req, UpstreamState upstream) {
        req.body().onComplete(ar -> {
            if (ar.failed()) {
                Http.drop(req);
            } else {
                generate(req, upstream, ar.result());
            }
        });
    }

    private void generate(HttpServerRequest req, UpstreamState upstream, Buffer raw) {
        String requestId = req.getHeader("x-request-id");
        upstream.recordCall(requestId, req.headers());
        String rest = req.path().substring(req.path().indexOf(MODELS + "/") + MODELS.length() + 1);
        boolean stream;
        String model;
        if (rest.endsWith(GENERATE)) {
            stream = false;
            model = rest.substring(0, rest.length() - GENERATE.length());
        } else if (rest.endsWith(STREAM)) {
            stream = true;
            model = rest.substring(0, rest.length() - STREAM.length());
        } else {
            Http.json(req, 404, body(404, "Unknown method: POST " + req.path(), null));
            return;
        }
        if (!authorized(req, upstream)) {
            return;
        }
        if (model.isBlank()) {
            Http.json(req, 400, body(400, "* GenerateContentRequest.model: unexpected model name format", null));
            return;
        }
        if (stream && !"sse".equals(req.getParam("alt"))) {
            Http.json(req, 400, body(400, "This fake serves streamGenerateContent only with alt=sse", null));
            return;
        }
        JsonObject json;
        try {
            json = raw.toJsonObject();
        } catch (RuntimeException e) {
            json = null;
        }
        if (json == null) {
            Http.json(req, 400, body(400, "Invalid JSON payload received.", null));
            return;
        }
        if (!(json.getValue("contents") instanceof JsonArray contents) || contents.isEmpty()) {
            Http.json(req, 400, body(400, "* GenerateContentRequest.contents: contents is not specified", null));
            return;
        }
        for (String field : json.fieldNames()) {
            if (!List.of("contents", "systemInstruction", "generationConfig", "tools", "toolConfig", "safetySettings",
                    "cachedContent").contains(field)) {
                Http.json(req, 400, body(400, "Invalid JSON payload received. Unknown name " + Json.encode(field)
                        + ": Cannot find field.", null));
                return;
            }
        }
        int prompt = json.getValue("systemInstruction") instanceof JsonObject si ? FakeText.PER_MESSAGE_TOKENS + words(si) : 0;
        for (Object c : contents) {
            Object role = c instanceof JsonObject o ? o.getValue("role") : null;
            if (!(c instanceof JsonObject content) || (role != null && !"user".equals(role) && !"model".equals(role))) {
                Http.json(req, 400, body(400, "Please use a valid role: user, model.", null));
                return;
            }
            prompt += FakeText.PER_MESSAGE_TOKENS + words(content);
        }
        JsonObject config = json.getValue("generationConfig") instanceof JsonObject g ? g : new JsonObject();
        Integer maxTokens = config.getValue("maxOutputTokens") instanceof Number n ? n.intValue() : null;
        if (maxTokens != null && maxTokens < 1) {
            Http.json(req, 400, body(400, "* GenerateContentRequest.generation_config.max_output_tokens: must be positive", null));
            return;
        }
        Long bodySeed = config.getValue("seed") instanceof Number n ? n.longValue() : null;
        upstream.recordModel(model);
        Settings settings = upstream.settingsFor(model);
        long seed = FakeText.seed(bodySeed, requestId);
        int promptTokens = prompt;
        faults.apply(req, settings, (r, s, b) -> error(r, s, b, stream), stream
                ? () -> new Frames(req, model, settings, seed, maxTokens, promptTokens).start()
                : () -> complete(req, model, seed, maxTokens, promptTokens));
    }

    /** Words of every text part of a {@code Content}. */
    private static int words(JsonObject content) {
        int n = 0;
        if (content.getValue("parts") instanceof JsonArray parts) {
            for (Object p : parts) {
                if (p instanceof JsonObject o && o.getValue("text") instanceof String t) {
                    n += FakeText.countWords(t);
                }
            }
        }
        return n;
    }

    private static String responseId() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    static String usage(int prompt, Integer completion) {
        return "\"usageMetadata\":{\"promptTokenCount\":" + prompt
                + (completion == null ? ",\"totalTokenCount\":" + prompt
                : ",\"candidatesTokenCount\":" + completion + ",\"totalTokenCount\":" + (prompt + completion)) + "}";
    }

    private static String response(String text, String finishReason, String usage, String model, String id) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + Json.encode(text) + "}],\"role\":\"model\"}"
                + (finishReason == null ? "" : ",\"finishReason\":\"" + finishReason + "\"") + ",\"index\":0}],"
                + usage + ",\"modelVersion\":" + Json.encode(model) + ",\"responseId\":\"" + id + "\"}";
    }

    private static void complete(HttpServerRequest req, String model, long seed, Integer maxTokens, int prompt) {
        int natural = FakeText.naturalWords(seed);
        int words = maxTokens != null ? Math.min(natural, maxTokens) : natural;
        Http.json(req, 200, response(FakeText.words(seed, words), words < natural ? "MAX_TOKENS" : "STOP",
                usage(prompt, words), model, responseId()));
    }

    /**
     * SSE: {@code chunks} frames of one word each (the first after {@code ttftMs}, then every {@code chunkDelayMs}),
     * each with the prompt's usage so far, then a last frame with an empty text part, {@code finishReason} and the full
     * {@code usageMetadata}.
     */
    private final class Frames {
        private final HttpServerRequest req;
        private final String model;
        private final Settings settings;
        private final long seed;
        private final int chunks;
        private final String finish;
        private final int prompt;
        private final String id = responseId();

        Frames(HttpServerRequest req, String model, Settings settings, long seed, Integer maxTokens, int prompt) {
            this.req = req;
            this.model = model;
            this.settings = settings;
            this.seed = seed;
            this.chunks = maxTokens != null ? Math.min(settings.chunks(), maxTokens) : settings.chunks();
            this.finish = chunks < settings.chunks() ? "MAX_TOKENS" : "STOP";
            this.prompt = prompt;
        }

        void start() {
            req.response().setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
               .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
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
                if (!frame(i, pending) || i >= chunks) {
                    return;
                }
                i++;
            }
        }

        private void emit(int i) {
            StringBuilder pending = new StringBuilder(256);
            if (!frame(i, pending) || i >= chunks) {
                return;
            }
            step(i + 1, pending);
        }

        /** Appends frame {@code i} (a word, or the last frame when {@code i == chunks}); false when the stream ended. */
        private boolean frame(int i, StringBuilder pending) {
            HttpServerResponse resp = req.response();
            if (resp.closed() || resp.ended()) {
                return false;
            }
            if (i == settings.streamErrorAfter()) {
                String error = settings.errorBody() != null ? settings.errorBody() : defaultBody(settings.errorStatus());
                resp.end(Buffer.buffer(pending.append("data: ").append(error).append("\r\n\r\n").toString()));
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
                pending.append("data: ").append(response("", finish, usage(prompt, chunks), model, id)).append("\r\n\r\n");
                resp.end(Buffer.buffer(pending.toString()));
                return false;
            }
            String word = (i > 0 ? " " : "") + FakeText.word(seed, i);
            pending.append("data: ").append(response(word, null, usage(prompt, null), model, id)).append("\r\n\r\n");
            return true;
        }
    }
}
