package io.aigateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broker config; and a real broker on free ports with a produce/consume round trip (slow, ~15 s). */
class KafkaMainTest {

    @TempDir
    Path dataDir;

    @Test
    void serverPropertiesAreSingleNode() {
        var broker = new KafkaMain.Broker("127.0.0.1", 41000, 41001, dataDir, KafkaMain.parseOverrides("num.partitions=3"));
        Properties p = broker.serverProperties();
        assertEquals("1", p.getProperty("offsets.topic.replication.factor"));
        assertEquals("1", p.getProperty("transaction.state.log.min.isr"));
        assertEquals("1", p.getProperty("share.coordinator.state.topic.replication.factor"));
        assertEquals("0", p.getProperty("group.initial.rebalance.delay.ms"));
        assertEquals("true", p.getProperty("auto.create.topics.enable"));
        assertEquals("3", p.getProperty("num.partitions"), "overrides win");
        assertEquals("PLAINTEXT://127.0.0.1:41000,CONTROLLER://127.0.0.1:41001", p.getProperty("listeners"));
        assertEquals(dataDir.resolve("logs").toString(), p.getProperty("log.dirs"));
    }

    @Test
    @Tag("slow") // run with -Dinfra.slow.tests=true; deploy/bin/test exercises KafkaMain on every run anyway
    void startsOnFreePortsAndRoundTrips() throws Exception {
        int port = Net.freePort();
        int controllerPort;
        do {
            controllerPort = Net.freePort();
        } while (controllerPort == port);
        String topic = "infra-test-" + UUID.randomUUID();
        try (var broker = new KafkaMain.Broker("127.0.0.1", port, controllerPort, dataDir, Map.of())) {
            broker.startAndAwaitReady(Duration.ofSeconds(60));
            assertTrue(Files.exists(dataDir.resolve("logs/meta.properties")), "storage formatted");
            assertTrue(Net.listening("127.0.0.1", port));

            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "hello")).get();
            }
            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, "infra-test-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                ConsumerRecord<String, String> got = null;
                while (got == null && System.nanoTime() < deadline) {
                    for (var r : consumer.poll(Duration.ofMillis(500))) {
                        got = r;
                    }
                }
                assertTrue(got != null, "record consumed");
                assertEquals("k", got.key());
                assertEquals("hello", got.value());
            }
        }
        assertFalse(Net.listening("127.0.0.1", port), "broker stopped on close");
    }
}
