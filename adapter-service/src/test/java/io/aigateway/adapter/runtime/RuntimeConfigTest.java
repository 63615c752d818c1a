package io.aigateway.adapter.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.aigateway.adapter.catalog.ProviderCatalog;
import io.aigateway.adapter.catalog.ProviderOverrides;
import io.aigateway.adapter.conformance.DeepSeekWireStubs;
import io.aigateway.adapter.conformance.OpenAiWireStubs;
import io.aigateway.adapter.conformance.WireMockProviderResource;
import io.aigateway.adapter.health.ProviderHealthMonitor;
import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.contracts.health.ProviderAlert;
import io.aigateway.contracts.health.ProviderHealthEvent;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run-time configuration end to end inside adapter-service: {@code provider:<id>} records published on the
 * (test run's) configuration topic change {@code GET /internal/v1/providers} and the next chat within 2 s; health
 * checks publish transitions and one alert per outage.
 */
@QuarkusTest
@TestProfile(RuntimeConfigTestProfile.class)
class RuntimeConfigTest {

    private static final String ROUTING = "test-internal-token";
    /**
     * The service applies a record within the follower's poll (≈ 250 ms; the target is 2 s); the bound here is wider
     * because the build machine's CPUs are shared with other builds.
     */
    private static final Duration APPLIED_WITHIN = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = Json.newMapper();
    private static KafkaProducer<String, String> producer;

    @WireMockProviderResource.InjectWireMock
    WireMockServer wireMock;

    @Inject
    ProviderHealthMonitor monitor;

    @Inject
    ProviderCatalog catalog;

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    @BeforeAll
    static void topics() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(p)) {
            create(admin, new NewTopic(RuntimeConfigTestProfile.CONFIG_TOPIC, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            create(admin, new NewTopic(RuntimeConfigTestProfile.HEALTH_TOPIC, 1, (short) 1));
            create(admin, new NewTopic(RuntimeConfigTestProfile.ALERTS_TOPIC, 1, (short) 1));
        }
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(pp);
    }

    private static void create(Admin admin, NewTopic topic) throws InterruptedException {
        try {
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @AfterAll
    static void close() {
        if (producer != null) {
            producer.close();
        }
    }

    private static void publish(String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(RuntimeConfigTestProfile.CONFIG_TOPIC, key, value)).get();
    }

    private final Set<String> touched = new LinkedHashSet<>();

    private void publish(ProviderOverride o) throws Exception {
        touched.add(o.provider());
        publish(ConfigKeys.provider(o.provider()), JSON.writeValueAsString(o));
    }

    /** Every provider a test changed goes back to the file's settings, even when the test failed. */
    @AfterEach
    void tombstones() throws Exception {
        for (String provider : touched) {
            backToTheFile(provider);
        }
        touched.clear();
    }

    private static ProviderOverride override(String provider, Boolean enabled, Integer priority,
                                             Map<String, ProviderOverride.ModelOverride> models,
                                             ProviderOverride.Timeouts timeouts, Integer pool, Integer rate) {
        return new ProviderOverride(provider, enabled, priority, null, models, timeouts, pool, rate, 1, Instant.now(), "test");
    }

    private static JsonPath providers() {
        return given().header(AigwHeaders.INTERNAL_TOKEN, ROUTING).get("/internal/v1/providers")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void awaitProvider(String id, Predicate<JsonPath> condition) {
        String at = "find { it.id == '" + id + "' }";
        await().atMost(APPLIED_WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> condition.test(providers().setRootPath(at)));
    }

    private static Response chat(String provider, String model) {
        return given().header(AigwHeaders.INTERNAL_TOKEN, ROUTING).contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/internal/v1/providers/" + provider + "/chat");
    }

    private static void backToTheFile(String provider) throws Exception {
        publish(ConfigKeys.provider(provider), null);
        awaitProvider(provider, p -> p.get("override") == null && p.getInt("priority") == 0);
    }

    @Test
    void disablingAProviderAndTheTombstoneBringingItBack() throws Exception {
        publish(override("fake", false, null, null, null, null, null));
        awaitProvider("fake", p -> !p.getBoolean("enabled"));
        JsonPath fake = providers().setRootPath("find { it.id == 'fake' }");
        assertEquals(ProviderOverrides.ADMIN_OFF, fake.getString("disabledReason"));
        assertEquals(Boolean.FALSE, fake.get("override.enabled"));
        assertEquals(503, chat("fake", "fake-chat").statusCode());

        backToTheFile("fake");
        assertTrue(providers().setRootPath("find { it.id == 'fake' }").getBoolean("enabled"));
    }

    @Test
    void aProviderWithoutItsKeyStaysDisabled() throws Exception {
        publish(override("openai", true, 2, null, null, null, null));
        awaitProvider("openai", p -> p.getInt("priority") == 2);
        JsonPath openai = providers().setRootPath("find { it.id == 'openai' }");
        assertFalse(openai.getBoolean("enabled"));
        assertTrue(openai.getString("disabledReason").startsWith("no API key"), openai.getString("disabledReason"));
    }

    @Test
    void aDisabledModelIsListedButRefusedAndANewPriceCostsTheNextChat() throws Exception {
        OpenAiWireStubs stubs = new OpenAiWireStubs(wireMock, "/fake/v1", "fake-chat-large");
        stubs.chatJson("ok", 1000, 1000);
        // the first call may miss the test profile's short timeouts while WireMock warms up
        Response before = await().atMost(APPLIED_WITHIN).until(() -> chat("fake", "fake-chat-large"), r -> r.statusCode() == 200);
        assertEquals(0, new BigDecimal("0.020").compareTo(new BigDecimal(before.header(AigwHeaders.COST_USD))));

        publish(override("fake", null, 4, Map.of(
                "fake-chat", new ProviderOverride.ModelOverride(false, null, null, null, null),
                "fake-chat-large", new ProviderOverride.ModelOverride(null, new BigDecimal("1"), new BigDecimal("2"), 64000, 0.99)),
                null, null, null));
        awaitProvider("fake", p -> p.getInt("priority") == 4);
        JsonPath fake = providers().setRootPath("find { it.id == 'fake' }");
        assertEquals(Boolean.FALSE, fake.get("models.find { it.id == 'fake-chat' }.enabled"));
        assertEquals(Boolean.TRUE, fake.get("models.find { it.id == 'fake-chat-large' }.enabled"));
        assertEquals(64000, fake.getInt("models.find { it.id == 'fake-chat-large' }.contextWindow"));
        assertEquals(0.99f, fake.getFloat("models.find { it.id == 'fake-chat-large' }.qualityScore"));

        Response refused = chat("fake", "fake-chat");
        assertEquals(404, refused.statusCode());
        assertEquals("MODEL_NOT_FOUND", refused.jsonPath().getString("errorClass"));
        Response after = await().atMost(APPLIED_WITHIN).until(() -> chat("fake", "fake-chat-large"), r -> r.statusCode() == 200);
        assertEquals(0, new BigDecimal("3").compareTo(new BigDecimal(after.header(AigwHeaders.COST_USD))),
                after.header(AigwHeaders.COST_USD));

        backToTheFile("fake");
        assertEquals(Boolean.TRUE, providers().get("find { it.id == 'fake' }.models.find { it.id == 'fake-chat' }.enabled"));
    }

    @Test
    void timeoutsPoolAndRequestLimitShowInSettingsAndApply() throws Exception {
        JsonPath before = providers().setRootPath("find { it.id == 'fake' }");
        assertEquals(3000, before.getInt("settings.timeouts.totalMs"));
        assertEquals(100, before.getInt("settings.poolMaxConnections"));
        assertEquals(0, before.getInt("settings.rateLimitPerMinute"));

        publish(override("fake", null, null, null, new ProviderOverride.Timeouts(null, 5000L, null, 8000L), 7, 1));
        awaitProvider("fake", p -> p.getInt("settings.poolMaxConnections") == 7);
        JsonPath fake = providers().setRootPath("find { it.id == 'fake' }");
        assertEquals(8000, fake.getInt("settings.timeouts.totalMs"));
        assertEquals(5000, fake.getInt("settings.timeouts.firstByteMs"));
        assertEquals(1000, fake.getInt("settings.timeouts.connectMs"));
        assertEquals(1, fake.getInt("settings.rateLimitPerMinute"));
        assertEquals(7, fake.getInt("override.poolMaxConnections"));

        new OpenAiWireStubs(wireMock, "/fake/v1", "fake-chat").chatJson("ok", 3, 2);
        assertEquals(200, chat("fake", "fake-chat").statusCode(), "the rebuilt adapter serves");
        Response limited = chat("fake", "fake-chat");
        assertEquals("RATE_LIMITED", limited.jsonPath().getString("errorClass"), limited.asString());
        assertTrue(limited.jsonPath().getLong("retryAfterMs") > 0);

        backToTheFile("fake");
        JsonPath after = providers().setRootPath("find { it.id == 'fake' }");
        assertEquals(3000, after.getInt("settings.timeouts.totalMs"));
        assertEquals(100, after.getInt("settings.poolMaxConnections"));
        assertEquals(0, after.getInt("settings.rateLimitPerMinute"));
        assertFalse("RATE_LIMITED".equals(chat("fake", "fake-chat").jsonPath().getString("errorClass")), "no limit any more");
    }

    @Test
    void unreadableInvalidAndUnknownRecordsAreSkipped() throws Exception {
        publish(ConfigKeys.provider("fakeb"), "{not json");
        publish(ConfigKeys.provider("fakeb"), "{\"provider\":\"fakeb\",\"poolMaxConnections\":0}");
        publish(ConfigKeys.provider("nosuch"), "{\"provider\":\"nosuch\",\"enabled\":false}");
        publish(ConfigKeys.group("chat-default"), "{\"name\":\"chat-default\",\"members\":[]}");
        publish(override("fake", null, 9, null, null, null, null));
        // records are applied in order: once the last shows, the ones before it were read and skipped
        awaitProvider("fake", p -> p.getInt("priority") == 9);
        JsonPath fakeb = providers().setRootPath("find { it.id == 'fakeb' }");
        assertNull(fakeb.get("override"));
        assertEquals(100, fakeb.getInt("settings.poolMaxConnections"));
        backToTheFile("fake");
    }

    @Test
    void healthTransitionsArePublishedAndAnOutageAlertsOnce() throws Exception {
        DeepSeekWireStubs stubs = new DeepSeekWireStubs(wireMock, "/deepseek/v1", "deepseek-chat");
        var dstest = catalog.adapter("dstest");
        stubs.health(200);
        monitor.check(dstest).await().indefinitely();
        stubs.health(500);
        for (int i = 0; i < RuntimeConfigTestProfile.ALERT_AFTER + 2; i++) {
            monitor.check(dstest).await().indefinitely();
        }
        stubs.health(200);
        monitor.check(dstest).await().indefinitely();
        monitor.snapshot();

        List<ProviderHealthEvent> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            events.clear();
            for (String v : read(RuntimeConfigTestProfile.HEALTH_TOPIC, "dstest")) {
                events.add(JSON.readValue(v, ProviderHealthEvent.class));
            }
            return events.stream().anyMatch(e -> e.type() == ProviderHealthEvent.Type.SNAPSHOT);
        });
        List<ProviderHealthEvent> transitions = events.stream()
                .filter(e -> e.type() == ProviderHealthEvent.Type.TRANSITION).toList();
        assertEquals(List.of(true, false, true), transitions.stream().map(ProviderHealthEvent::healthy).toList());
        assertNull(transitions.get(0).previousHealthy());
        assertEquals(Boolean.TRUE, transitions.get(1).previousHealthy());
        assertEquals(1, transitions.get(1).consecutiveFailures());
        ProviderHealthEvent snapshot = events.get(events.size() - 1);
        assertEquals(ProviderHealthEvent.Type.SNAPSHOT, snapshot.type());
        assertTrue(snapshot.healthy());

        // the sender is one ordered stream: the alert was sent before the recovery seen above
        List<ProviderAlert> alerts = new ArrayList<>();
        for (String v : read(RuntimeConfigTestProfile.ALERTS_TOPIC, "provider:dstest")) {
            alerts.add(JSON.readValue(v, ProviderAlert.class));
        }
        assertEquals(1, alerts.size(), alerts.toString());
        ProviderAlert alert = alerts.get(0);
        assertEquals(ProviderAlert.TYPE, alert.type());
        assertEquals(RuntimeConfigTestProfile.ALERT_AFTER, alert.consecutiveFailures());
        assertEquals(RuntimeConfigTestProfile.ALERT_AFTER, alert.threshold());
        assertEquals(transitions.get(1).checkedAt(), alert.since());
    }

    /** Every value with that key on the topic, from the beginning to its current end. */
    private static List<String> read(String topic, String key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        out.add(r.value());
                    }
                }
            }
        }
        return out;
    }
}
