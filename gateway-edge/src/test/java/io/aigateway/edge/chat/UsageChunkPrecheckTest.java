package io.aigateway.edge.chat;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageChunkPrecheckTest {

    @Test
    void onlyChunksWithAUsageObjectAreCandidates() {
        assertTrue(SseRelay.mayBeUsageChunk("{\"choices\":[],\"usage\":{\"prompt_tokens\":1}}"));
        assertTrue(SseRelay.mayBeUsageChunk("{\"choices\":[],\"usage\" : \n {\"prompt_tokens\":1}}"));
        assertFalse(SseRelay.mayBeUsageChunk("{\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":null}"));
        assertFalse(SseRelay.mayBeUsageChunk("{\"choices\":[{\"delta\":{\"content\":\"the \\\"usage\\\": {x}\"}}]}"));
        assertFalse(SseRelay.mayBeUsageChunk("{\"choices\":[]}"));
    }
}
