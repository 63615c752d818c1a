package io.aigateway.usage.providerhealth;

import io.aigateway.usage.testsupport.UsageTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test producer for ai.health.v1 and ai.alerts.v1 on the test broker: each send waits for the broker's ack. */
public final class HistoryTopics {

    private static KafkaProducer<String, String> producer;

    private HistoryTopics() {
    }

    public static synchronized void send(String topic, String key, String value) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, UsageTopic.bootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> producer.close(Duration.ofSeconds(2))));
        }
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }
}
