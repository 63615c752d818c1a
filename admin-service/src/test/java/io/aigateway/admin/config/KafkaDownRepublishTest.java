package io.aigateway.admin.config;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.admin.support.ConfigTopicReader;
import io.aigateway.admin.support.KafkaProxyResource;
import io.aigateway.admin.support.RoutingWireMock;
import io.aigateway.admin.support.UsageWireMock;
import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.testsupport.TcpProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka unreachable: a change is stored and answered 202 {@code "published": false}; once Kafka is back the
 * republish job publishes the stored revision (the newest one), and the view says published.
 */
@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
@QuarkusTestResource(UsageWireMock.class)
@QuarkusTestResource(RoutingWireMock.class)
@QuarkusTestResource(value = KafkaProxyResource.class, restrictToAnnotatedClass = true)
class KafkaDownRepublishTest {

    private static final String ADMIN = "/api/v1/ai/admin";

    @AdapterWireMock.InjectAdapter
    WireMockServer adapter;
    TcpProxy kafka;

    @Test
    void storedWhileKafkaIsDownThenRepublished() {
        String p = "pk" + RuntimeConfigApiTest.RUN;
        adapter.stubFor(get(urlEqualTo("/internal/v1/providers"))
                .willReturn(RuntimeConfigApiTest.json(200, "[" + RuntimeConfigApiTest.provider(p) + "]")));
        String adminKey = RuntimeConfigApiTest.createKey("kafka-down", List.of("admin")).path("key");

        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"enabled\":false}")
                .patch(ADMIN + "/providers/" + p)
                .then().statusCode(202).body("published", equalTo(false)).body("override.enabled", equalTo(false));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"priority\":3}")
                .patch(ADMIN + "/providers/" + p)
                .then().statusCode(202).body("published", equalTo(false)).body("revision", equalTo(2));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"members\":[\"" + p + "/chat\"]}")
                .put(ADMIN + "/groups/g" + p).then().statusCode(202).body("published", equalTo(false));

        kafka.resume();
        String bootstrap = System.getProperty("aigw.test.kafka", "127.0.0.1:19092");
        String topic = ConfigProvider.getConfig().getValue("aigw.config-publish.topic", String.class);
        try (ConfigTopicReader reader = new ConfigTopicReader(bootstrap, topic)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> !reader.records(ConfigKeys.provider(p), 0).isEmpty()
                            && !reader.records(ConfigKeys.group("g" + p), 0).isEmpty());
            List<ConsumerRecord<String, String>> records = reader.records(ConfigKeys.provider(p), 0);
            String last = records.get(records.size() - 1).value();
            assertTrue(last.contains("\"revision\":2") && last.contains("\"priority\":3") && last.contains("\"enabled\":false"),
                    "the newest stored revision is published: " + last);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().auth().oauth2(adminKey).get(ADMIN + "/providers/" + p)
                        .then().statusCode(200).body("published", equalTo(true)));
    }
}
