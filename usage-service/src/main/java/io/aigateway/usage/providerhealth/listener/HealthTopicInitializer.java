package io.aigateway.usage.providerhealth.listener;

import io.aigateway.contracts.usage.Topics;
import io.aigateway.usage.config.UsageConfig;
import io.aigateway.usage.providerhealth.config.HealthHistoryConfig;
import io.aigateway.usage.records.listener.KafkaAdminProvider;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates {@code ai.health.v1} (3 partitions, 30 days' retention by default) if missing, before the consumer
 * subscribes, like {@code UsageTopicsInitializer} (which creates {@code ai.alerts.v1}). Non-fatal; follows
 * {@code aigw.usage.topics.create-at-start}. adapter-service, the producer, may create it with the same settings.
 */
@ApplicationScoped
public class HealthTopicInitializer {

    private static final Logger LOG = Logger.getLogger(HealthTopicInitializer.class);

    private final UsageConfig.Topics topics;
    private final HealthHistoryConfig.Topic topic;
    private final KafkaAdminProvider admins;

    public HealthTopicInitializer(UsageConfig usage, HealthHistoryConfig config, KafkaAdminProvider admins) {
        this.topics = usage.topics();
        this.topic = config.topic();
        this.admins = admins;
    }

    // Before SmallRye Reactive Messaging starts the channels (it observes at LIBRARY_BEFORE).
    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 100) StartupEvent event) {
        if (!topics.createAtStart()) {
            return;
        }
        int timeoutMs = (int) topics.timeout().toMillis();
        NewTopic health = new NewTopic(Topics.HEALTH, Optional.of(topic.partitions()), Optional.empty())
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().toMillis())));
        try {
            admins.admin().createTopics(List.of(health), new CreateTopicsOptions().timeoutMs(timeoutMs)).all()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            LOG.infof("Created Kafka topic %s", Topics.HEALTH);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                LOG.debugf("Kafka topic %s exists", Topics.HEALTH);
            } else {
                LOG.warnf("Could not create Kafka topic %s: %s", Topics.HEALTH, String.valueOf(e.getCause()));
            }
        } catch (TimeoutException e) {
            LOG.warnf("Timed out creating Kafka topic %s", Topics.HEALTH);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("Could not check Kafka topic %s at start: %s", Topics.HEALTH, e.toString());
        }
    }
}
