package io.aigateway.usage.records.listener;

import io.aigateway.contracts.usage.Topics;
import io.aigateway.usage.config.UsageConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates {@code ai.usage.v1} (6 partitions) and {@code ai.usage.v1.dlq} if missing, before the consumer
 * subscribes (so a consumer started before the producer does not get a broker-default topic). Non-fatal.
 */
@ApplicationScoped
public class UsageTopicsInitializer {

    private static final Logger LOG = Logger.getLogger(UsageTopicsInitializer.class);

    private final UsageConfig.Topics config;
    private final Map<String, Object> kafkaConfig;

    public UsageTopicsInitializer(UsageConfig config,
                                  @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config.topics();
        this.kafkaConfig = kafkaConfig;
    }

    // Runs before SmallRye Reactive Messaging starts the channels (it observes at LIBRARY_BEFORE).
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 100) StartupEvent event) {
        if (!config.createAtStart()) {
            return;
        }
        Set<String> known = AdminClientConfig.configNames();
        Map<String, Object> adminConfig = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (known.contains(k)) {
                adminConfig.put(k, v);
            }
        });
        int timeoutMs = (int) config.timeout().toMillis();
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        try (Admin admin = Admin.create(adminConfig)) {
            List<NewTopic> topics = List.of(
                    new NewTopic(Topics.USAGE, Optional.of(config.usagePartitions()), Optional.empty()),
                    new NewTopic(Topics.USAGE_DLQ, Optional.empty(), Optional.empty()));
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.infof("Created Kafka topic %s", name);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        LOG.debugf("Kafka topic %s exists", name);
                    } else {
                        LOG.warnf("Could not create Kafka topic %s: %s", name, String.valueOf(e.getCause()));
                    }
                } catch (TimeoutException e) {
                    LOG.warnf("Timed out creating Kafka topic %s", name);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("Could not check Kafka topics at start: %s", e.toString());
        }
    }
}
