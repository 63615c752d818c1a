package io.aigateway.routing.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.adapter.CallerHeaders;
import io.smallrye.mutiny.Multi;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineValuesTest {

    static ChatRequest request(boolean stream) throws Exception {
        ObjectNode body = (ObjectNode) new ObjectMapper().readTree("{\"model\":\"chat-default\",\"messages\":[],\"stream\":" + stream + "}");
        return new ChatRequest(new CallerHeaders("r1", "u1", "k1", "user"), "writing", RoutePolicy.COST,
                new ChatCompletionRequest(body), null, null, System.nanoTime() - 5_000_000);
    }

    @Test
    void chunksAreFramedAsServerSentEvents() {
        assertEquals("data: {\"a\":\"é\"}\n\n", ChatChunk.data("{\"a\":\"é\"}").frame().toString(StandardCharsets.UTF_8));
        assertEquals("data: [DONE]\n\n", ChatChunk.end(null).frame().toString(StandardCharsets.UTF_8));
        assertEquals("data: {\"error\":{}}\n\n", ChatChunk.failed("{\"error\":{}}").frame().toString(StandardCharsets.UTF_8));
        assertFalse(ChatChunk.data("x").last());
        assertTrue(ChatChunk.end(null).last());
        assertTrue(ChatChunk.failed("{}").last());
    }

    @Test
    void repliesCarryHeadersThatDecoratorsExtend() throws Exception {
        ChatReply json = ChatReply.json(Map.of("x-aigw-provider", "fake"), io.vertx.core.buffer.Buffer.buffer("{}"),
                new ChatOutcome("fake", "m", 1, 2, false, null));
        json.header("x-aigw-cache", "MISS");
        assertFalse(json.isStream());
        assertEquals("MISS", json.header("x-aigw-cache"));
        assertEquals("fake", json.header("x-aigw-provider"));
        assertEquals(2, json.outcome().completionTokens());
        assertNull(json.mapChunks(m -> null).chunks());

        ChatReply stream = ChatReply.stream(Map.of(), Multi.createFrom().items(ChatChunk.data("a"), ChatChunk.end(null)));
        assertTrue(stream.isStream());
        stream.mapChunks(m -> m.onItem().transform(c -> c.kind() == ChatChunk.Kind.DATA ? ChatChunk.data(c.data() + "!") : c));
        List<ChatChunk> items = stream.chunks().collect().asList().await().indefinitely();
        assertEquals("a!", items.get(0).data());
        assertEquals(ChatChunk.Kind.END, items.get(1).kind());
        assertTrue(request(true).stream());
        assertEquals("chat-default", request(false).model());
        assertEquals(List.of(), request(false).cacheControl());
    }

    @Test
    void usageEventsOfRoutedCachedAndRejectedRequests() throws Exception {
        UsageEvent routed = UsageEvents.of(request(true)).servedBy("fake", "fake-chat")
                .usage(11, null, true, new BigDecimal("0.5")).ttftMs(7L)
                .outcome(UsageEvent.Outcome.PARTIAL, "TIMEOUT")
                .attempts(List.of(new UsageEvent.Attempt("fake", "fake-chat", null, 200, 3)))
                .build();
        assertEquals("r1", routed.requestId());
        assertEquals("u1", routed.userId());
        assertEquals("k1", routed.keyId());
        assertEquals("writing", routed.context());
        assertEquals("cost", routed.policy());
        assertEquals("chat-default", routed.requestedModel());
        assertEquals(11, routed.promptTokens());
        assertEquals(0, routed.completionTokens());
        assertEquals(11, routed.totalTokens());
        assertTrue(routed.usageEstimated());
        assertEquals(0, new BigDecimal("0.5").compareTo(routed.costUsd()));
        assertNull(routed.costSavedUsd());
        assertTrue(routed.latencyMs() >= 5);
        assertEquals(7L, routed.ttftMs());
        assertTrue(routed.streamed());
        assertFalse(routed.cached());
        assertEquals("TIMEOUT", routed.errorClass());
        assertEquals(1, routed.attempts().size());

        UsageEvent cached = UsageEvents.of(request(false)).servedBy("fake", "m").usage(3, 4, false, new BigDecimal("9"))
                .cached(new BigDecimal("0.25")).build();
        assertTrue(cached.cached());
        assertEquals(0, BigDecimal.ZERO.compareTo(cached.costUsd()));
        assertEquals(0, new BigDecimal("0.25").compareTo(cached.costSavedUsd()));
        assertEquals(UsageEvent.Outcome.SUCCESS, cached.outcome());

        UsageEvent rejected = UsageEvents.of(new CallerHeaders("r2", null, null, null), "default", "latency", null, false,
                System.nanoTime()).outcome(UsageEvent.Outcome.ERROR, "invalid_json").build();
        assertNull(rejected.provider());
        assertNull(rejected.requestedModel());
        assertEquals(0, rejected.totalTokens());
        assertEquals(0, BigDecimal.ZERO.compareTo(rejected.costUsd()));
        assertEquals(List.of(), rejected.attempts());
    }
}
