package io.aigateway.support.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a compacted configuration topic ({@code ai.config.v1}) whole from the beginning and follows it, on its own
 * thread, handing every record (key, value or null for a tombstone) to a {@link Listener} in offset order.
 *
 * <p>Every instance must see every record, so there is no consumer group: the partitions are assigned manually
 * (no rebalance delay at start, nothing committed). While Kafka or the topic is missing it retries every
 * {@code retry}; after a lost connection the client resumes at its position. Plain kafka-clients rather than a
 * SmallRye channel: a channel is a consumer group (a group per instance would leave a committed group behind per
 * restart) and cannot be told "from the beginning, every time".
 */
public final class ConfigTopicFollower implements AutoCloseable {

    /** Called on the follower's thread: keep it short and thread-safe. */
    public interface Listener {
        /** @param value null for a tombstone */
        void onRecord(String key, String value);

        /** Once, when the records that were on the topic at start have all been handed over. */
        default void onCaughtUp() {
        }
    }

    private static final Logger LOG = Logger.getLogger(ConfigTopicFollower.class);

    private final String topic;
    private final Listener listener;
    private final Duration retry;
    private final Properties props;
    private final AtomicLong records = new AtomicLong();
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean closed;
    private volatile String lastError;
    private volatile KafkaConsumer<String, String> consumer;

    public ConfigTopicFollower(String bootstrapServers, String topic, String clientId, Listener listener, Duration retry) {
        this.topic = topic;
        this.listener = listener;
        this.retry = retry;
        props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(2000, retry.toMillis() * 2)));
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
        thread = new Thread(this::run, "aigw-config-follower");
        thread.setDaemon(true);
    }

    public ConfigTopicFollower start() {
        thread.start();
        return this;
    }

    /** Whether the records that were on the topic when the follower started have been handed over. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Records handed over so far. */
    public long records() {
        return records.get();
    }

    /** The last failure (Kafka or the topic missing), null once records flow. */
    public String lastError() {
        return lastError;
    }

    private void run() {
        while (!closed) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props)) {
                consumer = c;
                if (closed) {
                    return;
                }
                List<TopicPartition> partitions = partitions(c);
                if (partitions.isEmpty()) {
                    lastError = "topic " + topic + " does not exist yet";
                    sleep();
                    continue;
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(partitions));
                follow(c, partitions, end);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warnf("%s not read (%s); retrying in %s", topic, lastError, retry);
                sleep();
            } finally {
                consumer = null;
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic);
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            for (PartitionInfo p : infos) {
                out.add(new TopicPartition(p.topic(), p.partition()));
            }
        }
        return out;
    }

    private void follow(KafkaConsumer<String, String> c, List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        long lastPartitionCheck = System.nanoTime();
        while (!closed) {
            ConsumerRecords<String, String> batch = c.poll(Duration.ofMillis(250));
            for (ConsumerRecord<String, String> r : batch) {
                records.incrementAndGet();
                try {
                    listener.onRecord(r.key(), r.value());
                } catch (RuntimeException e) {
                    // one bad record never stops the follower
                    LOG.warnf("%s record %s@%d not applied (%s)", topic, r.key(), r.offset(), e.toString());
                }
            }
            lastError = null;
            if (!caughtUp && reached(c, end)) {
                caughtUp = true;
                LOG.debugf("%s read to its end at start (%d records)", topic, records.get());
                listener.onCaughtUp();
            }
            if (System.nanoTime() - lastPartitionCheck > Duration.ofSeconds(30).toNanos()) {
                lastPartitionCheck = System.nanoTime();
                if (partitions(c).size() != partitions.size()) {
                    return; // partitions were added: assign them all again (from the beginning: the state is replayed whole)
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<String, String> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void sleep() {
        try {
            Thread.sleep(retry.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
