package io.aigateway.usage.testsupport;

import io.aigateway.contracts.usage.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** Test access to {@code ai.usage.v1} and its DLQ on the test broker. */
public final class UsageTopic {

    private UsageTopic() {
    }

    public static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /**
     * Sends the values with one key in one producer batch (one partition, consecutive offsets, one fetch), so the
     * consumer gets them in one poll; returns where the last one landed.
     */
    public static RecordMetadata sendBatch(String key, List<String> values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "60000",
                ProducerConfig.BATCH_SIZE_CONFIG, "1048576",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(values.size());
            for (String value : values) {
                sent.add(producer.send(new ProducerRecord<>(Topics.USAGE, key, value)));
            }
            producer.flush();
            RecordMetadata last = null;
            for (Future<RecordMetadata> f : sent) {
                last = f.get(30, TimeUnit.SECONDS);
            }
            return last;
        }
    }

    /** The offset the consumer group {@code usage-service} has committed for the partition, -1 when none. */
    public static long committedOffset(TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("usage-service")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(partition);
            return committed == null ? -1 : committed.offset();
        }
    }

    /** Waits until every marker was seen in a record of the DLQ (markers are removed as they are found). */
    public static void awaitInDlq(Set<String> markers) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            // the consumer is not thread-safe: every call on the test's thread
            List<TopicPartition> partitions = await(Topics.USAGE_DLQ + " exists").atMost(Duration.ofSeconds(30))
                    .pollInSameThread().pollDelay(Duration.ZERO)
                    .until(() -> consumer.partitionsFor(Topics.USAGE_DLQ).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList(), p -> !p.isEmpty());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await(markers + " in " + Topics.USAGE_DLQ).atMost(Duration.ofSeconds(30))
                    .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                            String v = r.value() == null ? "" : r.value();
                            markers.removeIf(v::contains);
                        }
                        return markers.isEmpty();
                    });
        }
    }
}
