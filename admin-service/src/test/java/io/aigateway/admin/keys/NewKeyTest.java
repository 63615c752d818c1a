package io.aigateway.admin.keys;

import io.aigateway.admin.keys.service.NewKey;
import io.aigateway.contracts.error.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NewKeyTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void acceptsValidInputAndDefaultsRoles() {
        NewKey k = NewKey.validate("alice@example.com", null, "  laptop ", null, NOW);
        assertEquals(Set.of("user"), k.roles());
        assertEquals("laptop", k.name());
        assertNull(k.expiresAt());
        assertEquals(List.of("admin", "user"), NewKey.validate("bob", List.of("user", "admin", "user"), null,
                NOW.plusSeconds(1), NOW).sortedRoles());
    }

    @Test
    void rejectsBadInputNamingTheField() {
        assertParam("userId", () -> NewKey.validate(null, List.of("user"), null, null, NOW));
        assertParam("userId", () -> NewKey.validate("bad user", List.of("user"), null, null, NOW));
        assertParam("userId", () -> NewKey.validate("x".repeat(129), List.of("user"), null, null, NOW));
        assertParam("roles", () -> NewKey.validate("u", List.of(), null, null, NOW));
        assertParam("roles", () -> NewKey.validate("u", List.of("root"), null, null, NOW));
        assertParam("name", () -> NewKey.validate("u", null, "a\nb", null, NOW));
        assertParam("expiresAt", () -> NewKey.validate("u", null, null, NOW, NOW));
    }

    private static void assertParam(String param, Runnable r) {
        ApiException e = assertThrows(ApiException.class, r::run);
        assertEquals(400, e.error().status());
        assertEquals(param, e.error().param());
    }
}
