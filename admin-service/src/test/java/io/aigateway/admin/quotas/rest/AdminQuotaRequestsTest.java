package io.aigateway.admin.quotas.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminQuotaRequestsTest {

    private final QuotaRequests requests = new QuotaRequests(new ObjectMapper());

    @Test
    void acceptsIdsThatAreSafePathSegments() {
        assertEquals("alice@example.com:eu", requests.id("alice@example.com:eu", "userId"));
        assertEquals("a b?c#dé", requests.id("a b?c#dé", "userId"));
        String longest = "x".repeat(127) + "é";
        assertEquals(longest, requests.id(longest, "keyId"));
        // 128 code points, 129 UTF-16 chars: counted as 128
        String astral = "x".repeat(127) + "\uD83D\uDE00";
        assertEquals(astral, requests.id(astral, "tier"));
    }

    @Test
    void refusesBlankLongControlAndDotIds() {
        assertBad(() -> requests.id(null, "tier"), "tier", "blank");
        assertBad(() -> requests.id(" \t", "tier"), "tier", "blank");
        assertBad(() -> requests.id("x".repeat(129), "userId"), "userId", "128");
        assertBad(() -> requests.id("a\u0085b", "userId"), "userId", "U+0085");
        assertBad(() -> requests.id("a\nb", "keyId"), "keyId", "U+000A");
        assertBad(() -> requests.id("a\u2028", "keyId"), "keyId", "control");
        assertBad(() -> requests.id("..", "tier"), "tier", "'.'");
        assertBad(() -> requests.id(".", "tier"), "tier", "'.'");
    }

    @Test
    void bodiesMustBeJsonObjects() {
        assertEquals(60, requests.requiredObject("{\"limits\":{\"requestsPerMinute\":60}}")
                .path("limits").path("requestsPerMinute").asInt());
        assertNull(requests.optionalObject(null));
        assertNull(requests.optionalObject(" "));
        assertTrue(requests.optionalObject("{\"windows\":[\"day\"]}").isObject());

        ApiError malformed = assertThrows(ApiException.class, () -> requests.requiredObject("{\"limits\":")).error();
        assertEquals(400, malformed.status());
        assertEquals("invalid_json", malformed.code());
        assertEquals(400, assertThrows(ApiException.class, () -> requests.requiredObject("")).error().status());
        assertEquals(400, assertThrows(ApiException.class, () -> requests.requiredObject("[1]")).error().status());
        assertEquals(400, assertThrows(ApiException.class, () -> requests.requiredObject("\"x\"")).error().status());
        assertEquals(400, assertThrows(ApiException.class, () -> requests.optionalObject("{x")).error().status());
        assertEquals(400, assertThrows(ApiException.class, () -> requests.optionalObject("null")).error().status());
    }

    private static void assertBad(Executable call, String param, String messagePart) {
        ApiError error = assertThrows(ApiException.class, call).error();
        assertEquals(400, error.status());
        assertEquals("invalid_request_error", error.type());
        assertEquals(param, error.param());
        assertTrue(error.message().contains(messagePart), error.message());
    }
}
