package io.aigateway.usage.records.listener;

import io.aigateway.contracts.usage.Topics;
import io.aigateway.usage.config.UsageConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates {@code ai.usage.v1} (6 partitions), {@code ai.usage.v1.dlq} and {@code ai.alerts.v1} (quota alerts,
 * produced here) if missing, before the consumer
 * subscribes (so a consumer started before the producer does not get a broker-default topic). Non-fatal.
 */
@ApplicationScoped
public class UsageTopicsInitializer {

    private static final Logger LOG = Logger.getLogger(UsageTopicsInitializer.class);

    private final UsageConfig.Topics config;
    private final KafkaAdminProvider admins;

    public UsageTopicsInitializer(UsageConfig config, KafkaAdminProvider admins) {
        this.config = config.topics();
        this.admins = admins;
    }

    // Runs before SmallRye Reactive Messaging starts the channels (it observes at LIBRARY_BEFORE).
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 100) StartupEvent event) {
        if (!config.createAtStart()) {
            return;
        }
        int timeoutMs = (int) config.timeout().toMillis();
        try {
            Admin admin = admins.admin();
            List<NewTopic> topics = List.of(
                    new NewTopic(Topics.USAGE, Optional.of(config.usagePartitions()), Optional.empty()),
                    new NewTopic(Topics.USAGE_DLQ, Optional.empty(), Optional.empty()),
                    new NewTopic(Topics.ALERTS, Optional.empty(), Optional.empty()));
            admin.createTopics(topics, new CreateTopicsOptions().timeoutMs(timeoutMs)).values().forEach((name, future) -> {
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
