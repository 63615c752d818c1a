package io.aigateway.routing.chat;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.routing.route.Candidate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FinalErrorsTest {

    static AttemptRecord failed(String provider, ErrorClass ec, Integer status, Long retryAfterMs) {
        return new AttemptRecord(new Candidate(provider, "m", 8192),
                new ProviderError(ec, status, retryAfterMs, "boom " + ec, provider, "m"), status, 3);
    }

    @Test
    void allRateLimitedIs429WithSmallestRetryAfter() {
        ApiError e = FinalErrors.of("g", List.of(failed("a", ErrorClass.RATE_LIMITED, 429, 2500L),
                failed("b", ErrorClass.RATE_LIMITED, 429, 7000L)));
        assertEquals(429, e.status());
        assertEquals("rate_limit_exceeded", e.code());
        assertEquals("3", e.headers().get("retry-after"));
        assertEquals("2", e.headers().get("x-aigw-attempts"));
        assertNull(e.headers().get("x-should-retry"));
    }

    @Test
    void rateLimitedMixedWithOtherIs502() {
        ApiError e = FinalErrors.of("g", List.of(failed("a", ErrorClass.RATE_LIMITED, 429, 1000L),
                failed("b", ErrorClass.UPSTREAM_5XX, 500, null)));
        assertEquals(502, e.status());
        assertEquals("upstream_error", e.code());
        assertEquals("1", e.headers().get("retry-after"));
        assertTrue(e.message().contains("a/m RATE_LIMITED (status 429); b/m UPSTREAM_5XX (status 500)"), e.message());
    }

    @Test
    void allTimedOutIs504() {
        ApiError e = FinalErrors.of("g", List.of(failed("a", ErrorClass.TIMEOUT, null, null), failed("b", ErrorClass.TIMEOUT, null, null)));
        assertEquals(504, e.status());
        assertTrue(e.message().contains("(status none)"));
    }

    @Test
    void allModelNotFoundIs404AndNotRetryable() {
        ApiError e = FinalErrors.of("g", List.of(failed("a", ErrorClass.MODEL_NOT_FOUND, 404, null)));
        assertEquals(404, e.status());
        assertEquals("model_not_found", e.code());
        assertEquals("false", e.headers().get("x-should-retry"));
    }

    @Test
    void requestFaultsAre400WithTheirCodes() {
        assertEquals("content_filter", FinalErrors.of("g", List.of(failed("a", ErrorClass.CONTENT_FILTERED, 400, null))).code());
        ApiError ctx = FinalErrors.of("g", List.of(failed("a", ErrorClass.UPSTREAM_5XX, 500, null),
                failed("b", ErrorClass.CONTEXT_TOO_LONG, 400, null)));
        assertEquals(400, ctx.status());
        assertEquals("context_length_exceeded", ctx.code());
        assertEquals("false", ctx.headers().get("x-should-retry"));
        ApiError bad = FinalErrors.of("g", List.of(failed("a", ErrorClass.BAD_REQUEST, 400, null)));
        assertEquals(400, bad.status());
        assertEquals("invalid_request_error", bad.type());
    }

    @Test
    void authEverywhereIs502AndNotRetryable() {
        ApiError e = FinalErrors.of("g", List.of(failed("a", ErrorClass.AUTH, 401, null), failed("b", ErrorClass.INSUFFICIENT_CREDIT, 402, null)));
        assertEquals(502, e.status());
        assertEquals("false", e.headers().get("x-should-retry"));
    }

    @Test
    void noAttemptAtAllIs504() {
        assertEquals(504, FinalErrors.of("g", List.of()).status());
    }
}
