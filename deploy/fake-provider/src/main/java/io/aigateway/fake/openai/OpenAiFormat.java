package io.aigateway.fake.openai;

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
 * OpenAI wire format: {@code POST /v1/chat/completions} (JSON and SSE) and {@code GET /v1/models}.
 * Answers are built as strings directly (no object mapping) to keep the fake's own latency negligible.
 */
public final class OpenAiFormat implements WireFormat {

    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
    private static final String X_REQUEST_ID = "x-request-id";
    private static final long MODELS_CREATED = 1_700_000_000L;

    private final Faults faults;

    public OpenAiFormat(Faults faults) {
        this.faults = faults;
    }

    @Override
    public void register(Routes routes) {
        routes.add(HttpMethod.POST, "/v1/chat/completions", this::chat)
              .add(HttpMethod.GET, "/v1/models", this::models);
    }

    // ------------------------------------------------------------------------------------------ models

    private void models(HttpServerRequest req, UpstreamState upstream) {
        // Anthropic clients list models with x-api-key instead of a bearer token
        String apiKey = req.getHeader("x-api-key");
        boolean anthropicKey = apiKey != null && !apiKey.isBlank()
                && (upstream.apiKey() == null || upstream.apiKey().equals(apiKey.trim()));
        if (!anthropicKey && !authorized(req, upstream)) {
            return;
        }
        faults.apply(req, upstream.settingsFor(null), OpenAiErrors::send, () -> {
            List<String> models = upstream.models();
            StringBuilder sb = new StringBuilder(64 + models.size() * 96).append("{\"object\":\"list\",\"data\":[");
            for (int i = 0; i < models.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append("{\"id\":").append(Json.encode(models.get(i))).append(",\"object\":\"model\",\"created\":")
                  .append(MODELS_CREATED).append(",\"owned_by\":").append(Json.encode("fake-" + upstream.name()))
                  .append('}');
            }
            sb.append("]}");
            Http.json(req, 200, sb.toString());
        });
    }

