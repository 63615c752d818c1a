package io.aigateway.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.Topics;
import io.aigateway.contracts.usage.UsageEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

/** Reads the real {@code ai.usage.v1} topic of the test broker, with a group of its own. */
public final class UsageTopicReader implements AutoCloseable {

    /** @param traceparent the record's {@code traceparent} header, null when it has none */
    public record Found(String key, UsageEvent event, String traceparent) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final ObjectMapper mapper = Json.newMapper();
    private final Map<String, Found> byRequestId = new HashMap<>();

    public UsageTopicReader() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("aigw.test.kafka", "127.0.0.1:19092"));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "routing-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(Topics.USAGE));
    }

    /** Consumes the topic until the event of {@code requestId} has been seen; fails after {@code timeout}. */
    public Found await(String requestId, Duration timeout) {
        // the consumer is not thread-safe: every poll on the test's thread
        return Awaitility.await("usage event for request " + requestId + " on " + Topics.USAGE)
                .atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    if (!byRequestId.containsKey(requestId)) {
                        consume();
                    }
                    return byRequestId.get(requestId);
                }, Objects::nonNull);
    }

    private void consume() {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            UsageEvent e;
            try {
                e = mapper.readValue(r.value(), UsageEvent.class);
            } catch (Exception notOurs) {
                continue; // other producers' test records on the shared broker
            }
            if (e.requestId() != null) {
                var tp = r.headers().lastHeader("traceparent");
                byRequestId.put(e.requestId(), new Found(r.key(), e,
                        tp == null ? null : new String(tp.value(), java.nio.charset.StandardCharsets.US_ASCII)));
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
