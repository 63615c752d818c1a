package io.aigateway.adapter.provider.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.aigateway.contracts.openai.Chunks;
import io.aigateway.contracts.openai.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiChunkBuilderTest {

    @Test
    void buildsOpenAiChunksInOpenAiFieldOrder() {
        OpenAiChunkBuilder b = new OpenAiChunkBuilder("chatcmpl-1", 1700000000L, "m");
        assertEquals("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":null}", b.role().toString());
        assertFalse(Chunks.hasContent(b.role()), "a role chunk is no content");
        assertTrue(Chunks.hasContent(b.content("Hi")));
        assertEquals("Hi", b.content("Hi").at("/choices/0/delta/content").asText());
        assertEquals("length", b.finish("length").at("/choices/0/finish_reason").asText());
        assertTrue(Chunks.hasContent(b.finish("stop")));
    }

    @Test
    void usageChunkHasNoChoices() {
        OpenAiChunkBuilder b = new OpenAiChunkBuilder("msg", 0, "");
        b.id("msg_1");
        b.model("claude");
        b.created(42);
        var usage = b.usage(OpenAiChunkBuilder.counts(5, 7));
        assertTrue(Chunks.isUsageChunk(usage));
        assertEquals(new Usage(5, 7, 12), Usage.from(usage));
        assertEquals("msg_1", usage.get("id").asText());
        assertEquals("claude", usage.get("model").asText());
        assertEquals(42, usage.get("created").asLong());
        assertEquals("x", b.delta(JsonNodeFactory.instance.objectNode().put("reasoning_content", "x"), null)
                .at("/choices/0/delta/reasoning_content").asText());
    }
}
