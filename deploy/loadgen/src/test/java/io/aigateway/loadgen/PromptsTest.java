package io.aigateway.loadgen;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptsTest {

    static final byte[] CHAT = ("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"Be \\\"brief\\\".\"},"
            + "{\"role\":\"user\",\"content\":\"Say hi\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}")
            .getBytes(StandardCharsets.UTF_8);

    private static String userContent(Buffer body) {
        return new JsonObject(body).getJsonArray("messages").getJsonObject(1).getString("content");
    }

    @Test
    void uniquePromptsKeepTheRestOfTheBody() {
        Prompts p = Prompts.of(CHAT, false, 0, 8, "run1");
        assertTrue(p.varies());
        Buffer a = p.unique(0, 1);
        Buffer b = p.unique(0, 2);
        Buffer c = p.unique(1, 1);
        assertEquals("Say hi [run1-0-1]", userContent(a));
        assertEquals(3, Set.of(userContent(a), userContent(b), userContent(c)).size());
        JsonObject json = new JsonObject(a);
        assertEquals("m", json.getString("model"));
        assertEquals("Be \"brief\".", json.getJsonArray("messages").getJsonObject(0).getString("content"));
        assertEquals("ok", json.getJsonArray("messages").getJsonObject(2).getString("content"));
        assertNull(json.getValue("stream"));
        assertFalse(p.repeat(new SplittableRandom(1)), "fraction 0 never repeats");
    }

    @Test
    void repeatFractionAndFixedPool() {
        Prompts p = Prompts.of(CHAT, true, 0.25, 3, "r");
        SplittableRandom random = new SplittableRandom(42);
        int repeats = 0;
        Set<String> pooled = new HashSet<>();
        for (int i = 0; i < 4000; i++) {
            if (p.repeat(random)) {
                repeats++;
                Buffer body = p.pooled(random);
                pooled.add(userContent(body));
                assertEquals(Boolean.TRUE, new JsonObject(body).getBoolean("stream"));
            }
        }
        assertTrue(repeats > 850 && repeats < 1150, "about a quarter repeat: " + repeats);
        assertEquals(Set.of("Say hi [pool 0]", "Say hi [pool 1]", "Say hi [pool 2]"), pooled);
        assertEquals(Prompts.of(CHAT, false, 1, 3, "run-a").pooled(new SplittableRandom(7)),
                Prompts.of(CHAT, false, 1, 3, "run-b").pooled(new SplittableRandom(7)), "the pool is the same in every run");
        assertTrue(Prompts.of(CHAT, false, 1, 3, "r").repeat(random), "fraction 1 always repeats");
    }

    @Test
    void bodiesWithoutAUserMessageAreSentUnchanged() {
        byte[] plain = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        Prompts p = Prompts.of(plain, false, 0, 8, "r");
        assertFalse(p.varies());
        assertEquals("{\"model\":\"m\"}", p.fixedBody().toString());
        assertEquals("a=b", Prompts.of("a=b".getBytes(StandardCharsets.UTF_8), true, 0, 8, "r").fixedBody().toString());
        assertNull(Prompts.of(null, false, 0, 8, "r").fixedBody());
        assertEquals(Boolean.TRUE, new JsonObject(Prompts.of(plain, true, 0, 8, "r").fixedBody()).getBoolean("stream"));
    }
}
