package io.aigateway.support.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestIdsTest {

    @Test
    void saneIdsAreKept() {
        assertEquals("abc-DEF_1.2:3", RequestIds.resolve("abc-DEF_1.2:3"));
        String max = "a".repeat(128);
        assertEquals(max, RequestIds.resolve(max));
    }

    @Test
    void insaneIdsAreReplaced() {
        for (String bad : new String[]{null, "", "a".repeat(129), "has space", "semi;colon", "new\nline", "ünïcode", "a/b"}) {
            assertFalse(RequestIds.isSane(bad), String.valueOf(bad));
            String id = RequestIds.resolve(bad);
            assertNotEquals(bad, id);
            assertTrue(id.matches("[0-9a-f-]{36}"), id);
        }
    }
}
