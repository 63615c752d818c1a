package io.aigateway.routing;

import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.testsupport.MetricsScrape;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.time.Duration;

import static io.aigateway.routing.ChatRouteTest.body;
import static io.aigateway.routing.ChatRouteTest.call;
import static io.aigateway.routing.ChatRouteTest.completion;
import static io.aigateway.routing.ChatRouteTest.ok;
import static io.aigateway.routing.ChatRouteTest.rid;
import static io.aigateway.routing.ChatRouteTest.stub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing's per-request meters on {@code /q/metrics}: one chat request moves {@code aigw_requests_total} by one and
 * the token and cost meters by exactly what its usage event says; streams feed the time to first token; label values
 * stay bounded (unknown contexts and models are {@code other}, nothing served is {@code none}).
 */
@QuarkusTest
@WithTestResource(AdapterMock.class)
class RequestMetricsTest {

    static UsageTopicReader usage;

    @TestHTTPResource("/q/metrics")
    URL metrics;

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

    MetricsScrape scrape() throws Exception {
        return MetricsScrape.fetch(URI.create(metrics.toString()));
    }

    static final String[] PAIR = {"gen_ai_operation_name", "chat", "gen_ai_provider_name", "fake",
            "gen_ai_request_model", "chat-default", "gen_ai_response_model", "fake-chat"};

    static String[] tokens(String type) {
        String[] l = java.util.Arrays.copyOf(PAIR, PAIR.length + 2);
        l[PAIR.length] = "gen_ai_token_type";
        l[PAIR.length + 1] = type;
        return l;
    }

    @Test
    void aJsonRequestAddsExactlyItsUsageEventsTokensAndCost() throws Exception {
        MetricsScrape before = scrape();
        String rid = rid();
        stub("fake", ok(completion("fake-chat", 11, 7), "0.0000305"));
        call(rid).header("X-Aigw-Context", "writing").body(body("chat-default", false)).post(ChatRouteTest.CHAT)
                .then().statusCode(200);
        UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
        MetricsScrape after = scrape();

        assertEquals(e.promptTokens(), delta(before, after, "gen_ai_client_token_usage_sum", tokens("input")));
        assertEquals(e.completionTokens(), delta(before, after, "gen_ai_client_token_usage_sum", tokens("output")));
        assertEquals(1, delta(before, after, "gen_ai_client_token_usage_count", tokens("input")));
        assertEquals(11, e.promptTokens());
        assertEquals(7, e.completionTokens());
        assertEquals(e.costUsd().doubleValue(),
                delta(before, after, "aigw_cost_usd_total", "provider", "fake", "model", "fake-chat"), 1e-12);
        assertEquals(0, new BigDecimal("0.0000305").compareTo(e.costUsd()));
        assertEquals(1, delta(before, after, "aigw_requests_total", "provider", "fake", "model", "fake-chat",
                "status", "200", "policy", "user-preference", "context", "writing", "cache", "bypass"));
        assertEquals(1, delta(before, after, "gen_ai_client_operation_duration_seconds_count",
                "gen_ai_operation_name", "chat", "gen_ai_provider_name", "fake", "gen_ai_request_model", "chat-default",
                "error_type", "none"));
        assertEquals(1, delta(before, after, "gen_ai_client_operation_duration_seconds_bucket",
                "gen_ai_provider_name", "fake", "gen_ai_request_model", "chat-default", "error_type", "none", "le", "+Inf"));
        assertTrue(after.has("gen_ai_client_operation_duration_seconds_bucket", "le", "0.05"), "SLO buckets");
        assertTrue(after.has("gen_ai_client_token_usage_bucket", "le", "262144.0")
                || after.has("gen_ai_client_token_usage_bucket", "le", "262144"), "token SLO buckets");
        // registered with the pair, at zero until a stream or a cache hit
        assertTrue(after.has("gen_ai_server_time_to_first_token_seconds_count", "gen_ai_provider_name", "fake"));
        assertTrue(after.has("aigw_cost_saved_usd_total", "provider", "fake", "model", "fake-chat"));
        assertTrue(after.value("aigw_usage_events_total", "outcome", "sent") >= 1);
        for (String outcome : new String[]{"spooled", "resent", "dropped"}) {
            assertTrue(after.has("aigw_usage_events_total", "outcome", outcome), outcome);
        }
        assertTrue(after.has("aigw_usage_spool_pending"));
    }

    @Test
    void aStreamRecordsItsTimeToFirstToken() throws Exception {
        MetricsScrape before = scrape();
        String rid = rid();
        stub("fake", ChatRouteTest.sse(ChatRouteTest.fullStream(2)));
        call(rid).header("Accept", "text/event-stream").body(body("chat-default", true)).post(ChatRouteTest.CHAT)
                .then().statusCode(200);
        UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
        MetricsScrape after = scrape();
        assertTrue(e.streamed());
        assertEquals(1, delta(before, after, "gen_ai_server_time_to_first_token_seconds_count",
                "gen_ai_provider_name", "fake", "gen_ai_request_model", "chat-default"));
        assertEquals(e.ttftMs() / 1000.0, delta(before, after, "gen_ai_server_time_to_first_token_seconds_sum",
                "gen_ai_provider_name", "fake", "gen_ai_request_model", "chat-default"), 1e-9);
        assertEquals(e.promptTokens(), delta(before, after, "gen_ai_client_token_usage_sum", tokens("input")));
        assertEquals(e.completionTokens(), delta(before, after, "gen_ai_client_token_usage_sum", tokens("output")));
        assertEquals(1, delta(before, after, "aigw_requests_total", "provider", "fake", "status", "200",
                "context", "default"));
    }

    @Test
    void labelsStayBounded() throws Exception {
        MetricsScrape before = scrape();
        String rid = rid();
        call(rid).header("X-Aigw-Context", "project-x-42").body(body("no-such-model", false)).post(ChatRouteTest.CHAT)
                .then().statusCode(404);
        UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
        MetricsScrape after = scrape();
        assertEquals("project-x-42", e.context());
        assertEquals(1, delta(before, after, "aigw_requests_total", "provider", "none", "model", "none",
                "status", "404", "policy", "user-preference", "context", "other"));
        assertEquals(1, delta(before, after, "gen_ai_client_operation_duration_seconds_count",
                "gen_ai_provider_name", "none", "gen_ai_request_model", "other", "error_type", "model_not_found"));
        assertTrue(after.select("aigw_requests_total").stream()
                .noneMatch(s -> s.labels().containsValue("project-x-42") || s.labels().containsValue("no-such-model")));
        assertTrue(after.samples().stream().noneMatch(s -> s.labels().containsValue(rid)
                || s.labels().containsValue("user-1") || s.labels().containsValue("key-1")), "no ids as labels");
    }

    @Test
    void aRequestRejectedBeforeRoutingIsCountedOnceWithoutProvider() throws Exception {
        MetricsScrape before = scrape();
        call(rid()).body("{not json").post(ChatRouteTest.CHAT).then().statusCode(400);
        MetricsScrape after = scrape();
        assertEquals(1, delta(before, after, "aigw_requests_total", "provider", "none", "model", "none",
                "status", "400", "context", "default", "cache", "bypass"));
        assertEquals(1, delta(before, after, "aigw_requests_total"));
    }

    static double delta(MetricsScrape before, MetricsScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
