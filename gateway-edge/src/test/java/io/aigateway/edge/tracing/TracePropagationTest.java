package io.aigateway.edge.tracing;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aigateway.edge.chat.ChatCompletionsTest;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.arc.All;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.LateBoundSpanProcessor;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.RemoveableLateBoundSpanProcessor;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge continues the caller's trace and hands it to routing: the request to routing carries one
 * {@code traceparent} with the caller's trace id and the edge's server span as parent; that span has the request id.
 */
@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
public class TracePropagationTest {

    @Inject
    RedisDataSource redis;

    @Inject
    @All
    List<SpanProcessor> processors;

    Keys.TestKey key;

    @BeforeEach
    void setUp() {
        key = Keys.inRedis(redis, "user-" + UUID.randomUUID(), "user");
        WireMockResource.routing().stubFor(post(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-trace")))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(ChatCompletionsTest.COMPLETION)));
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zero
        return HexFormat.of().formatHex(b);
    }

    private static LoggedRequest routed(String rid) {
        List<LoggedRequest> found = WireMockResource.routing().findAll(postRequestedFor(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withHeader("X-Request-Id", WireMock.equalTo(rid)));
        assertEquals(1, found.size());
        return found.get(0);
    }

    @Test
    void callersTraceGoesOnToRoutingUnderTheEdgesServerSpan() {
        String traceId = hex(16);
        String callerSpan = hex(8);
        String rid = "trace-" + UUID.randomUUID();
        given().header("Authorization", key.bearer()).header("X-Request-Id", rid)
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .body("{\"model\":\"m-trace\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);

        List<String> sent = routed(rid).header("traceparent").values();
        assertEquals(1, sent.size(), "exactly one traceparent: " + sent);
        String[] parts = sent.get(0).split("-");
        assertEquals(traceId, parts[1], "routing continues the caller's trace");
        assertNotEquals(callerSpan, parts[2], "the parent is the edge's own span");

        // the edge's server span: child of the caller's span, parent of the hop, with the request id
        SpanData server = await().until(() -> TestSpans.ofTrace(traceId).stream()
                .filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElse(null), s -> s != null);
        assertEquals(callerSpan, server.getParentSpanId());
        assertEquals(parts[2], server.getSpanId());
        assertEquals(rid, server.getAttributes().get(AttributeKey.stringKey("aigw.request.id")));
    }

    @Test
    void aRequestWithoutTraceStartsOne() {
        String rid = "trace-new-" + UUID.randomUUID();
        given().header("Authorization", key.bearer()).header("X-Request-Id", rid)
                .body("{\"model\":\"m-trace\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        String tp = routed(rid).getHeader("traceparent");
        assertTrue(tp != null && tp.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), String.valueOf(tp));
    }

    @Test
    void nothingIsExportedWithoutAnEndpoint() {
        // OTEL_EXPORTER_OTLP_ENDPOINT unset: Quarkus' OTLP processor is the removable placeholder, never a live one
        assertFalse(processors.stream().anyMatch(p -> p instanceof LateBoundSpanProcessor
                && !(p instanceof RemoveableLateBoundSpanProcessor)), processors.toString());
    }
}
