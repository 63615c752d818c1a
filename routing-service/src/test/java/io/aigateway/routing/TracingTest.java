package io.aigateway.routing;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.tracing.TestSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One request through routing with a fallback: the caller's trace goes on to every adapter call, each attempt is a
 * GenAI client span (the parent of that call), the route decision is a span, the usage event and its Kafka record
 * carry the trace.
 */
@QuarkusTest
@WithTestResource(AdapterMock.class)
class TracingTest {

    static UsageTopicReader usage;

    @jakarta.inject.Inject
    io.aigateway.routing.breaker.ProviderBreakers breakers;

    @BeforeAll
    static void consumer() {
        usage = new UsageTopicReader();
    }

    @AfterAll
    static void closeConsumer() {
        if (usage != null) {
            usage.close();
        }
    }

    @BeforeEach
    void reset() {
        breakers.resetAll();
        AdapterMock.server.resetAll();
        AdapterMock.stubCatalog();
        CatalogAwait.untilLoaded();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1;
        return HexFormat.of().formatHex(b);
    }

    private static String[] traceparent(String provider, String rid) {
        List<LoggedRequest> sent = AdapterMock.server.findAll(postRequestedFor(urlEqualTo("/internal/v1/providers/" + provider + "/chat"))
                .withHeader("X-Request-Id", com.github.tomakehurst.wiremock.client.WireMock.equalTo(rid)));
        assertEquals(1, sent.size());
        List<String> values = sent.get(0).header("traceparent").values();
        assertEquals(1, values.size(), values.toString());
        return values.get(0).split("-");
    }

    private static SpanData span(String traceId, String spanId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> TestSpans.ofTrace(traceId).stream()
                .filter(s -> s.getSpanId().equals(spanId)).findFirst().orElse(null), s -> s != null);
    }

    @Test
    void attemptsRouteDecisionAndUsageEventAreInTheCallersTrace() {
        String traceId = hex(16);
        String edgeSpan = hex(8);
        String rid = ChatRouteTest.rid();
        ChatRouteTest.stub("fake", ChatRouteTest.providerError(502, "UPSTREAM_5XX", 500, "fake"));
        ChatRouteTest.stub("fakeb", ChatRouteTest.ok(ChatRouteTest.completion("fake-chat", 5, 3), "0.000011"));
        Response r = ChatRouteTest.call(rid).header("traceparent", "00-" + traceId + "-" + edgeSpan + "-01")
                .header("X-Aigw-Policy", "quality").body(ChatRouteTest.body("chat-default", false))
                .post(ChatRouteTest.CHAT);
        r.then().statusCode(200).header("x-aigw-provider", "fakeb");

        // every adapter call continues the trace; its parent is the attempt's GenAI span
        String[] first = traceparent("fake", rid);
        String[] second = traceparent("fakeb", rid);
        assertEquals(traceId, first[1]);
        assertEquals(traceId, second[1]);
        assertNotEquals(first[2], second[2], () -> "one span per attempt: " + TestSpans.ofTrace(traceId).stream()
                .map(x -> x.getName() + " " + x.getSpanId() + "<-" + x.getParentSpanId()).toList());

        SpanData failed = span(traceId, first[2]);
        assertEquals(SpanKind.CLIENT, failed.getKind());
        assertEquals("chat fake-chat", failed.getName());
        assertEquals("chat", failed.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")));
        assertEquals("fake", failed.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")));
        assertEquals("fake-chat", failed.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")));
        assertEquals("UPSTREAM_5XX", failed.getAttributes().get(AttributeKey.stringKey("error.type")));

        SpanData served = span(traceId, second[2]);
        assertEquals("fakeb", served.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")));
        assertEquals("fake-chat", served.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")));
        assertEquals(5L, served.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
        assertEquals(3L, served.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
        assertEquals(null, served.getAttributes().get(AttributeKey.stringKey("error.type")));

        // both attempts and the route decision are children of routing's server span, itself the edge span's child
        SpanData server = span(traceId, failed.getParentSpanId());
        assertEquals(SpanKind.SERVER, server.getKind());
        assertEquals(edgeSpan, server.getParentSpanId());
        assertEquals(server.getSpanId(), served.getParentSpanId());
        assertEquals(rid, server.getAttributes().get(AttributeKey.stringKey("aigw.request.id")));
        String cacheHeader = r.getHeader("x-aigw-cache");
        if (cacheHeader != null) {
            assertEquals(cacheHeader.toLowerCase(Locale.ROOT),
                    server.getAttributes().get(AttributeKey.stringKey("aigw.cache.result")));
        }
        SpanData route = await().atMost(Duration.ofSeconds(10)).until(() -> TestSpans.ofTrace(traceId).stream()
                .filter(s -> s.getName().equals("aigw.route")).findFirst().orElse(null), s -> s != null);
        assertEquals(server.getSpanId(), route.getParentSpanId());
        assertEquals("quality", route.getAttributes().get(AttributeKey.stringKey("aigw.route.policy")));
        List<String> candidates = route.getAttributes().get(AttributeKey.stringArrayKey("aigw.route.candidates"));
        assertNotNull(candidates);
        assertTrue(candidates.contains("fake/fake-chat") && candidates.contains("fakeb/fake-chat"), candidates.toString());

        // the usage event names the trace, and its Kafka record continues it (usage-service's consumer span)
        UsageTopicReader.Found found = usage.await(rid, Duration.ofSeconds(30));
        UsageEvent e = found.event();
        assertEquals(traceId, e.traceId());
        assertNotNull(found.traceparent(), "the usage record has a traceparent header");
        assertEquals(traceId, found.traceparent().split("-")[1]);
    }
}
