package io.aigateway.routing.configtopic;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.config.BreakerReset;
import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.contracts.config.ModelGroup;
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.routing.breaker.BreakerResets;
import io.aigateway.routing.breaker.ProviderBreakers;
import io.aigateway.routing.catalog.CatalogService;
import io.aigateway.routing.config.ConfigTopicConfig;
import io.aigateway.routing.metrics.RoutingMetrics;
import io.aigateway.routing.route.ModelGroups;
import io.aigateway.support.kafka.ConfigTopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * Follows {@code ai.config.v1} (docs/architecture.md, "Configuration at run time") with service-support's
 * {@link ConfigTopicFollower}: read whole from the beginning at start, then followed; each record is applied on the
 * follower's thread as it arrives (well within the 2 s the issue allows):
 * <ul>
 *   <li>{@code provider:<id>} → the override applied to the catalog routing holds and to every later read of it, and
 *       the catalog re-read from adapter-service shortly after (not for the history read at start);</li>
 *   <li>{@code group:<name>} → replaces the file's group of that name (tombstone: the file's group, or none);</li>
 *   <li>{@code breaker-reset:<provider>} → closes that provider's breaker once ({@link BreakerResets}).</li>
 * </ul>
 * Kafka down or the topic missing: routing runs on the file and adapter's catalog, the follower retries, and the
 * readiness details say so ({@link #status()}).
 */
@ApplicationScoped
public class ConfigTopicListener implements ConfigTopicFollower.Listener {

    private static final Logger LOG = Logger.getLogger(ConfigTopicListener.class);
    private static final ObjectMapper JSON = Json.newMapper();

    private final ConfigTopicConfig config;
    private final CatalogService catalog;
    private final ModelGroups groups;
    private final ProviderBreakers breakers;
    private final RoutingMetrics metrics;
    private final BreakerResets resets = new BreakerResets(Instant.now());
    private volatile ConfigTopicFollower follower;
    private volatile boolean overridesInHistory;

    public ConfigTopicListener(ConfigTopicConfig config, CatalogService catalog, ModelGroups groups,
                               ProviderBreakers breakers, RoutingMetrics metrics) {
        this.config = config;
        this.catalog = catalog;
        this.groups = groups;
        this.breakers = breakers;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.enabled()) {
            LOG.infof("%s not followed (aigw.config-topic.enabled=false)", config.topic());
            return;
        }
        follower = new ConfigTopicFollower(config.bootstrapServers(), config.topic(),
                "routing-service-config-" + UUID.randomUUID(), this, config.retryInterval()).start();
    }

    void stop(@Observes ShutdownEvent ev) {
        ConfigTopicFollower f = follower;
        if (f != null) {
            f.close();
        }
    }

    /** For the readiness details: {@code following}, {@code reading}, {@code off}, or {@code config topic not read: <why>}. */
    public String status() {
        ConfigTopicFollower f = follower;
        if (f == null) {
            return "off";
        }
        String error = f.lastError();
        if (error != null) {
            return "config topic not read: " + error;
        }
        return f.caughtUp() ? "following" : "reading";
    }

    /** Records read so far (0 when not following). */
    public long records() {
        ConfigTopicFollower f = follower;
        return f == null ? 0 : f.records();
    }

    @Override
    public void onRecord(String key, String value) {
        String kind = apply(key, value, follower != null && follower.caughtUp());
        metrics.configRecord(kind);
    }

    /** After the history: one catalog re-read when it held provider overrides (adapter may have changed since). */
    @Override
    public void onCaughtUp() {
        if (overridesInHistory) {
            catalog.refresh().subscribe().with(x -> { }, t -> { });
        }
    }

    /**
     * Applies one record. @param live false while the history at start is read (no catalog re-reads then: the start
     * read comes anyway). @return the metric's kind
     */
    String apply(String key, String value, boolean live) {
        try {
            String id;
            if ((id = ConfigKeys.idOf(key, ConfigKeys.PROVIDER)) != null) {
                ProviderOverride o = value == null ? null : JSON.readValue(value, ProviderOverride.class);
                catalog.override(id, o, live);
                overridesInHistory |= !live;
                LOG.infof("provider %s override %s", LogSafe.escape(id),
                        o == null ? "removed" : "applied (revision " + o.revision() + ")");
                return "provider";
            }
            if ((id = ConfigKeys.idOf(key, ConfigKeys.GROUP)) != null) {
                ModelGroup g = value == null ? null : JSON.readValue(value, ModelGroup.class);
                groups.publish(id, g);
                LOG.infof("model group %s %s", LogSafe.escape(id), g == null ? "back to the file's" : "replaced: " + g.members());
                return "group";
            }
            if ((id = ConfigKeys.idOf(key, ConfigKeys.BREAKER_RESET)) != null) {
                BreakerReset r = value == null ? null : JSON.readValue(value, BreakerReset.class);
                if (resets.accept(id, r) && breakers.state(id) != null) {
                    breakers.reset(id); // a provider without a breaker yet has a closed one
                }
                return "breaker-reset";
            }
            return "other";
        } catch (IOException e) {
            LOG.warnf("%s record %s not applied: %s", config.topic(), LogSafe.escape(key), e.getMessage());
            return "invalid";
        }
    }
}
