package io.aigateway.routing.usage;

import io.aigateway.contracts.usage.Topics;
import io.aigateway.routing.config.UsageConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Creates {@code ai.usage.v1} (6 partitions) at start when missing; never fails start (Kafka may be down). */
@ApplicationScoped
public class UsageTopicInitializer {

    private static final Logger LOG = Logger.getLogger(UsageTopicInitializer.class);

    private final String bootstrap;
    private final UsageConfig config;

    public UsageTopicInitializer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, UsageConfig config) {
        this.bootstrap = bootstrap;
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        if (config.createTopic()) {
            Infrastructure.getDefaultWorkerPool().execute(this::createTopic);
        }
    }

    void createTopic() {
        Map<String, Object> props = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.CLIENT_ID_CONFIG, "routing-service-admin");
        try (Admin admin = Admin.create(props)) {
            if (admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(Topics.USAGE)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(Topics.USAGE, Optional.of(Topics.USAGE_PARTITIONS), Optional.empty())))
                    .all().get(10, TimeUnit.SECONDS);
            LOG.infof("created topic %s with %d partitions", Topics.USAGE, Topics.USAGE_PARTITIONS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("could not create topic %s (continuing): %s", Topics.USAGE, e.getCause().getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("could not create topic %s (continuing): %s", Topics.USAGE, e.getMessage());
        }
    }
}
