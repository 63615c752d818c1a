package io.aigateway.loadgen;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Varies the prompt per request so that a response cache sees what a real workload gives it. The body must be a
 * JSON object with a {@code messages} array; the content (a string) of its last {@code user} message is the base
 * prompt. Each request gets, with probability {@code repeatFraction}, one of {@code poolSize} fixed prompts (the
 * same text in every run: {@code "<base> [pool k]"}), else a prompt used once ({@code "<base> [<run>-<n>]"}, where
 * {@code run} is random per loadgen run). A body without such a message is sent unchanged (the previous behaviour
 * for every body). The body is split once around the prompt; a request costs one small buffer, no JSON encoding.
 */
final class Prompts {

    private static final String MARKER = "\u0000aigw-loadgen-prompt\u0000";

    private final byte[] prefix;
    private final byte[] suffix;
    private final String base;
    private final double repeatFraction;
    private final Buffer[] pool;
    private final String runId;
    private final Buffer fixed;

    private Prompts(Buffer fixed, byte[] prefix, byte[] suffix, String base, double repeatFraction, int poolSize,
                    String runId) {
        this.fixed = fixed;
        this.prefix = prefix;
        this.suffix = suffix;
        this.base = base;
        this.repeatFraction = repeatFraction;
        this.runId = runId;
        this.pool = new Buffer[fixed != null ? 0 : poolSize];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = withPrompt(base + " [pool " + i + "]");
        }
    }

    /**
     * @param body           request body (null: no body)
     * @param forceStream    set {@code "stream": true} in a JSON object body
     * @param repeatFraction 0..1
     * @param poolSize       number of fixed prompts (≥ 1)
     * @param runId          distinguishes the unique prompts of this run from any earlier run's
     */
    static Prompts of(byte[] body, boolean forceStream, double repeatFraction, int poolSize, String runId) {
        if (body == null) {
            return new Prompts(null, null, null, null, 0, 0, runId);
        }
        JsonObject json;
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(Buffer.buffer(body));
            json = parsed instanceof JsonObject o ? o : null;
        } catch (RuntimeException e) {
            json = null;
        }
        if (json == null) {
            return new Prompts(Buffer.buffer(body), null, null, null, 0, 0, runId);
        }
        if (forceStream) {
            json.put("stream", true);
        }
        JsonObject userMessage = lastUserMessage(json.getValue("messages"));
        if (userMessage == null) {
            return new Prompts(json.toBuffer(), null, null, null, 0, 0, runId);
        }
        String base = userMessage.getString("content");
        userMessage.put("content", MARKER);
        String encoded = json.encode();
        int at = encoded.indexOf(jsonEscape(MARKER));
        String escapedMarker = jsonEscape(MARKER);
        byte[] prefix = encoded.substring(0, at - 1).getBytes(StandardCharsets.UTF_8); // up to the opening quote
        byte[] suffix = encoded.substring(at + escapedMarker.length() + 1).getBytes(StandardCharsets.UTF_8);
        return new Prompts(null, prefix, suffix, base, repeatFraction, poolSize, runId);
    }

    private static JsonObject lastUserMessage(Object messages) {
        if (!(messages instanceof JsonArray array)) {
            return null;
        }
        for (int i = array.size() - 1; i >= 0; i--) {
            if (array.getValue(i) instanceof JsonObject m && "user".equals(m.getValue("role"))
                    && m.getValue("content") instanceof String) {
                return m;
            }
        }
        return null;
    }

    /** True when requests get varied prompts (the body has a user message to vary). */
    boolean varies() {
        return fixed == null && prefix != null;
    }

    /** The body when it is not varied (or null without a body). */
    Buffer fixedBody() {
        return fixed;
    }

    /** True when the next request should repeat a pool prompt. */
    boolean repeat(SplittableRandom random) {
        return repeatFraction > 0 && (repeatFraction >= 1 || random.nextDouble() < repeatFraction);
    }

    Buffer pooled(SplittableRandom random) {
        return pool[random.nextInt(pool.length)];
    }

    /** The body for the {@code n}-th unique prompt of lane {@code lane}. */
    Buffer unique(int lane, long n) {
        return withPrompt(base + " [" + runId + "-" + lane + "-" + n + "]");
    }

    private Buffer withPrompt(String prompt) {
        byte[] p = ("\"" + jsonEscape(prompt) + "\"").getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(prefix.length + p.length + suffix.length).appendBytes(prefix).appendBytes(p)
                .appendBytes(suffix);
    }

    static String jsonEscape(String s) {
        String quoted = io.vertx.core.json.Json.encode(s);
        return quoted.substring(1, quoted.length() - 1);
    }
}
