package io.aigateway.routing.stats;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.routing.AdapterMock;
import io.aigateway.routing.route.BreakerView;
import io.aigateway.routing.route.Candidate;
import io.aigateway.routing.route.ModelRouter;
import io.aigateway.routing.route.PreferenceSource;
import io.aigateway.routing.route.RequestProfile;
import io.aigateway.routing.route.Resolution;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two routing-service "instances" (their statistics objects) sharing the real Redis (database 1). */
@QuarkusTest
@WithTestResource(AdapterMock.class)
class SharedStatsTest {

    static final Duration T = Duration.ofSeconds(2);

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    Vertx vertx;

    /**
     * A Redis client for a port nothing listens on: every command fails with connection refused (Redis down). Not a
     * timeout of 1 ns on the real Redis: an answer that beats it makes the next command schedule a timer below Vert.x'
     * 1 ms minimum, and that command never completes.
     */
    Redis unreachableRedis() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Redis.createClient(vertx, "redis://127.0.0.1:" + s.getLocalPort());
        }
    }

    static Candidate c(String p) {
        return new Candidate(p, "m", 8192, new ModelInfo("m", "m", 8192, BigDecimal.ONE, BigDecimal.ONE, 0.5, null));
    }

    static List<String> order(ModelRouter router, Resolution res) throws Exception {
        RequestProfile p = RequestProfile.of(new io.aigateway.contracts.openai.ChatCompletionRequest(
                (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")), 100);
        return router.route(res, p, RoutePolicy.LATENCY, null, "default").resolution().candidates().stream()
                .map(Candidate::providerId).toList();
    }

    @Test
    void latencyWrittenByOneInstanceSteersAnother() throws Exception {
        String key = "aigw:test:latency:" + UUID.randomUUID();
        LatencyStats a = new LatencyStats(redis, key, 0.2, T);
        LatencyStats b = new LatencyStats(redis, key, 0.2, T);
        ModelRouter routerB = new ModelRouter(b, k -> 0, BreakerView.ALL_CLOSED, PreferenceSource.NONE, 5);
        Resolution res = new Resolution("m", List.of(c("slow"), c("quick")), "model-match");
        // b has no samples of its own: configured order, both unmeasured
        assertEquals(List.of("slow", "quick"), order(routerB, res));

        for (int i = 0; i < 5; i++) {
            a.record("slow/m", 900);
            a.record("quick/m", 80);
        }
        a.sync().await().atMost(T);
        assertTrue(b.latencyMs("slow/m") < 0, "b saw nothing yet");
        b.sync().await().atMost(T);
        assertEquals(900, b.latencyMs("slow/m"), 0.001);
        assertEquals(List.of("quick", "slow"), order(routerB, res));

        // now "quick" degrades on instance a: the shared EWMA moves and b follows
        for (int i = 0; i < 30; i++) {
            a.record("quick/m", 3000);
        }
        a.sync().await().atMost(T);
        b.sync().await().atMost(T);
        assertTrue(b.latencyMs("quick/m") > 900, "shared EWMA " + b.latencyMs("quick/m"));
        assertEquals(List.of("slow", "quick"), order(routerB, res));
        redis.key().del(key).await().atMost(T);
    }

    @Test
    void theSharedEwmaFoldsBatchesFromBothInstances() {
        String key = "aigw:test:latency:" + UUID.randomUUID();
        LatencyStats a = new LatencyStats(redis, key, 0.5, T);
        LatencyStats b = new LatencyStats(redis, key, 0.5, T);
        a.record("p/m", 100);
        a.sync().await().atMost(T);
        b.record("p/m", 300);
        b.sync().await().atMost(T);
        // 100 first, then one sample of 300 with alpha 0.5
        assertEquals(200, b.latencyMs("p/m"), 0.001);
        a.sync().await().atMost(T);
        assertEquals(200, a.latencyMs("p/m"), 0.001);
        redis.key().del(key).await().atMost(T);
    }

    @Test
    void roundRobinPositionsAreSharedAndNeverRepeatAcrossInstances() throws Exception {
        String prefix = "aigw:test:rr:" + UUID.randomUUID() + ":";
        RedisRoundRobin a = new RedisRoundRobin(redis, prefix, 8, T);
        RedisRoundRobin b = new RedisRoundRobin(redis, prefix, 8, T);
        // first calls reserve blocks in the background (local counter meanwhile)
        a.next("g");
        b.next("g");
        Thread.sleep(300);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long x = (i % 2 == 0 ? a : b).next("g");
            assertTrue(seen.add(x), "position " + x + " handed out twice");
            if (i % 4 == 3) {
                Thread.sleep(20); // traffic slower than a Redis round trip per half block: reservations land in time
            }
        }
        redis.key().del(prefix + "g").await().atMost(T);
    }

    @Test
    void redisDownMeansLocalStatisticsNotFailures() throws Exception {
        Redis client = unreachableRedis();
        ReactiveRedisDataSource down = new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
        LatencyStats local = new LatencyStats(down, "aigw:test:latency:" + UUID.randomUUID(), 0.5, T);
        local.record("p/m", 100);
        local.record("p/m", 300);
        local.sync().await().atMost(T.multipliedBy(3)); // the commands fail: recovered, never fails
        assertEquals(200, local.latencyMs("p/m"), 0.001);
        RedisRoundRobin rr = new RedisRoundRobin(down, "aigw:test:rr:" + UUID.randomUUID() + ":", 8, T);
        for (int i = 0; i < 5; i++) {
            assertEquals(i, rr.next("g"));
        }
        client.close();
    }
}
