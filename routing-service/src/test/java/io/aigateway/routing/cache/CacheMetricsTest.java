package io.aigateway.routing.cache;

import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.UsageTopicReader;
import io.aigateway.testsupport.MetricsScrape;
import io.aigateway.testsupport.RedisProxyResource;
import io.aigateway.testsupport.TcpProxy;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.time.Duration;

import static io.aigateway.routing.cache.ResponseCacheTest.body;
import static io.aigateway.routing.cache.ResponseCacheTest.call;
import static io.aigateway.routing.cache.ResponseCacheTest.completion;
import static io.aigateway.routing.cache.ResponseCacheTest.ok;
import static io.aigateway.routing.cache.ResponseCacheTest.prompt;
import static io.aigateway.routing.cache.ResponseCacheTest.rid;
import static io.aigateway.routing.cache.ResponseCacheTest.stub;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Routing's meters with the cache on: a hit adds its usage event's tokens (the cached answer's) and its cost saved, no
 * cost; {@code aigw_requests_total} says {@code cache="hit"} / {@code "miss"}; the cache's Redis gate is exported.
 * Same test resources as {@link ResponseCacheTest} (one application for both).
 */
@QuarkusTest
@WithTestResource(CacheTestResource.class)
@WithTestResource(RedisProxyResource.class)
class CacheMetricsTest {

    static UsageTopicReader usage;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @Inject
    RedisDataSource redis;

    TcpProxy redisProxy; // injected by RedisProxyResource

    @Inject
    io.aigateway.routing.breaker.ProviderBreakers breakers;

    @BeforeAll
    static void consumer() {
        usage = new UsageTopicReader();
    }

    @AfterAll
    static void cleanUp() {
        if (usage != null) {
            usage.close();
        }
        ResponseCacheTest.deleteOurKeys();
    }

    @BeforeEach
    void reset() {
        breakers.resetAll();
        CacheTestResource.adapter.resetAll();
        CacheTestResource.stubCatalog();
        ResponseCacheTest.awaitCacheReady();
    }

    MetricsScrape scrape() {
        return MetricsScrape.fetch(URI.create(metrics.toString()));
    }

    static double delta(MetricsScrape before, MetricsScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    @Test
    void aHitCountsItsTokensAndTheCostSavedButNoCost() {
        stub("fake", ok(completion("cached answer", 5, 3, "stop"), "0.00002"));
        String b = body("chat-default", prompt(), false, null);
        MetricsScrape before = scrape();
        String missId = rid();
        Response miss = call(missId).body(b).post(ResponseCacheTest.CHAT);
        assertEquals("MISS", miss.getHeader("x-aigw-cache"));
        String key = miss.getHeader("x-aigw-cache-key");
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.key().exists(CacheTestResource.PREFIX + key));
        String hitId = rid();
        Response hit = call(hitId).body(b).post(ResponseCacheTest.CHAT);
        assertEquals("HIT", hit.getHeader("x-aigw-cache"));
        UsageEvent m = usage.await(missId, Duration.ofSeconds(30)).event();
        UsageEvent h = usage.await(hitId, Duration.ofSeconds(30)).event();
        MetricsScrape after = scrape();

        String[] pair = {"gen_ai_provider_name", "fake", "gen_ai_request_model", "chat-default",
                "gen_ai_response_model", "fake-chat"};
        assertEquals(m.promptTokens() + h.promptTokens(), delta(before, after, "gen_ai_client_token_usage_sum",
                concat(pair, "gen_ai_token_type", "input")));
        assertEquals(m.completionTokens() + h.completionTokens(), delta(before, after, "gen_ai_client_token_usage_sum",
                concat(pair, "gen_ai_token_type", "output")));
        assertEquals(10, m.promptTokens() + h.promptTokens());
        assertEquals(m.costUsd().add(h.costUsd()).doubleValue(),
                delta(before, after, "aigw_cost_usd_total", "provider", "fake", "model", "fake-chat"), 1e-12);
        assertEquals(h.costSavedUsd().doubleValue(),
                delta(before, after, "aigw_cost_saved_usd_total", "provider", "fake", "model", "fake-chat"), 1e-12);
        assertEquals(0.00002, h.costSavedUsd().doubleValue(), 1e-12);
        assertEquals(1, delta(before, after, "aigw_requests_total", "provider", "fake", "status", "200", "cache", "miss"));
        assertEquals(1, delta(before, after, "aigw_requests_total", "provider", "fake", "status", "200", "cache", "hit"));
        assertEquals(0, after.value("aigw_redis_gate_open", "gate", "cache"), after.select("aigw_redis_gate_open").toString());
        assertEquals(1, after.select("aigw_redis_gate_open", "gate", "cache").size());
    }

    @Test
    void theGateGaugeIsOneWhileRedisIsSkipped() {
        stub("fake", ok(completion("no redis", 3, 1, "stop"), "0.00001"));
        String b = body("chat-default", prompt(), false, null);
        redisProxy.cut();
        try {
            await("gate tripped").atMost(Duration.ofSeconds(20)).until(() -> {
                call(rid()).body(b).post(ResponseCacheTest.CHAT);
                return scrape().value("aigw_redis_gate_open", "gate", "cache") == 1;
            });
        } finally {
            redisProxy.resume();
        }
        await("gate open again").atMost(Duration.ofSeconds(20)).until(() -> {
            call(rid()).body(b).post(ResponseCacheTest.CHAT);
            return scrape().value("aigw_redis_gate_open", "gate", "cache") == 0;
        });
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
