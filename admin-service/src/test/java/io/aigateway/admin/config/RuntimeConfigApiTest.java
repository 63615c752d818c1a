package io.aigateway.admin.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.admin.support.ConfigTopicReader;
import io.aigateway.admin.support.RoutingWireMock;
import io.aigateway.admin.support.UsageWireMock;
import io.aigateway.contracts.config.BreakerReset;
import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.contracts.config.ModelGroup;
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.contracts.internal.Json;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Providers and groups at run time against WireMock adapter/routing/usage and the real test Kafka: a change is
 * stored, audited and published on the configuration topic (read back with a plain consumer); a bad patch is
 * refused with {@code param} and neither stored nor published.
 */
@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
@QuarkusTestResource(UsageWireMock.class)
@QuarkusTestResource(RoutingWireMock.class)
class RuntimeConfigApiTest {

    private static final String TOKEN = "test-internal-token";
    static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
    /** Provider ids of this run only ([a-z][a-z0-9]*): the test database and topic outlive a run. */
    static final String P = "pa" + RUN.replaceAll("[^a-z0-9]", "");
    static final String Q = "pb" + RUN.replaceAll("[^a-z0-9]", "");
    private static final String ADMIN = "/api/v1/ai/admin";
    private static final ObjectMapper JSON = Json.newMapper();

    private static String adminKey;
    private static String adminKeyId;
    private static String userKey;
    private static ConfigTopicReader topic;

    @AdapterWireMock.InjectAdapter
    WireMockServer adapter;
    @UsageWireMock.InjectUsage
    WireMockServer usage;
    @RoutingWireMock.InjectRouting
    WireMockServer routing;

