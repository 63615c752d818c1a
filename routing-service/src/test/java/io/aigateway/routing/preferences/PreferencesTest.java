package io.aigateway.routing.preferences;

import io.aigateway.routing.CatalogAwait;
import io.aigateway.routing.breaker.ProviderBreakers;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The preferences API (PUT / GET / DELETE) against real PostgreSQL and Redis, and how a preference steers routing. */
@QuarkusTest
@WithTestResource(PreferencesAdapterMock.class)
class PreferencesTest {

    static final String TOKEN = "test-internal-token";
    static final String PREFS = "/internal/v1/preferences";
    static final String CHAT = "/internal/v1/route/chat";
    static final String PREFIX = "aigw:test:pref:v1:";

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    @Inject
    ProviderBreakers breakers;

    @Inject
    PreferenceMirror mirror;

    String user;

    @BeforeEach
    void setUp() {
        user = "pref-user-" + UUID.randomUUID();
        breakers.resetAll();
        PreferencesAdapterMock.server.resetAll();
        PreferencesAdapterMock.stubCatalog();
        for (String p : List.of("fake", "fakeb")) {
            PreferencesAdapterMock.server.stubFor(post(urlEqualTo("/internal/v1/providers/" + p + "/chat"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withHeader("x-aigw-cost-usd", "0.00001").withHeader("x-aigw-usage-estimated", "false")
                            .withBody("{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-chat\","
                                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"from " + p
                                    + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}")));
        }
        CatalogAwait.untilLoaded();
    }

    RequestSpecification as(String userId) {
        RequestSpecification r = given().header("X-Aigw-Internal-Token", TOKEN).header("X-Request-Id", "req-" + UUID.randomUUID());
        return userId == null ? r : r.header("X-Aigw-Caller-User", userId);
    }

    Response put(String userId, String json) {
        return as(userId).contentType("application/json").body(json).put(PREFS);
    }

    static String pref(String context, String provider, String model) {
        return "{\"context\":\"" + context + "\",\"provider\":\"" + provider + "\",\"model\":\"" + model + "\"}";
    }

    /** A non-streamed chat on group chat-default with user-preference routing; @return the provider that served it */
    String chat(String userId, String context, boolean tools) {
        String body = "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
                + (tools ? ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]" : "")
                + "}";
        RequestSpecification r = as(userId).header("X-Aigw-Policy", "user-preference").contentType("application/json");
        if (context != null) {
            r.header("X-Aigw-Context", context);
        }
        Response resp = r.body(body).post(CHAT);
        resp.then().statusCode(200).header("x-aigw-policy", "user-preference");
        return resp.header("x-aigw-provider");
    }

    // ------------------------------------------------------------------ CRUD

    @Test
    void putGetDeleteRoundTripWithTheMirror() {
        put(user, pref("writing", "fakeb", "fake-chat")).then().statusCode(200)
                .body("context", equalTo("writing"))
                .body("provider", equalTo("fakeb"))
                .body("providerDisplayName", equalTo("Fake B"))
                .body("model", equalTo("fake-chat"))
                .body("modelDisplayName", equalTo("Fake B chat"))
                .body("usageCount", equalTo(0))
                .body("lastUsedAt", nullValue())
                .body("$", not(hasKey("warning")));
        put(user, pref("default", "fake", "fake-chat-large")).then().statusCode(200).body("modelDisplayName", equalTo("Fake large"));

        as(user).get(PREFS).then().statusCode(200)
                .body("preferences.size()", equalTo(2))
                .body("preferences[0].context", equalTo("default"))
                .body("preferences[0].provider", equalTo("fake"))
                .body("preferences[0].model", equalTo("fake-chat-large"))
                .body("preferences[1].context", equalTo("writing"))
                .body("preferences[1].providerDisplayName", equalTo("Fake B"))
                .body("defaults.policy", equalTo("user-preference"))
                .body("defaults.model", equalTo("chat-default"));

        Map<String, String> hash = redis.hash(String.class).hgetall(PREFIX + user);
        assertEquals("fakeb/fake-chat", hash.get("writing"));
        assertEquals("fake/fake-chat-large", hash.get("default"));
        assertEquals("2", hash.get("@"), "mirror carries the PostgreSQL version");

        // replacing a context's preference
        put(user, pref("writing", "fake", "fake-chat")).then().statusCode(200).body("provider", equalTo("fake"));
        assertEquals("fake/fake-chat", redis.hash(String.class).hget(PREFIX + user, "writing"));

        // another user sees nothing of it
        as("someone-else-" + UUID.randomUUID()).get(PREFS).then().statusCode(200).body("preferences", empty());

        as(user).delete(PREFS + "/writing").then().statusCode(204);
        as(user).delete(PREFS + "/writing").then().statusCode(404)
                .body("error.code", equalTo("not_found"))
                .body("error.param", equalTo("context"));
        as(user).get(PREFS).then().statusCode(200).body("preferences.size()", equalTo(1))
                .body("preferences[0].context", equalTo("default"));
        hash = redis.hash(String.class).hgetall(PREFIX + user);
        assertFalse(hash.containsKey("writing"));
        assertEquals("fake/fake-chat-large", hash.get("default"));
        as(user).delete(PREFS + "/never-set").then().statusCode(404).body("error.param", equalTo("context"));
    }

    @Test
    void validationErrorsNameTheField() {
        put(user, pref("Not Valid!", "fake", "fake-chat")).then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error")).body("error.param", equalTo("context"));
        put(user, pref("a".repeat(33), "fake", "fake-chat")).then().statusCode(400).body("error.param", equalTo("context"));
        put(user, pref("writing", "nosuch", "fake-chat")).then().statusCode(400).body("error.param", equalTo("provider"));
        put(user, pref("writing", "down", "down-model")).then().statusCode(400).body("error.param", equalTo("provider"))
                .body("error.message", containsString("disabled"));
        put(user, pref("writing", "fakeb", "fake-chat-large")).then().statusCode(400).body("error.param", equalTo("model"));
        put(user, "{\"context\":\"writing\",\"provider\":\"fake\"}").then().statusCode(400).body("error.param", equalTo("model"));
        put(user, "{\"context\":\"writing\",\"provider\":\"fake\",\"model\":7}").then().statusCode(400).body("error.param", equalTo("model"));
        put(user, "{\"context\":\"writing\",\"provider\":\"fake\",\"model\":\"fake-chat\",\"extra\":1}").then().statusCode(400)
                .body("error.code", equalTo("unknown_parameter")).body("error.param", equalTo("extra"));
        put(user, "{\"context\":").then().statusCode(400).body("error.code", equalTo("invalid_json"));
        put(user, "[1,2]").then().statusCode(400).body("error.code", equalTo("invalid_json"));
        put(user, "").then().statusCode(400).body("error.code", equalTo("invalid_json"));
        as(user).urlEncodingEnabled(false).delete(PREFS + "/Bad%20Context").then().statusCode(400).body("error.param", equalTo("context"));
        // no caller identity, no internal token
        put(null, pref("writing", "fake", "fake-chat")).then().statusCode(401).body("error.code", equalTo("missing_caller"));
        as(null).get(PREFS).then().statusCode(401).body("error.code", equalTo("missing_caller"));
        given().header("X-Aigw-Caller-User", user).get(PREFS).then().statusCode(401).body("error.type", equalTo("invalid_request_error"));
        // nothing was stored by any of these
        as(user).get(PREFS).then().statusCode(200).body("preferences", empty());
    }

    @Test
    void unhealthyProviderIsAcceptedWithAWarning() {
        put(user, pref("coding", "sick", "sick-model")).then().statusCode(200)
                .body("provider", equalTo("sick"))
                .body("warning", containsString("unhealthy"));
        as(user).get(PREFS).then().statusCode(200).body("preferences[0].provider", equalTo("sick"))
                .body("preferences[0]", not(hasKey("warning")));
    }

    // ------------------------------------------------------------------ routing

    @Test
    void aPreferenceSteersUserPreferenceRoutingWithTheDefaultContextAsFallback() throws Exception {
        assertEquals("fake", chat(user, "writing", false), "no preference: configured order");
        put(user, pref("writing", "fakeb", "fake-chat")).then().statusCode(200);
        assertEquals("fakeb", chat(user, "writing", false));
        assertEquals("fakeb", chat(user, "writing", false));
        assertEquals("fake", chat(user, "coding", false), "no preference for coding and no default yet");
        assertEquals("fake", chat("other-" + UUID.randomUUID(), "writing", false), "another user is not steered");

        put(user, pref("default", "fakeb", "fake-chat")).then().statusCode(200);
        assertEquals("fakeb", chat(user, "coding", false), "the default context applies to other contexts");
        assertEquals("fakeb", chat(user, null, false), "no X-Aigw-Context = default");
        // the preferred candidate cannot serve (fakeb has no tools): the others serve
        assertEquals("fake", chat(user, "writing", true));
        // other policies ignore preferences
        as(user).header("X-Aigw-Policy", "quality").header("X-Aigw-Context", "writing").contentType("application/json")
                .body("{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post(CHAT).then().statusCode(200).header("x-aigw-provider", "fake");

        // uses are counted in memory and flushed in batches: writing 2, default 2 (coding + no context)
        await("usage counts flushed").atMost(Duration.ofSeconds(15)).until(() -> {
            Response r = as(user).get(PREFS);
            List<Map<String, Object>> list = r.jsonPath().getList("preferences");
            Map<String, Object> d = list.stream().filter(m -> "default".equals(m.get("context"))).findFirst().orElseThrow();
            Map<String, Object> w = list.stream().filter(m -> "writing".equals(m.get("context"))).findFirst().orElseThrow();
            return ((Number) w.get("usageCount")).intValue() == 2 && ((Number) d.get("usageCount")).intValue() == 2
                    && w.get("lastUsedAt") != null && d.get("lastUsedAt") != null;
        });

        as(user).delete(PREFS + "/writing").then().statusCode(204);
        as(user).delete(PREFS + "/default").then().statusCode(204);
        assertEquals("fake", chat(user, "writing", false), "deleted: configured order again");
    }

    @Test
    void aMirrorMissIsServedFromPostgresAndRefillsTheMirror() throws Exception {
        // stored behind the service's back (as another instance whose mirror write failed would leave it)
        pool.preparedQuery("INSERT INTO routing.user_preferences (user_id, context, provider, model) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(user, "default", "fakeb", "fake-chat")).await().atMost(Duration.ofSeconds(10));
        assertTrue(redis.hash(String.class).hgetall(PREFIX + user).isEmpty());
        assertEquals("fakeb", chat(user, "writing", false));
        await("mirror refilled").atMost(Duration.ofSeconds(15)).until(() -> "fakeb/fake-chat".equals(redis.hash(String.class).hget(PREFIX + user, "default")));
        assertEquals("0", redis.hash(String.class).hget(PREFIX + user, "@"));
    }

    @Test
    void theMirrorNeverGoesBackToAnOlderVersion() {
        Preference a = new Preference("writing", "fakeb", "fake-chat", 0, null, null, null);
        Preference b = new Preference("writing", "fake", "fake-chat", 0, null, null, null);
        Duration t = Duration.ofSeconds(5);
        assertTrue(mirror.write(user, new PreferenceRepository.Snapshot(5, List.of(a))).await().atMost(t));
        assertFalse(mirror.write(user, new PreferenceRepository.Snapshot(3, List.of(b))).await().atMost(t));
        assertEquals("fakeb/fake-chat", redis.hash(String.class).hget(PREFIX + user, "writing"));
        assertTrue(mirror.write(user, new PreferenceRepository.Snapshot(6, List.of())).await().atMost(t));
        assertEquals(Map.of("@", "6"), redis.hash(String.class).hgetall(PREFIX + user));
        assertTrue(redis.key().pttl(PREFIX + user) > 0, "the mirror expires");
    }
}
