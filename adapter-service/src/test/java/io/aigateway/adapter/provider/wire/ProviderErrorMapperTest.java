package io.aigateway.adapter.provider.wire;

import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.internal.Json;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderErrorMapperTest {

    private static final String KEY = "sk-proj-SECRETsecret1234567890";
    private final ProviderErrorMapper mapper = new ProviderErrorMapper(Json.newMapper());

    private ProviderError map(int status, String body) {
        return map(status, body, MultiMap.caseInsensitiveMultiMap());
    }

    private ProviderError map(int status, String body, MultiMap headers) {
        return mapper.fromHttp("openai", "gpt-4o", KEY, status, headers, body == null ? null : Buffer.buffer(body));
    }

    private static String err(String type, String code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":" + (type == null ? "null" : "\"" + type + "\"")
                + ",\"param\":null,\"code\":" + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    @Test
    void statusDefaults() {
        assertEquals(ErrorClass.BAD_REQUEST, map(400, err("invalid_request_error", null, "bad")).errorClass());
        assertEquals(ErrorClass.AUTH, map(401, err("invalid_request_error", "invalid_api_key", "no")).errorClass());
        assertEquals(ErrorClass.AUTH, map(403, null).errorClass());
        assertEquals(ErrorClass.INSUFFICIENT_CREDIT, map(402, null).errorClass());
        assertEquals(ErrorClass.MODEL_NOT_FOUND, map(404, err("invalid_request_error", "model_not_found", "x")).errorClass());
        assertEquals(ErrorClass.RATE_LIMITED, map(429, err("requests", "rate_limit_exceeded", "slow down")).errorClass());
        assertEquals(ErrorClass.UPSTREAM_5XX, map(500, err("server_error", null, "oops")).errorClass());
        assertEquals(ErrorClass.UPSTREAM_5XX, map(502, "<html>bad gateway</html>").errorClass());
        assertEquals(ErrorClass.OVERLOADED, map(503, null).errorClass());
        assertEquals(ErrorClass.TIMEOUT, map(504, null).errorClass());
    }

    @Test
    void refinedByBody() {
        assertEquals(ErrorClass.CONTEXT_TOO_LONG,
                map(400, err("invalid_request_error", "context_length_exceeded", "too long")).errorClass());
        assertEquals(ErrorClass.CONTEXT_TOO_LONG, map(400, err("invalid_request_error", null,
                "This model's maximum context length is 8192 tokens")).errorClass());
        assertEquals(ErrorClass.CONTENT_FILTERED, map(400, err("invalid_request_error", "content_filter", "filtered")).errorClass());
        assertEquals(ErrorClass.INSUFFICIENT_CREDIT, map(429, err("insufficient_quota", "insufficient_quota", "quota")).errorClass());
    }

    @Test
    void statusAndRetryAfterCarried() {
        MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "12");
        ProviderError e = map(429, err("requests", "rate_limit_exceeded", "slow"), h);
        assertEquals(429, e.providerStatus());
        assertEquals(12_000L, e.retryAfterMs());
        assertEquals("openai", e.provider());
        assertEquals("gpt-4o", e.model());
        assertNull(map(500, null).retryAfterMs());
    }

    @Test
    void neverLeaksTheKey() {
        ProviderError e = map(401, err("invalid_request_error", "invalid_api_key",
                "Incorrect API key provided: " + KEY + ". Also sk-abcd****wxyz."));
        assertFalse(e.message().contains(KEY));
        assertFalse(e.message().contains("sk-abcd"));
        assertTrue(e.message().contains("[redacted]"));
        ProviderError f = mapper.fromFailure("openai", "gpt-4o", KEY, new ConnectException("refused " + KEY));
        assertFalse(f.message().contains(KEY));
    }

    @Test
    void transportFailures() {
        assertEquals(ErrorClass.CONNECTION, ProviderErrorMapper.classifyFailure(new ConnectException("Connection refused")));
        assertEquals(ErrorClass.CONNECTION, ProviderErrorMapper.classifyFailure(new HttpClosedException("Connection was closed")));
        assertEquals(ErrorClass.CONNECTION, ProviderErrorMapper.classifyFailure(new java.io.IOException("Connection reset by peer")));
        assertEquals(ErrorClass.TIMEOUT, ProviderErrorMapper.classifyFailure(new ConnectTimeoutException("connect timed out")));
        assertEquals(ErrorClass.TIMEOUT, ProviderErrorMapper.classifyFailure(new TimeoutException("idle")));
    }

    @Test
    void streamErrorChunk() throws Exception {
        var node = Json.newMapper().readTree("{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}");
        ProviderError e = mapper.fromStreamErrorChunk("openai", "gpt-4o", KEY, node);
        assertEquals(ErrorClass.UPSTREAM_5XX, e.errorClass());
        var ctx = Json.newMapper().readTree("{\"message\":\"maximum context length exceeded\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}");
        assertEquals(ErrorClass.CONTEXT_TOO_LONG, mapper.fromStreamErrorChunk("openai", "gpt-4o", KEY, ctx).errorClass());
    }
}