    // ------------------------------------------------------------------------------------------ chat

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
        if (!authorized(req, upstream)) {
            return;
        }
        ChatRequest chat = ChatRequest.parse(req, body);
        if (chat == null) {
            return; // 400 already sent
        }
        upstream.recordModel(chat.model());
        Settings settings = upstream.settingsFor(chat.model());
        long seed = FakeText.seed(chat.seed(), requestId);
        req.response().putHeader(X_REQUEST_ID, requestId != null ? requestId : "req_" + hex());
        faults.apply(req, settings, OpenAiErrors::send, chat.stream()
                ? () -> stream(req, chat, settings, seed)
                : () -> complete(req, chat, seed));
    }

    private static void complete(HttpServerRequest req, ChatRequest chat, long seed) {
        int natural = FakeText.naturalWords(seed);
        int words = chat.maxTokens() != null ? Math.min(natural, chat.maxTokens()) : natural;
        String finish = words < natural ? "length" : "stop";
        StringBuilder sb = new StringBuilder(400 + words * 8);
        sb.append("{\"id\":\"chatcmpl-").append(hex()).append("\",\"object\":\"chat.completion\",\"created\":")
          .append(System.currentTimeMillis() / 1000).append(",\"model\":").append(Json.encode(chat.model()))
          .append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"")
          .append(FakeText.words(seed, words))
          .append("\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"").append(finish).append("\"}],");
        usage(sb, chat.promptTokens(), words);
        sb.append(",\"system_fingerprint\":\"fp_fake\"}");
        Http.json(req, 200, sb.toString());
    }

    /**
     * SSE: role chunk, {@code chunks} content chunks (first after {@code ttftMs}, then every {@code chunkDelayMs}),
     * finish chunk, optional usage chunk, {@code [DONE]}. Frames due at the same instant go out in one write.
     */
    private void stream(HttpServerRequest req, ChatRequest chat, Settings settings, long seed) {
        int chunks = chat.maxTokens() != null ? Math.min(settings.chunks(), chat.maxTokens()) : settings.chunks();
        String finish = chunks < settings.chunks() ? "length" : "stop";
        String prefix = "data: {\"id\":\"chatcmpl-" + hex() + "\",\"object\":\"chat.completion.chunk\",\"created\":"
                + System.currentTimeMillis() / 1000 + ",\"model\":" + Json.encode(chat.model())
                + ",\"system_fingerprint\":\"fp_fake\",\"choices\":[";
        String suffix = chat.includeUsage() ? "],\"usage\":null}\n\n" : "]}\n\n";

        HttpServerResponse resp = req.response();
        resp.setStatusCode(200).setChunked(true)
            .putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
            .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
        StringBuilder pending = new StringBuilder(256);
        pending.append(prefix).append("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},")
               .append("\"logprobs\":null,\"finish_reason\":null}").append(suffix);
        new StreamWriter(req, chat, settings, seed, chunks, finish, prefix, suffix).step(0, pending);
    }

    /** Emits the stream frame by frame; state lives here so timers can resume it. */
    private final class StreamWriter {
        private final HttpServerRequest req;
        private final ChatRequest chat;
        private final Settings settings;
        private final long seed;
        private final int chunks;
        private final String finish;
        private final String prefix;
        private final String suffix;

        StreamWriter(HttpServerRequest req, ChatRequest chat, Settings settings, long seed, int chunks,
                     String finish, String prefix, String suffix) {
            this.req = req;
            this.chat = chat;
            this.settings = settings;
            this.seed = seed;
            this.chunks = chunks;
            this.finish = finish;
            this.prefix = prefix;
            this.suffix = suffix;
        }

        /** Appends content chunk {@code i} (and, after the last one, the tail) to {@code pending}. */
        void step(int i, StringBuilder pending) {
            while (true) {
                if (i < chunks) {
                    long delay = i == 0 ? settings.ttftMs() : settings.chunkDelayMs();
                    if (delay > 0 && pending.length() > 0) {
                        flush(pending);
                        int next = i;
                        faults.later(req, delay, () -> step(next, new StringBuilder(256)));
                        return;
                    }
                }
                if (i == settings.streamErrorAfter()) {
                    // a failure after HTTP 200: an error event, then the end of the stream (no [DONE])
                    String error = settings.errorBody() != null ? settings.errorBody()
                            : OpenAiErrors.defaultBody(settings.errorStatus());
                    pending.append("data: ").append(error).append("\n\n");
                    HttpServerResponse resp = req.response();
                    if (!resp.closed() && !resp.ended()) {
                        resp.end(Buffer.buffer(pending.toString()));
                    }
                    return;
                }
                if (i == settings.streamDropAfter()) {
                    flush(pending);
                    Http.drop(req);
                    return;
                }
                if (i >= chunks) {
                    break;
                }
                pending.append(prefix).append("{\"index\":0,\"delta\":{\"content\":\"");
                if (i > 0) {
                    pending.append(' ');
                }
                pending.append(FakeText.word(seed, i)).append("\"},\"logprobs\":null,\"finish_reason\":null}")
                       .append(suffix);
                i++;
            }
            pending.append(prefix).append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"")
                   .append(finish).append("\"}").append(suffix);
            if (chat.includeUsage()) {
                pending.append(prefix).append("],");
                usage(pending, chat.promptTokens(), chunks);
                pending.append("}\n\n");
            }
            pending.append("data: [DONE]\n\n");
            HttpServerResponse resp = req.response();
            if (!resp.closed() && !resp.ended()) {
                resp.end(Buffer.buffer(pending.toString()));
            }
        }

        private void flush(StringBuilder pending) {
            HttpServerResponse resp = req.response();
            if (!resp.closed() && !resp.ended()) {
                resp.write(Buffer.buffer(pending.toString()));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void usage(StringBuilder sb, int prompt, int completion) {
        sb.append("\"usage\":{\"prompt_tokens\":").append(prompt).append(",\"completion_tokens\":").append(completion)
          .append(",\"total_tokens\":").append(prompt + completion).append('}');
    }

    private static boolean authorized(HttpServerRequest req, UpstreamState upstream) {
        if (!upstream.requireAuth()) {
            return true;
        }
        String header = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || header.substring(7).isBlank()) {
            Http.json(req, 401, Http.errorEnvelope("You didn't provide an API key. You need to provide your API key "
                    + "in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error", null, "missing_api_key"));
            return false;
        }
        String expected = upstream.apiKey();
        if (expected != null && !expected.equals(header.substring(7).trim())) {
            Http.json(req, 401, Http.errorEnvelope("Incorrect API key provided.", "invalid_request_error", null,
                    "invalid_api_key"));
            return false;
        }
        return true;
    }

    private static String hex() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** The parts of a chat request the fake needs, validated like OpenAI does. */
    record ChatRequest(String model, boolean stream, boolean includeUsage, Integer maxTokens, Long seed,
                       int promptTokens) {

        /** Parses and validates; on failure sends the 400 and returns null. */
        static ChatRequest parse(HttpServerRequest req, Buffer body) {
            JsonObject json;
            try {
                json = body.toJsonObject();
            } catch (RuntimeException e) {
                OpenAiErrors.invalid(req, "We could not parse the JSON body of your request. (HINT: This likely means "
                        + "you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
                        null, null);
                return null;
            }
            if (json == null) {
                OpenAiErrors.invalid(req, "The request body must be a JSON object.", null, null);
                return null;
            }
            Object model = json.getValue("model");
            if (!(model instanceof String m) || m.isBlank()) {
                OpenAiErrors.invalid(req, model == null ? "you must provide a model parameter"
                        : "Invalid type for 'model': expected a non-empty string.", "model",
                        model == null ? "missing_required_parameter" : "invalid_type");
                return null;
            }
            Object messages = json.getValue("messages");
            if (messages == null) {
                OpenAiErrors.invalid(req, "Missing required parameter: 'messages'.", "messages",
                        "missing_required_parameter");
                return null;
            }
            if (!(messages instanceof JsonArray array)) {
                OpenAiErrors.invalid(req, "Invalid type for 'messages': expected an array of objects.", "messages",
                        "invalid_type");
                return null;
            }
            if (array.isEmpty()) {
                OpenAiErrors.invalid(req, "Invalid 'messages': empty array. Expected an array with minimum length 1.",
                        "messages", "empty_array");
                return null;
            }
            int promptTokens = 0;
            for (int i = 0; i < array.size(); i++) {
                Object message = array.getValue(i);
                if (!(message instanceof JsonObject msg) || !(msg.getValue("role") instanceof String)) {
                    OpenAiErrors.invalid(req, "Invalid 'messages[" + i + "]': expected an object with a string 'role'.",
                            "messages[" + i + "].role", "invalid_type");
                    return null;
                }
                promptTokens += FakeText.PER_MESSAGE_TOKENS + contentWords(msg.getValue("content"));
            }
            Object stream = json.getValue("stream");
            if (stream != null && !(stream instanceof Boolean)) {
                OpenAiErrors.invalid(req, "Invalid type for 'stream': expected a boolean.", "stream", "invalid_type");
                return null;
            }
            boolean streaming = Boolean.TRUE.equals(stream);
            Object options = json.getValue("stream_options");
            if (options != null && !streaming) {
                OpenAiErrors.invalid(req, "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                        "stream_options", "invalid_value");
                return null;
            }
            boolean includeUsage = options instanceof JsonObject o && Boolean.TRUE.equals(o.getValue("include_usage"));
            Integer maxTokens = null;
            for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
                Object v = json.getValue(field);
                if (v == null) {
                    continue;
                }
                if (!(v instanceof Number n) || n.longValue() < 1 || n.doubleValue() != n.longValue()) {
                    OpenAiErrors.invalid(req, "Invalid '" + field + "': expected an integer >= 1.", field,
                            "invalid_value");
                    return null;
                }
                int cap = (int) Math.min(Integer.MAX_VALUE, n.longValue());
                maxTokens = maxTokens == null ? cap : Math.min(maxTokens, cap);
            }
            Object seed = json.getValue("seed");
            if (seed != null && !(seed instanceof Number)) {
                OpenAiErrors.invalid(req, "Invalid type for 'seed': expected an integer.", "seed", "invalid_type");
                return null;
            }
            return new ChatRequest((String) model, streaming, includeUsage, maxTokens,
                    seed == null ? null : ((Number) seed).longValue(), promptTokens);
        }

        /** Words of a message's text: a string, or the {@code text} of each part of a content array. */
        private static int contentWords(Object content) {
            if (content instanceof String s) {
                return FakeText.countWords(s);
            }
            int words = 0;
            if (content instanceof JsonArray parts) {
                for (Object part : parts) {
                    if (part instanceof JsonObject p && p.getValue("text") instanceof String text) {
                        words += FakeText.countWords(text);
                    }
                }
            }
            return words;
        }
    }
}
