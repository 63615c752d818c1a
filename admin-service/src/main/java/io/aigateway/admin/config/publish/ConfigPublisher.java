package io.aigateway.admin.config.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.admin.config.store.ConfigStore;
import io.aigateway.contracts.internal.Json;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The only producer of {@code ai.config.v1}. Plain kafka-clients rather than quarkus-messaging-kafka: this needs an
 * admin client (create the compacted topic, read its end offset to see that it was wiped), tombstones (null values
 * with a key), and to know per record whether Kafka acknowledged it within a deadline, so that the answer can say
 * "stored, not published" and the row's {@code published_revision} is only moved by an acknowledgement; an emitter
 * buffering into a channel gives none of these cleanly.
 * <p>
 * <b>One thread, the current state.</b> Every publication runs on one thread of its own (kafka-clients blocks
 * while it has no metadata, never on an event loop) and sends the row's <em>current</em> stored value, read at that
 * moment, then waits for the acknowledgement ({@code acks=all}, idempotent producer, one partition). So records of a
 * key reach the topic in revision order, and the last one is always the newest stored state, whatever the order in
 * which concurrent changes asked to be published. The request path and the republish job use the same path.
 */
@ApplicationScoped
public class ConfigPublisher {

    private static final Logger LOG = Logger.getLogger(ConfigPublisher.class);

    private final ConfigStore store;
    private final ConfigPublishConfig config;
    private final ObjectMapper json = Json.newMapper();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "aigw-config-publisher");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean topicReady = new AtomicBoolean();
    private volatile KafkaProducer<String, String> producer;
    private volatile Admin admin;

    public ConfigPublisher(ConfigStore store, ConfigPublishConfig config) {
        this.store = store;
        this.config = config;
    }

    public String topic() {
        return config.topic();
    }

    /** Publishes the current stored state of {@code key}; true when Kafka acknowledged it in time. */
    public Uni<Boolean> publish(String key) {
        return onThread(() -> publishNow(key));
    }

    /** Sends one record that is not stored (a breaker reset); true when Kafka acknowledged it in time. */
    public Uni<Boolean> send(String key, Object value) {
        return onThread(() -> {
            try {
                return sendNow(key, json.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        });
    }

    /**
     * Creates the topic when missing (and marks every row unpublished when the topic is new or empty, so a wiped
     * topic is rebuilt), then publishes every row whose newest revision is not acknowledged. The number published.
     */
    public Uni<Integer> republish() {
        return onThread(this::republishNow);
    }

    private <T> Uni<T> onThread(java.util.function.Supplier<T> work) {
        return Uni.createFrom().completionStage(() -> CompletableFuture.supplyAsync(work, thread));
    }

    int republishNow() {
        if (!ensureTopic()) {
            return 0;
        }
        List<String> keys = store.unpublishedKeys().await().atMost(timeout());
        int done = 0;
        for (String key : keys) {
            if (!publishNow(key)) {
                break; // Kafka unreachable again: the next run goes on
            }
            done++;
        }
        if (done > 0) {
            LOG.infof("Republished %d configuration record(s) on %s", done, config.topic());
        }
        return done;
    }

    boolean publishNow(String key) {
        try {
            if (!ensureTopic()) {
                return false;
            }
            ConfigStore.Stored row = store.find(key).await().atMost(timeout());
            if (row == null || row.published()) {
                return true; // nothing stored, or this revision is on the topic already (the republish job was first)
            }
            String value = row.value() == null ? null : json.writeValueAsString(row.value());
            if (!sendNow(key, value)) {
                return false;
            }
            store.markPublished(key, row.revision()).await().atMost(timeout());
            return true;
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.warnf("Could not publish %s: %s", key, e.getClass().getName());
            return false;
        }
    }

    private boolean sendNow(String key, String value) {
        try {
            producer().send(new ProducerRecord<>(config.topic(), key, value))
                    .get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warnf("Kafka did not acknowledge %s on %s in time (%s): stored, to be republished", key,
                    config.topic(), cause.getClass().getSimpleName());
            return false;
        }
    }

    private boolean ensureTopic() {
        if (topicReady.get()) {
            return true;
        }
        long ms = config.sendTimeout().toMillis();
        try {
            NewTopic topic = new NewTopic(config.topic(), Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            boolean created;
            try {
                admin().createTopics(List.of(topic)).all().get(ms, TimeUnit.MILLISECONDS);
                created = true;
                LOG.infof("Created topic %s (1 partition, compacted)", config.topic());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                created = false;
            }
            TopicPartition p0 = new TopicPartition(config.topic(), 0);
            long end = admin().listOffsets(Map.of(p0, OffsetSpec.latest())).partitionResult(p0)
                    .get(ms, TimeUnit.MILLISECONDS).offset();
            if (created || end == 0) {
                int n = store.markAllUnpublished().await().atMost(timeout());
                if (n > 0) {
                    LOG.infof("Topic %s is new or empty: all %d stored configuration records will be published",
                            config.topic(), n);
                }
            }
            topicReady.set(true);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warnf("Kafka unavailable, topic %s not checked yet (%s): changes are stored and published later",
                    config.topic(), cause.getClass().getSimpleName());
            return false;
        }
    }

    private Duration timeout() {
        return config.sendTimeout().plusSeconds(5);
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            int ms = (int) config.sendTimeout().toMillis();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "admin-service-config");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms * 2);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private Admin admin() {
        if (admin == null) {
            int ms = (int) config.sendTimeout().toMillis();
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            p.put(AdminClientConfig.CLIENT_ID_CONFIG, "admin-service-config-admin");
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
            p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
            admin = Admin.create(p);
        }
        return admin;
    }

    @PreDestroy
    void close() {
        thread.shutdownNow();
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
