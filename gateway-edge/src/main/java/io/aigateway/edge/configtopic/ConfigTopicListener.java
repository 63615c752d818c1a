package io.aigateway.edge.configtopic;

import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.edge.config.ConfigTopicConfig;
import io.aigateway.edge.models.ModelsHandler;
import io.aigateway.edge.quota.ModelPrices;
import io.aigateway.support.kafka.ConfigTopicFollower;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows {@code ai.config.v1} (service-support's {@link ConfigTopicFollower}) for one purpose: the edge holds what
 * routing-service derives from it, the model prices its quota reservations use ({@link ModelPrices}) and the
 * {@code /v1/models} answer ({@link ModelsHandler}). After a {@code provider:} or {@code group:} record read live
 * (not the history at start: the edge reads both fresh at start), both are re-read from routing after each
 * {@code aigw.edge.config-topic.reload-after} delay, so that a price change is used within about 1 s. Records of a
 * burst (within 200 ms) share one set of re-reads. The edge itself applies nothing: routing owns the state.
 * Kafka down: the periodic re-read ({@code aigw.quota.prices-refresh}) remains; the readiness details say so.
 */
@ApplicationScoped
public class ConfigTopicListener implements ConfigTopicFollower.Listener {

    private static final Logger LOG = Logger.getLogger(ConfigTopicListener.class);
    private static final long BURST_NANOS = Duration.ofMillis(200).toNanos();

    private final ConfigTopicConfig config;
    private final ModelPrices prices;
    private final ModelsHandler models;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong lastScheduled = new AtomicLong(System.nanoTime() - BURST_NANOS * 2);
    private volatile ConfigTopicFollower follower;

    public ConfigTopicListener(ConfigTopicConfig config, ModelPrices prices, ModelsHandler models, Vertx vertx,
                               MeterRegistry registry) {
        this.config = config;
        this.prices = prices;
        this.models = models;
        this.vertx = vertx;
        this.registry = registry;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.enabled()) {
            LOG.infof("%s not followed (aigw.edge.config-topic.enabled=false)", config.topic());
            return;
        }
        follower = new ConfigTopicFollower(config.bootstrapServers(), config.topic(),
                "gateway-edge-config-" + UUID.randomUUID(), this, config.retryInterval()).start();
    }

    void stop(@Observes ShutdownEvent ev) {
        ConfigTopicFollower f = follower;
        if (f != null) {
            f.close();
        }
    }

    /** {@code following}, {@code reading}, {@code off}, or {@code config topic not read: <why>}. */
    public String status() {
        ConfigTopicFollower f = follower;
        if (f == null) {
            return "off";
        }
        if (f.lastError() != null) {
            return "config topic not read: " + f.lastError();
        }
        return f.caughtUp() ? "following" : "reading";
    }

    @Override
    public void onRecord(String key, String value) {
        String kind = ConfigKeys.idOf(key, ConfigKeys.PROVIDER) != null ? "provider"
                : ConfigKeys.idOf(key, ConfigKeys.GROUP) != null ? "group" : "other";
        counters.computeIfAbsent(kind, k -> Counter.builder("aigw.config.records")
                .description("Records of ai.config.v1 handled, by kind").tag("kind", k).register(registry)).increment();
        ConfigTopicFollower f = follower;
        if (!"other".equals(kind) && f != null && f.caughtUp()) {
            reloadSoon();
        }
    }

    /** Schedules the re-reads, unless a record of the same burst already did. */
    void reloadSoon() {
        long now = System.nanoTime();
        long last = lastScheduled.get();
        if (now - last < BURST_NANOS || !lastScheduled.compareAndSet(last, now)) {
            return;
        }
        for (Duration d : config.reloadAfter()) {
            vertx.setTimer(Math.max(1, d.toMillis()), id -> {
                models.invalidate();
                prices.reload();
            });
        }
    }
}
