package io.aigateway.adapter.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.contracts.internal.Json;
import io.aigateway.support.kafka.ConfigTopicFollower;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies the {@code provider:<id>} records of {@code ai.config.v1} to the catalog: every instance reads the topic
 * whole from the beginning and follows it (service-support's {@link ConfigTopicFollower}, its own thread), so a
 * change applies within the follower's poll (≈ 250 ms) and survives restarts. A tombstone brings the file's settings
 * back. Records for unknown providers, and records that cannot be read or are invalid, are logged and skipped; other
 * keys (groups, breaker resets) are routing's. Kafka down at start: the file's catalog serves (the readiness check
 * says so) and the topic is applied when Kafka comes.
 *
 * <p>Metric: {@code aigw_config_records_total{service="adapter",outcome=applied|invalid|unknown_provider|other_key}}.
 */
@ApplicationScoped
public class ProviderOverrideFollower {

    private static final Logger LOG = Logger.getLogger(ProviderOverrideFollower.class);

    private final ProviderCatalog catalog;
    private final AigwConfig.ConfigTopic config;
    private final String bootstrap;
    private final ObjectMapper json = Json.newMapper();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private volatile ConfigTopicFollower follower;

    public ProviderOverrideFollower(ProviderCatalog catalog, AigwConfig config, MeterRegistry registry,
                                    @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.catalog = catalog;
        this.config = config.configTopic();
        this.bootstrap = bootstrap;
        for (String outcome : List.of("applied", "invalid", "unknown_provider", "other_key")) {
            outcomes.put(outcome, Counter.builder("aigw.config.records")
                    .description("ai.config.v1 records read, by what was done with them")
                    .tags("service", "adapter", "outcome", outcome).register(registry));
        }
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("run-time configuration is off (aigw.config-topic.enabled=false): the file's catalog only");
            return;
        }
        follower = new ConfigTopicFollower(bootstrap, config.name(), "adapter-service-config", new ConfigTopicFollower.Listener() {
            @Override
            public void onRecord(String key, String value) {
                ProviderOverrideFollower.this.onRecord(key, value);
            }

            @Override
            public void onCaughtUp() {
                LOG.infof("%s read whole: provider overrides applied", config.name());
            }
        }, config.retry()).start();
    }

    void stop(@Observes ShutdownEvent event) {
        ConfigTopicFollower f = follower;
        if (f != null) {
            f.close();
        }
    }

    /** One record (value null: tombstone). Never throws: a bad record is logged and skipped. */
    void onRecord(String key, String value) {
        String id = ConfigKeys.idOf(key, ConfigKeys.PROVIDER);
        if (id == null) {
            count("other_key");
            return;
        }
        if (catalog.managed(id) == null) {
            LOG.warnf("%s: record %s names no provider of this catalog; ignored", config.name(), key);
            count("unknown_provider");
            return;
        }
        ProviderOverride override = null;
        if (value != null) {
            try {
                override = json.readValue(value, ProviderOverride.class);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("%s: record %s cannot be read (%s); ignored, provider %s keeps its settings", config.name(),
                        key, e.getClass().getSimpleName(), id);
                count("invalid");
                return;
            }
            if (override == null) {
                count("invalid");
                return;
            }
            List<String> problems = ProviderOverrides.problems(override);
            if (!problems.isEmpty()) {
                LOG.warnf("%s: record %s (revision %d) is invalid (%s); ignored, provider %s keeps its settings",
                        config.name(), key, override.revision(), String.join("; ", problems), id);
                count("invalid");
                return;
            }
        }
        catalog.apply(id, override);
        count("applied");
    }

    private void count(String outcome) {
        outcomes.get(outcome).increment();
    }

    /** For the readiness details: what the follower is doing. */
    public String status() {
        ConfigTopicFollower f = follower;
        if (!config.enabled()) {
            return "off (file catalog only)";
        }
        if (f == null) {
            return "starting";
        }
        String error = f.lastError();
        if (error != null) {
            return "degraded: " + config.name() + " not read (" + error + "); serving "
                    + (f.caughtUp() ? "the last overrides read" : "the file's catalog");
        }
        return f.caughtUp() ? "following " + config.name() + " (" + f.records() + " records)" : "reading " + config.name();
    }
}
