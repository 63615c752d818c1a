package io.aigateway.edge.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.internal.AigwHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

import java.math.BigDecimal;

/**
 * The native answer object: {@code requestId, content, provider, model, usage{promptTokens, completionTokens,
 * totalTokens}, costUsd, latencyMs, cached, attempts[{provider, model, outcome, errorClass, latencyMs}]}. Who
 * answered and whether it was cached come from routing's {@code x-aigw-*} headers; the cost from its edge-only
 * {@code x-aigw-cost-usd} (a header on JSON, a trailer at the end of a stream; 0 for a cached answer, null when
 * routing did not know it); the attempts from its edge-only {@code x-aigw-attempt-log}.
 */
final class GenerateAnswer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String requestId;
    private final long startNanos;
    private String content;
    private String provider;
    private String model;
    private boolean cached;
    private JsonNode attempts;
    private int promptTokens;
    private int completionTokens;
    private BigDecimal costUsd;

    GenerateAnswer(String requestId, long startNanos) {
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    /** Reads what the answer's head says (provider, model, cache, cost, attempts). */
    GenerateAnswer head(HttpClientResponse in, ObjectMapper mapper) {
        provider = in.getHeader(AigwHeaders.PROVIDER);
        model = in.getHeader(AigwHeaders.MODEL);
        String cache = in.getHeader(AigwHeaders.CACHE);
        cached = "HIT".equalsIgnoreCase(cache) || "COALESCED".equalsIgnoreCase(cache);
        cost(in.getHeader(AigwHeaders.COST_USD));
        String log = in.getHeader(AigwHeaders.ATTEMPT_LOG);
        if (log != null) {
            try {
                JsonNode n = mapper.readTree(log);
                attempts = n != null && n.isArray() ? n : null;
            } catch (Exception e) {
                attempts = null; // a malformed log is not reported
            }
        }
        return this;
    }

    void cost(String header) {
        if (header == null) {
            return;
        }
        try {
            costUsd = new BigDecimal(header.trim());
        } catch (NumberFormatException e) {
            costUsd = null;
        }
    }

    /** Content and usage of an OpenAI chat completion body. */
    void completion(JsonNode body) {
        JsonNode msg = body.path("choices").path(0).path("message").path("content");
        content = msg.isTextual() ? msg.textValue() : "";
        usage(body.path("usage"));
    }

    void usage(JsonNode usage) {
        if (usage.isObject()) {
            promptTokens = usage.path("prompt_tokens").asInt(0);
            completionTokens = usage.path("completion_tokens").asInt(0);
        }
    }

    ObjectNode toJson(boolean withContent) {
        ObjectNode o = NODES.objectNode();
        o.put("requestId", requestId);
        if (withContent) {
            o.put("content", content == null ? "" : content);
        }
        o.put("provider", provider);
        o.put("model", model);
        ObjectNode u = o.putObject("usage");
        u.put("promptTokens", promptTokens);
        u.put("completionTokens", completionTokens);
        u.put("totalTokens", promptTokens + completionTokens);
        if (cached) {
            o.put("costUsd", BigDecimal.ZERO);
        } else if (costUsd != null) {
            o.put("costUsd", costUsd);
        } else {
            o.putNull("costUsd");
        }
        o.put("latencyMs", Math.max(0, (System.nanoTime() - startNanos) / 1_000_000));
        o.put("cached", cached);
        o.set("attempts", attempts != null ? attempts : NODES.arrayNode());
        return o;
    }

    static Buffer write(ObjectMapper mapper, JsonNode node) {
        try {
            ObjectWriter w = mapper.writer().with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            return Buffer.buffer(w.writeValueAsBytes(node));
        } catch (Exception e) {
            throw new IllegalStateException("answer not serialisable", e);
        }
    }

    static ArrayNode emptyArray() {
        return NODES.arrayNode();
    }
}
