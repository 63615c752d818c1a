package io.aigateway.edge.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BearerKeyTest {

    @Test
    void parsesBearerKeys() {
        assertEquals("aigw_abcdefghijkl", ApiKeyService.bearerKey("Bearer aigw_abcdefghijkl"));
        assertEquals("aigw_abcdefghijkl", ApiKeyService.bearerKey("bearer   aigw_abcdefghijkl "));
        assertNull(ApiKeyService.bearerKey(null));
        assertNull(ApiKeyService.bearerKey("Bearer "));
        assertNull(ApiKeyService.bearerKey("Basic aigw_abcdefghijkl"));
        assertNull(ApiKeyService.bearerKey("Bearer sk-abcdefghijklmnop"));
        assertNull(ApiKeyService.bearerKey("Bearer aigw_"));
        assertNull(ApiKeyService.bearerKey("Bearer aigw_" + "x".repeat(300)));
    }
}