    @BeforeEach
    void setUp() {
        adapter.resetAll();
        usage.resetAll();
        routing.resetAll();
        adapter.stubFor(get(urlEqualTo("/internal/v1/providers")).willReturn(json(200, catalog())));
        if (adminKey == null) {
            Response admin = createKey("admin", List.of("admin"));
            adminKey = admin.path("key");
            adminKeyId = admin.path("keyId");
            userKey = createKey("user", List.of("user")).path("key");
            String bootstrap = ConfigProvider.getConfig().getValue("aigw.config-publish.bootstrap-servers", String.class);
            String name = ConfigProvider.getConfig().getValue("aigw.config-publish.topic", String.class);
            topic = new ConfigTopicReader(bootstrap, name);
            Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> topic.end() >= 0);
        }
    }

    @AfterAll
    static void close() {
        if (topic != null) {
            topic.close();
        }
    }

    @Test
    void patchIsStoredAuditedAndPublishedAsTheWholeOverride() throws Exception {
        routing.stubFor(get(urlEqualTo("/internal/v1/breakers"))
                .willReturn(json(200, "{\"breakers\":[{\"provider\":\"" + P + "\",\"state\":\"OPEN\"}]}")));
        usage.stubFor(get(urlPathEqualTo("/internal/v1/usage/analytics")).willReturn(json(200,
                "{\"rows\":[{\"provider\":\"" + P + "\",\"requests\":10,\"errors\":2,\"p95LatencyMs\":120,\"costUsd\":\"0.0123\"}],\"nextCursor\":null}")));
        long from = topic.end();
        String patch = "{\"enabled\":false,\"priority\":5,\"models\":{\"chat\":{\"promptPricePer1k\":\"0.0015\",\"contextWindow\":4096}},"
                + "\"timeouts\":{\"connectMs\":1500},\"poolMaxConnections\":8,\"rateLimitPerMinute\":600}";
        given().auth().oauth2(adminKey).contentType("application/merge-patch+json").body(patch)
                .patch(ADMIN + "/providers/" + P)
                .then().statusCode(200)
                .body("id", equalTo(P))
                .body("enabled", equalTo(false))
                .body("priority", equalTo(5))
                .body("published", equalTo(true))
                .body("pending", equalTo(true))
                .body("override.models.chat.promptPricePer1k", equalTo(0.0015f))
                .body("models.find { it.id == 'chat' }.contextWindow", equalTo(4096))
                .body("breaker", equalTo("OPEN"))
                .body("today.requests", equalTo(10))
                .body("today.errorRate", equalTo(0.2f))
                .body("today.costUsd", equalTo("0.0123"))
                .body(not(containsString("apiKey")));

        List<ConsumerRecord<String, String>> records = topic.records(ConfigKeys.provider(P), from);
        assertEquals(1, records.size());
        ProviderOverride o = JSON.readValue(records.get(0).value(), ProviderOverride.class);
        assertEquals(P, o.provider());
        assertEquals(Boolean.FALSE, o.enabled());
        assertEquals(5, o.priority());
        assertEquals(0, new BigDecimal("0.0015").compareTo(o.model("chat").promptPricePer1k()));
        assertEquals(4096, o.model("chat").contextWindow());
        assertEquals(1500L, o.timeouts().connectMs());
        assertEquals(8, o.poolMaxConnections());
        assertEquals(600, o.rateLimitPerMinute());
        assertEquals(adminKeyId, o.updatedBy());
        long revision = o.revision();

        // a second patch merges: null removes, the rest stays
        from = topic.end();
        given().auth().oauth2(adminKey).contentType(ContentType.JSON)
                .body("{\"priority\":null,\"models\":{\"chat\":{\"contextWindow\":null}},\"timeouts\":null}")
                .patch(ADMIN + "/providers/" + P).then().statusCode(200);
        o = JSON.readValue(topic.records(ConfigKeys.provider(P), from).get(0).value(), ProviderOverride.class);
        assertEquals(revision + 1, o.revision());
        assertNull(o.priority());
        assertNull(o.timeouts());
        assertNull(o.model("chat").contextWindow());
        assertEquals(0, new BigDecimal("0.0015").compareTo(o.model("chat").promptPricePer1k()));
        assertEquals(Boolean.FALSE, o.enabled());

        given().auth().oauth2(adminKey).get(ADMIN + "/audit?target=provider:" + P + "&action=provider.patch")
                .then().statusCode(200)
                .body("rows.size()", equalTo(2))
                .body("rows[0].actor", equalTo(adminKeyId))
                .body("rows[0].before.priority", equalTo(5))
                .body("rows[0].after.priority", nullValue())
                .body("rows[1].before", nullValue())
                .body("rows[1].after.enabled", equalTo(false))
                .body("rows[0].status", equalTo(200));

        // the list shows it, with the stored override
        given().auth().oauth2(adminKey).get(ADMIN + "/providers")
                .then().statusCode(200)
                .body("find { it.id == '" + P + "' }.override.enabled", equalTo(false))
                .body("find { it.id == '" + P + "' }.revision", equalTo((int) revision + 1));
    }

    @Test
    void everyBadPatchIsRefusedWithParamAndNothingIsStoredOrPublished() {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("{\"apiKey\":\"sk-secret\"}", "apiKey");
        bad.put("{\"baseUrl\":\"http://evil\"}", "baseUrl");
        bad.put("{\"colour\":\"red\"}", "colour");
        bad.put("{\"models\":{\"nope\":{\"enabled\":false}}}", "models.nope");
        bad.put("{\"models\":{\"chat\":{\"promptPricePer1k\":-1}}}", "models.chat.promptPricePer1k");
        bad.put("{\"models\":{\"chat\":{\"completionPricePer1k\":\"abc\"}}}", "models.chat.completionPricePer1k");
        bad.put("{\"models\":{\"chat\":{\"qualityScore\":1.5}}}", "models.chat.qualityScore");
        bad.put("{\"models\":{\"chat\":{\"contextWindow\":0}}}", "models.chat.contextWindow");
        bad.put("{\"models\":{\"chat\":{\"apiKey\":\"x\"}}}", "models.chat.apiKey");
        bad.put("{\"qualityScore\":-0.1}", "qualityScore");
        bad.put("{\"timeouts\":{\"totalMs\":0}}", "timeouts.totalMs");
        bad.put("{\"timeouts\":{\"slowMs\":10}}", "timeouts.slowMs");
        bad.put("{\"poolMaxConnections\":0}", "poolMaxConnections");
        bad.put("{\"rateLimitPerMinute\":-1}", "rateLimitPerMinute");
        bad.put("{\"enabled\":\"yes\"}", "enabled");
        bad.put("{\"priority\":1.5}", "priority");
        long from = topic.end();
        for (Map.Entry<String, String> e : bad.entrySet()) {
            given().auth().oauth2(adminKey).contentType("application/merge-patch+json").body(e.getKey())
                    .patch(ADMIN + "/providers/" + Q)
                    .then().statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.param", equalTo(e.getValue()))
                    .body(not(containsString("sk-secret")));
        }
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"enabled\":false}")
                .patch(ADMIN + "/providers/nosuch" + RUN.replaceAll("[^a-z]", ""))
                .then().statusCode(400).body("error.param", equalTo("id"));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"enabled\":")
                .patch(ADMIN + "/providers/" + Q).then().statusCode(400).body("error.code", equalTo("invalid_json"));
        given().auth().oauth2(adminKey).contentType(ContentType.TEXT).body("{}")
                .patch(ADMIN + "/providers/" + Q).then().statusCode(415);

        given().auth().oauth2(adminKey).get(ADMIN + "/providers/" + Q)
                .then().statusCode(200).body("override", nullValue()).body("revision", nullValue());
        given().auth().oauth2(adminKey).get(ADMIN + "/audit?target=provider:" + Q)
                .then().statusCode(200).body("rows.size()", equalTo(0));
        // a valid patch afterwards is the only record of Q since the refusals
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"qualityScore\":0.7}")
                .patch(ADMIN + "/providers/" + Q).then().statusCode(200);
        List<ConsumerRecord<String, String>> records = topic.records(ConfigKeys.provider(Q), from);
        assertEquals(1, records.size(), records.toString());
        assertTrue(records.get(0).value().contains("\"qualityScore\":0.7"), records.get(0).value());
        given().auth().oauth2(adminKey).get(ADMIN + "/audit?target=provider:" + Q)
                .then().statusCode(200).body("rows.size()", equalTo(1));
    }

    @Test
    void toggleFlipsTheEffectiveEnabled() throws Exception {
        String r = "pt" + RUN.replaceAll("[^a-z0-9]", "");
        adapter.stubFor(get(urlEqualTo("/internal/v1/providers")).willReturn(json(200, catalog(r))));
        long from = topic.end();
        given().auth().oauth2(adminKey).post(ADMIN + "/providers/" + r + "/toggle")
                .then().statusCode(200).body("enabled", equalTo(false)).body("override.enabled", equalTo(false));
        given().auth().oauth2(adminKey).post(ADMIN + "/providers/" + r + "/toggle")
                .then().statusCode(200).body("enabled", equalTo(true)).body("override.enabled", equalTo(true));
        List<ConsumerRecord<String, String>> records = topic.records(ConfigKeys.provider(r), from);
        assertEquals(2, records.size());
        assertEquals(Boolean.FALSE, JSON.readValue(records.get(0).value(), ProviderOverride.class).enabled());
        assertEquals(Boolean.TRUE, JSON.readValue(records.get(1).value(), ProviderOverride.class).enabled());
        given().auth().oauth2(adminKey).get(ADMIN + "/audit?target=provider:" + r + "&action=provider.toggle")
                .then().statusCode(200).body("rows.size()", equalTo(2));
    }

    @Test
    void viewPartsDegradeWithANoteWhenTheirServiceIsDown() {
        routing.stubFor(get(urlEqualTo("/internal/v1/breakers")).willReturn(aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        usage.stubFor(get(urlPathEqualTo("/internal/v1/usage/analytics")).willReturn(aResponse().withStatus(500)));
        given().auth().oauth2(adminKey).get(ADMIN + "/providers/" + P)
                .then().statusCode(200)
                .body("id", equalTo(P))
                .body("breaker", nullValue())
                .body("today", nullValue())
                .body("notes", hasItem(containsString("routing-service")))
                .body("notes", hasItem(containsString("usage-service")));
        given().auth().oauth2(adminKey).get(ADMIN + "/providers/nosuch").then().statusCode(404);
    }

    @Test
    void groupsArePutListedAndDeletedWithATombstone() throws Exception {
        String name = "grp-" + RUN;
        long from = topic.end();
        given().auth().oauth2(adminKey).contentType(ContentType.JSON)
                .body("{\"members\":[\"" + P + "/chat\",\"" + Q + "/mini\"]}")
                .put(ADMIN + "/groups/" + name)
                .then().statusCode(200)
                .body("name", equalTo(name))
                .body("members", equalTo(List.of(P + "/chat", Q + "/mini")))
                .body("published", equalTo(true));
        given().auth().oauth2(adminKey).get(ADMIN + "/groups").then().statusCode(200)
                .body("groups.name", hasItem(name));
        given().auth().oauth2(adminKey).get(ADMIN + "/groups/" + name).then().statusCode(200)
                .body("members[0]", equalTo(P + "/chat"));
        // bad ones
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"members\":[\"" + P + "/nope\"]}")
                .put(ADMIN + "/groups/" + name).then().statusCode(400).body("error.param", equalTo("members[0]"));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"members\":[]}")
                .put(ADMIN + "/groups/" + name).then().statusCode(400).body("error.param", equalTo("members"));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"members\":[\"" + P + "/chat\"],\"x\":1}")
                .put(ADMIN + "/groups/" + name).then().statusCode(400).body("error.param", equalTo("x"));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"members\":[\"" + P + "/chat\"]}")
                .put(ADMIN + "/groups/Bad_Name").then().statusCode(400).body("error.param", equalTo("name"));

        given().auth().oauth2(adminKey).delete(ADMIN + "/groups/" + name).then().statusCode(204);
        given().auth().oauth2(adminKey).get(ADMIN + "/groups/" + name).then().statusCode(404);
        given().auth().oauth2(adminKey).delete(ADMIN + "/groups/" + name).then().statusCode(404);

        List<ConsumerRecord<String, String>> records = topic.records(ConfigKeys.group(name), from);
        assertEquals(2, records.size(), records.toString());
        ModelGroup g = JSON.readValue(records.get(0).value(), ModelGroup.class);
        assertEquals(List.of(P + "/chat", Q + "/mini"), g.members());
        assertNull(records.get(1).value(), "a delete is a tombstone");
        given().auth().oauth2(adminKey).get(ADMIN + "/audit?target=group:" + name)
                .then().statusCode(200)
                .body("rows.action", equalTo(List.of("group.delete", "group.put")));
    }

    @Test
    void breakerResetCallsRoutingAndPublishesForEveryInstance() throws Exception {
        routing.stubFor(post(urlEqualTo("/internal/v1/breakers/" + P + "/reset"))
                .willReturn(json(200, "{\"provider\":\"" + P + "\",\"state\":\"CLOSED\"}")));
        long from = topic.end();
        given().auth().oauth2(adminKey).post(ADMIN + "/breakers/" + P + "/reset")
                .then().statusCode(200)
                .body("routing.state", equalTo("CLOSED"))
                .body("published", equalTo(true));
        routing.verify(postRequestedFor(urlEqualTo("/internal/v1/breakers/" + P + "/reset"))
                .withHeader("X-Aigw-Internal-Token", WireMock.equalTo(TOKEN)));
        List<ConsumerRecord<String, String>> records = topic.records(ConfigKeys.breakerReset(P), from);
        assertEquals(1, records.size());
        BreakerReset reset = JSON.readValue(records.get(0).value(), BreakerReset.class);
        assertEquals(P, reset.provider());
        assertEquals(adminKeyId, reset.requestedBy());
        given().auth().oauth2(adminKey).get(ADMIN + "/audit?action=breaker.reset&target=provider:" + P)
                .then().statusCode(200).body("rows.size()", equalTo(1)).body("rows[0].status", equalTo(200));
    }

    @Test
    void everyChangeTypeIsAuditedWithoutSecrets() {
        // keys
        Response created = given().auth().oauth2(adminKey).contentType(ContentType.JSON)
                .body(Map.of("userId", "t-" + RUN + "-audited", "roles", List.of("user")))
                .post(ADMIN + "/keys");
        created.then().statusCode(201);
        String newKey = created.path("key");
        String newKeyId = created.path("keyId");
        given().auth().oauth2(adminKey).delete(ADMIN + "/keys/" + newKeyId).then().statusCode(204);
        // quotas
        usage.stubFor(WireMock.put(urlEqualTo("/internal/v1/quotas/tiers/t" + RUN)).willReturn(json(200, "{}")));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"limits\":{\"requestsPerMinute\":5}}")
                .put(ADMIN + "/quotas/tiers/t" + RUN).then().statusCode(200);
        // cache
        routing.stubFor(post(urlEqualTo("/internal/v1/cache/invalidate")).willReturn(json(200, "{\"by\":\"all\",\"removed\":3}")));
        routing.stubFor(post(urlEqualTo("/internal/v1/cache/warm")).willReturn(json(200, "{\"warmed\":0}")));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"all\":true}")
                .post(ADMIN + "/cache/invalidate").then().statusCode(200).body("removed", equalTo(3));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"prompts\":[]}")
                .post(ADMIN + "/cache/warm").then().statusCode(200);

        Response audit = given().auth().oauth2(adminKey).get(ADMIN + "/audit?actor=" + adminKeyId + "&limit=1000");
        audit.then().statusCode(200);
        String text = audit.asString();
        assertFalse(text.contains(newKey), "never the new key");
        assertFalse(text.contains(adminKey), "never the admin's key");
        List<String> actions = audit.path("rows.action");
        for (String a : List.of("key.create", "key.revoke", "quota.tier.put", "cache.invalidate", "cache.warm")) {
            assertTrue(actions.contains(a), a + " in " + actions);
        }
        given().auth().oauth2(adminKey).get(ADMIN + "/audit?action=key.create&target=key:" + newKeyId)
                .then().statusCode(200).body("rows[0].after.userId", equalTo("t-" + RUN + "-audited"))
                .body("rows[0].status", equalTo(201));
        // pagination: newest first, a cursor to the next page
        Response page1 = given().auth().oauth2(adminKey).get(ADMIN + "/audit?actor=" + adminKeyId + "&limit=2");
        page1.then().statusCode(200).body("rows.size()", equalTo(2));
        String cursor = page1.path("nextCursor");
        int firstId = page1.path("rows[1].id");
        given().auth().oauth2(adminKey).get(ADMIN + "/audit?actor=" + adminKeyId + "&limit=2&cursor=" + cursor)
                .then().statusCode(200).body("rows[0].id", org.hamcrest.Matchers.lessThan(firstId));
        given().auth().oauth2(adminKey).get(ADMIN + "/audit?cursor=zzz").then().statusCode(400).body("error.param", equalTo("cursor"));
        given().auth().oauth2(adminKey).get(ADMIN + "/audit?from=yesterday").then().statusCode(400).body("error.param", equalTo("from"));
    }

    // ---------------------------------------------------------------- helpers

    static String catalog() {
        return "[" + provider(P) + "," + provider(Q) + "]";
    }

    static String catalog(String id) {
        return "[" + provider(P) + "," + provider(Q) + "," + provider(id) + "]";
    }

    static String provider(String id) {
        String caps = "{\"streaming\":true,\"tools\":false,\"images\":false,\"json\":false}";
        return "{\"id\":\"" + id + "\",\"kind\":\"openai\",\"displayName\":\"" + id + "\",\"enabled\":true,\"healthy\":true,"
                + "\"priority\":0,\"models\":["
                + "{\"id\":\"chat\",\"displayName\":\"Chat\",\"contextWindow\":8192,\"promptPricePer1k\":0.001,"
                + "\"completionPricePer1k\":0.002,\"qualityScore\":0.5,\"capabilities\":" + caps + "},"
                + "{\"id\":\"mini\",\"displayName\":\"Mini\",\"contextWindow\":4096,\"promptPricePer1k\":0.0001,"
                + "\"completionPricePer1k\":0.0002,\"qualityScore\":0.3,\"capabilities\":" + caps + "}],"
                + "\"override\":null,\"settings\":{\"timeouts\":{\"connectMs\":2000,\"firstByteMs\":30000,"
                + "\"betweenChunksMs\":30000,\"totalMs\":60000},\"poolMaxConnections\":50,\"rateLimitPerMinute\":0}}";
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static Response createKey(String what, List<String> roles) {
        Response created = given().header("X-Aigw-Internal-Token", "test-token-ops-00000").contentType(ContentType.JSON)
                .body(Map.of("userId", "t-" + RUN + "-" + what, "roles", roles))
                .when().post("/internal/v1/keys");
        created.then().statusCode(201);
        return created;
    }

    static JsonNode unused() {
        return null;
    }
}
