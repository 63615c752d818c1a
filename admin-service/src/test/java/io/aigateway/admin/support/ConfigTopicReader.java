package io.aigateway.admin.support;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Reads admin-service's configuration topic in tests (plain consumer, manual assignment, no group). */
public final class ConfigTopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final TopicPartition partition;

    public ConfigTopicReader(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
    }

    /** The end offset now (records after it are new). */
    public long end() {
        return consumer.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
    }

    /** Every record of {@code key} from {@code offset} up to the current end. */
    public List<ConsumerRecord<String, String>> records(String key, long offset) {
        long end = end();
        consumer.seek(partition, offset);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (consumer.position(partition) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.key().equals(key)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
