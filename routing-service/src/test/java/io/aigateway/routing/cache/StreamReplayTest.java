package io.aigateway.routing.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.openai.Chunks;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stream assembly, SSE replay and the request's cache directives. */
class StreamReplayTest {

    static final ObjectMapper MAPPER = Json.newMapper();

    static String chunk(String delta, String finish) {
        return "{\"id\":\"c9\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"m1\",\"choices\":[{\"index\":0,\"delta\":"
                + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    @Test
    void assemblesContentToolCallsFinishAndUsage() throws Exception {
        StreamAssembler a = new StreamAssembler(MAPPER, 1 << 20);
        a.add(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        a.add(chunk("{\"content\":\"Hel\"}", null));
        a.add(chunk("{\"content\":\"lo\"}", null));
        a.add(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_\",\"arguments\":\"{\\\"a\\\":\"}}]}", null));
        a.add(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"weather\",\"arguments\":\"1}\"}}]}", null));
        a.add(chunk("{}", "tool_calls"));
        a.add("{\"id\":\"c9\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"m1\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":3,\"total_tokens\":7}}");
        ObjectNode c = a.completion();
        assertEquals("chat.completion", c.get("object").asText());
        assertEquals("c9", c.get("id").asText());
        assertEquals("m1", c.get("model").asText());
        assertEquals("Hello", c.at("/choices/0/message/content").asText());
        assertEquals("assistant", c.at("/choices/0/message/role").asText());
        assertEquals("call_1", c.at("/choices/0/message/tool_calls/0/id").asText());
        assertEquals("get_weather", c.at("/choices/0/message/tool_calls/0/function/name").asText());
        assertEquals("{\"a\":1}", c.at("/choices/0/message/tool_calls/0/function/arguments").asText());
        assertEquals("tool_calls", c.at("/choices/0/finish_reason").asText());
        assertEquals(7, c.at("/usage/total_tokens").asInt());
        assertTrue(CachedAnswer.complete(c));
    }

    @Test
    void incompleteOrCutAnswersAreNotComplete() throws Exception {
        StreamAssembler a = new StreamAssembler(MAPPER, 1 << 20);
        a.add(chunk("{\"content\":\"Hel\"}", null));
        assertFalse(CachedAnswer.complete(a.completion()), "no finish reason");
        assertFalse(CachedAnswer.complete(MAPPER.readTree(
                "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"x\"},\"finish_reason\":\"length\"}]}")));
        assertFalse(CachedAnswer.complete(MAPPER.readTree("{\"choices\":[]}")));
        StreamAssembler err = new StreamAssembler(MAPPER, 1 << 20);
        err.add(chunk("{\"content\":\"Hel\"}", null));
        err.add("{\"error\":{\"message\":\"boom\"}}");
        assertNull(err.completion());
        StreamAssembler big = new StreamAssembler(MAPPER, 50);
        big.add(chunk("{\"content\":\"" + "x".repeat(100) + "\"}", "stop"));
        assertNull(big.completion(), "over the size limit: not assembled");
    }

    @Test
    void replaysAStoredCompletionAsOpenAiChunks() throws Exception {
        JsonNode stored = MAPPER.readTree("{\"id\":\"chatcmpl-5\",\"object\":\"chat.completion\",\"created\":9,\"model\":\"fake-chat\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi there\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":2,\"total_tokens\":4}}");
        List<String> withUsage = SseReplay.chunks(MAPPER, stored, true);
        assertEquals(4, withUsage.size());
        JsonNode role = MAPPER.readTree(withUsage.get(0));
        assertEquals("chat.completion.chunk", role.get("object").asText());
        assertEquals("chatcmpl-5", role.get("id").asText());
        assertEquals("assistant", role.at("/choices/0/delta/role").asText());
        assertFalse(Chunks.hasContent(role), "role chunk carries no content");
        JsonNode content = MAPPER.readTree(withUsage.get(1));
        assertEquals("Hi there", content.at("/choices/0/delta/content").asText());
        assertTrue(content.at("/choices/0/finish_reason").isNull());
        assertEquals("stop", MAPPER.readTree(withUsage.get(2)).at("/choices/0/finish_reason").asText());
        JsonNode usage = MAPPER.readTree(withUsage.get(3));
        assertTrue(Chunks.isUsageChunk(usage));
        assertEquals(4, usage.at("/usage/total_tokens").asInt());
        List<String> without = SseReplay.chunks(MAPPER, stored, false);
        assertEquals(3, without.size());
        assertFalse(without.stream().anyMatch(s -> s.contains("\"usage\"")));
    }

    @Test
    void replayOfAnAssembledStreamGivesBackTheSameText() throws Exception {
        StreamAssembler a = new StreamAssembler(MAPPER, 1 << 20);
        a.add(chunk("{\"role\":\"assistant\"}", null));
        a.add(chunk("{\"content\":\"one \"}", null));
        a.add(chunk("{\"content\":\"two\"}", "stop"));
        StringBuilder text = new StringBuilder();
        for (String s : SseReplay.chunks(MAPPER, a.completion(), false)) {
            text.append(MAPPER.readTree(s).at("/choices/0/delta/content").asText(""));
        }
        assertEquals("one two", text.toString());
    }

    @Test
    void directives() {
        Directives d = Directives.parse(null, null, 3600, 86400);
        assertTrue(d.read() && d.write());
        assertNull(d.maxAgeSeconds());
        assertEquals(3600, d.ttlSeconds());
        d = Directives.parse(List.of("No-Cache, no-store"), null, 3600, 86400);
        assertFalse(d.read());
        assertFalse(d.write());
        d = Directives.parse(List.of("max-age=30", "max-age=10"), "60", 3600, 86400);
        assertEquals(10L, d.maxAgeSeconds());
        assertEquals(60, d.ttlSeconds());
        assertEquals(86400, Directives.parse(null, "999999", 3600, 86400).ttlSeconds(), "clamped to max-ttl");
        assertEquals(3600, Directives.parse(null, "soon", 3600, 86400).ttlSeconds(), "not a number: default");
        assertFalse(Directives.parse(null, "0", 3600, 86400).write(), "0 = do not store");
    }
}
