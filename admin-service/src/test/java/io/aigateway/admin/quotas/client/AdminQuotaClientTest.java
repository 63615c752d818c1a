package io.aigateway.admin.quotas.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.smallrye.mutiny.TimeoutException;
import jakarta.ws.rs.ProcessingException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encoding of relayed path ids, and what of usage-service's answers is relayed and what becomes a 5xx of ours. */
class AdminQuotaClientTest {

    private final UsageClient client = new UsageClient(null, null, new ObjectMapper(), new UsageConfig() {
        @Override
        public String url() {
            return "http://127.0.0.1:1";
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(1);
        }
    });

    @Test
    void encodesEverythingButUnreservedCharacters() {
        assertEquals("alice%40example.com%3Aeu", PathSegments.encode("alice@example.com:eu"));
        assertEquals("pro-tier_2~x", PathSegments.encode("pro-tier_2~x"));
        assertEquals("a%2Fb%3Fc%23d%25e%20f", PathSegments.encode("a/b?c#d%e f"));
        assertEquals("%C3%A9%3B%5C", PathSegments.encode("é;\\"));
        assertEquals("key_AbC09", PathSegments.encode("key_AbC09"));
    }

    @Test
    void mapsTransportFailures() {
        ApiError down = UsageClient.toApiException(new ProcessingException(new ConnectException("refused"))).error();
        assertEquals(503, down.status());
        assertEquals("upstream_unavailable", down.code());
        assertEquals("5", down.headers().get("retry-after"));
        assertEquals(504, UsageClient.toApiException(new TimeoutException()).error().status());
        assertEquals(504, UsageClient.toApiException(
                new ProcessingException(new java.util.concurrent.TimeoutException("read"))).error().status());
        assertEquals(500, UsageClient.toApiException(new IllegalStateException("no token")).error().status());
        ApiException own = ApiError.badRequest("x", "y").exception();
        assertEquals(own, UsageClient.toApiException(own));
    }

    @Test
    void relaysJsonAnswersOfAnyStatusAsTheyAre() {
        String envelope = "{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\",\"param\":\"limits.x\",\"code\":\"c\"}}";
        for (int status : new int[] {200, 400, 404, 409, 503}) {
            UsageAnswer answer = client.answer(status, envelope, status == 503 ? "7" : null);
            assertEquals(status, answer.status());
            assertEquals(envelope, answer.body());
        }
        assertEquals("7", client.answer(503, envelope, "7").retryAfter());
        UsageAnswer empty = client.answer(204, null, null);
        assertEquals(204, empty.status());
        assertNull(empty.body());
        assertNull(client.answer(404, "  ", null).body());
    }

    @Test
    void refusedCredentialNonJsonBodiesAndBare5xxBecome502() {
        record Bad(int status, String body) {
        }
        for (Bad bad : List.of(
                new Bad(401, "{\"error\":{\"code\":\"invalid_api_key\"}}"),
                new Bad(403, "{\"error\":{\"code\":\"forbidden\"}}"),
                new Bad(200, "<html>proxy</html>"),
                new Bad(400, "not json"),
                new Bad(500, null),
                new Bad(502, ""))) {
            ApiException e = assertThrows(ApiException.class, () -> client.answer(bad.status(), bad.body(), null));
            assertEquals(502, e.error().status());
            assertEquals("upstream_error", e.error().code());
            assertTrue(e.error().message().contains("usage-service"), e.error().message());
        }
    }
}
