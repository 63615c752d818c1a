package io.aigateway.routing.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.CatalogAwait;
import io.aigateway.routing.UsageTopicReader;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.aigateway.testsupport.RedisProxyResource;
import io.aigateway.testsupport.TcpProxy;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(CacheTestResource.class)
@WithTestResource(RedisProxyResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResponseCacheTest {

    static final String TOKEN = "test-internal-token";
    static final String CHAT = "/internal/v1/route/chat";
    static final ObjectMapper MAPPER = Json.newMapper();

    static UsageTopicReader usage;

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource redis;

    TcpProxy redisProxy; // injected by RedisProxyResource

    @Inject
    io.aigateway.routing.breaker.ProviderBreakers breakers;

    @Inject
    ResponseCache cache;

    @BeforeAll
    static void consumer() {
        usage = new UsageTopicReader();
    }

    @AfterAll
    static void cleanUp() {
        if (usage != null) {
            usage.close();
        }
    }

    @BeforeEach
    void reset() {
        breakers.resetAll();
        CacheTestResource.adapter.resetAll();
        CacheTestResource.stubCatalog();
        awaitCacheReady();
    }

    /** Only this run's keys (its own prefix), never anything else in the database. */
    @AfterAll
    static void deleteOurKeys() {
        io.quarkus.redis.datasource.RedisDataSource ds = io.quarkus.arc.Arc.container()
                .instance(RedisDataSource.class).get();
        var cursor = ds.key().scan(new KeyScanArgs().match(CacheTestResource.PREFIX + "*").count(500));
        List<String> keys = new ArrayList<>();
        while (cursor.hasNext()) {
            keys.addAll(cursor.next());
        }
        if (!keys.isEmpty()) {
            ds.key().del(keys.toArray(String[]::new));
        }
    }

    // ------------------------------------------------------------------ helpers

    static String prompt() {
        return "question " + UUID.randomUUID();
    }

    static String body(String model, String prompt, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"" + prompt + "\"}],\"temperature\":0.2"
                + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + (extra == null ? "" : extra) + "}";
    }

    static RequestSpecification call(String rid) {
        return given().header("X-Aigw-Internal-Token", TOKEN)
                .header("X-Request-Id", rid)
                .header("X-Aigw-Caller-User", "user-c")
                .header("X-Aigw-Caller-Key", "key-c")
                .contentType("application/json");
    }

    static String rid() {
        return "req-" + UUID.randomUUID();
    }

    static String completion(String content, int prompt, int completion, String finish) {
        return "{\"id\":\"chatcmpl-" + UUID.randomUUID() + "\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"fake-chat\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"finish_reason\":\"" + finish + "\"}],"
                + "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

    static ResponseDefinitionBuilder ok(String body, String cost) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("x-aigw-cost-usd", cost).withHeader("x-aigw-usage-estimated", "false")
                .withHeader("x-aigw-upstream-ms", "5").withBody(body);
    }

    static void stub(String provider, ResponseDefinitionBuilder response) {
        CacheTestResource.adapter.stubFor(post(urlEqualTo("/internal/v1/providers/" + provider + "/chat")).willReturn(response));
    }

    static int calls(String provider) {
        return CacheTestResource.adapter.countRequestsMatching(
                postRequestedFor(urlEqualTo("/internal/v1/providers/" + provider + "/chat")).build()).getCount();
    }

    static final String ROLE = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-chat\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}\n\n";

    static String chunk(String content) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-chat\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                + content + "\"},\"finish_reason\":null}]}\n\n";
    }

    static String finish(String reason) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-chat\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}\n\n";
    }

    static final String USAGE_CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-chat\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":8,\"total_tokens\":17}}\n\n";
    static final String AIGW_USAGE = "event: aigw-usage\ndata: {\"promptTokens\":9,\"completionTokens\":8,\"costUsd\":0.0000295,\"usageEstimated\":false,\"ttftMs\":12}\n\n";

    static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
    }

    record Sse(int status, Map<String, List<String>> headers, List<String> data) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    Sse stream(String rid, String body, String... headers) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString()).resolve(CHAT))
                .header("X-Aigw-Internal-Token", TOKEN).header("X-Request-Id", rid)
                .header("X-Aigw-Caller-User", "user-c").header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        List<String> data = new ArrayList<>();
        for (String line : resp.body().split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        return new Sse(resp.statusCode(), resp.headers().map(), data);
    }

    boolean stored(String key) {
        return redis.key().exists(CacheTestResource.PREFIX + key);
    }

    /** The catalog is loaded and the cache has seen Redis (it starts as DOWN until its first PING answers). */
    static void awaitCacheReady() {
        CatalogAwait.untilLoaded();
        await("cache sees Redis").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .until(() -> "UP".equals(given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/cache/stats")
                        .jsonPath().getString("redis")));
    }

    /** The store is asynchronous (after the answer). */
    void awaitStored(String key) {
        await("answer stored under " + key).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25))
                .until(() -> stored(key));
    }

    // ------------------------------------------------------------------ miss → hit

    @Test
    @Order(1)
    void missThenHitWithTheSameContentAndHeadersAndUsageWithCostSaved() throws Exception {
        String p = prompt();
        String answer = completion("Hello there", 11, 7, "stop");
        stub("fake", ok(answer, "0.0000305"));
        String rid1 = rid();
        Response miss = call(rid1).header("X-Aigw-Context", "writing").body(body("chat-default", p, false, null)).post(CHAT);
        miss.then().statusCode(200).header("x-aigw-cache", "MISS").header("x-aigw-provider", "fake")
                .header("x-aigw-model", "fake-chat");
        assertEquals(answer, miss.asString());
        assertNull(miss.getHeader("age"));
        String key = miss.getHeader("x-aigw-cache-key");
        assertNotNull(key);
        awaitStored(key);

        String rid2 = rid();
        // reordered fields and another caller: the same key in global scope
        String reordered = "{\"temperature\":0.20,\"messages\":[{\"content\":\"Be brief.\",\"role\":\"system\"},{\"role\":\"user\",\"content\":\""
                + p + "\"}],\"model\":\"chat-default\",\"user\":\"someone-else\"}";
        Response hit = given().header("X-Aigw-Internal-Token", TOKEN).header("X-Request-Id", rid2)
                .header("X-Aigw-Caller-User", "user-d").header("X-Aigw-Caller-Key", "key-d")
                .header("X-Aigw-Context", "writing").contentType("application/json").body(reordered).post(CHAT);
        hit.then().statusCode(200).header("x-aigw-cache", "HIT").header("x-aigw-provider", "fake")
                .header("x-aigw-model", "fake-chat").header("x-request-id", rid2)
                .header("content-type", "application/json").header("x-aigw-cache-key", key);
        assertEquals(answer, hit.asString(), "byte-identical answer");
        assertTrue(Long.parseLong(hit.getHeader("age")) >= 0);
        assertEquals(1, calls("fake"), "the hit did not go upstream");

        UsageEvent e = usage.await(rid2, Duration.ofSeconds(30)).event();
        assertTrue(e.cached());
        assertEquals(0, BigDecimal.ZERO.compareTo(e.costUsd()));
        assertEquals(0, new BigDecimal("0.0000305").compareTo(e.costSavedUsd()));
        assertEquals("fake", e.provider());
        assertEquals("fake-chat", e.model());
        assertEquals("user-d", e.userId());
        assertEquals("chat-default", e.requestedModel());
        assertEquals(11, e.promptTokens());
        assertEquals(7, e.completionTokens());
        assertEquals(UsageEvent.Outcome.SUCCESS, e.outcome());
        assertFalse(e.streamed());
        assertTrue(e.attempts().isEmpty());
        UsageEvent first = usage.await(rid1, Duration.ofSeconds(30)).event();
        assertFalse(first.cached());
        assertEquals(0, new BigDecimal("0.0000305").compareTo(first.costUsd()));
    }

    @Test
    @Order(2)
    void jsonStoredAnswerIsReplayedAsAValidStreamAndAStreamedMissIsStoredForJson() throws Exception {
        String p = prompt();
        String answer = completion("Cached words", 5, 2, "stop");
        stub("fake", ok(answer, "0.00001"));
        Response miss = call(rid()).body(body("chat-default", p, false, null)).post(CHAT);
        miss.then().statusCode(200).header("x-aigw-cache", "MISS");
        awaitStored(miss.getHeader("x-aigw-cache-key"));

        String rid = rid();
        Sse s = stream(rid, body("chat-default", p, true, null));
        assertEquals(200, s.status());
        assertEquals("HIT", s.header("x-aigw-cache"));
        assertTrue(s.header("content-type").startsWith("text/event-stream"));
        assertNotNull(s.header("age"));
        List<String> data = s.data();
        assertEquals("[DONE]", data.get(data.size() - 1));
        JsonNode role = MAPPER.readTree(data.get(0));
        assertEquals("chat.completion.chunk", role.get("object").asText());
        assertEquals("assistant", role.at("/choices/0/delta/role").asText());
        StringBuilder content = new StringBuilder();
        String finish = null;
        JsonNode usageChunk = null;
        for (String d : data.subList(0, data.size() - 1)) {
            JsonNode c = MAPPER.readTree(d);
            if (c.get("choices").isEmpty()) {
                usageChunk = c;
                continue;
            }
            content.append(c.at("/choices/0/delta/content").asText(""));
            if (c.at("/choices/0/finish_reason").isTextual()) {
                finish = c.at("/choices/0/finish_reason").asText();
            }
        }
        assertEquals("Cached words", content.toString());
        assertEquals("stop", finish);
        assertNotNull(usageChunk, "usage chunk when include_usage");
        assertEquals(5, usageChunk.at("/usage/prompt_tokens").asInt());
        assertEquals(1, calls("fake"));
        UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
        assertTrue(e.cached());
        assertTrue(e.streamed());

        // without include_usage: no usage chunk
        String noUsage = body("chat-default", p, false, ",\"stream\":true");
        Sse s2 = stream(rid(), noUsage);
        assertEquals("HIT", s2.header("x-aigw-cache"));
        assertFalse(s2.data().stream().anyMatch(d -> d.contains("\"usage\":{")), s2.data().toString());

        // a streamed miss is assembled and stored: the JSON request then hits it
        String p2 = prompt();
        stub("fake", sse(ROLE + chunk("Hel") + chunk("lo") + finish("stop") + USAGE_CHUNK + AIGW_USAGE + "data: [DONE]\n\n"));
        Sse sm = stream(rid(), body("chat-default", p2, true, null));
        assertEquals("MISS", sm.header("x-aigw-cache"));
        awaitStored(sm.header("x-aigw-cache-key"));
        Response jh = call(rid()).body(body("chat-default", p2, false, null)).post(CHAT);
        jh.then().statusCode(200).header("x-aigw-cache", "HIT");
        JsonNode j = MAPPER.readTree(jh.asString());
        assertEquals("chat.completion", j.get("object").asText());
        assertEquals("Hello", j.at("/choices/0/message/content").asText());
        assertEquals("stop", j.at("/choices/0/finish_reason").asText());
        assertEquals(17, j.at("/usage/total_tokens").asInt());
        assertEquals(2, calls("fake"));
    }

    // ------------------------------------------------------------------ directives and TTL

    @Test
    @Order(3)
    void ttlExpiry() throws Exception {
        String p = prompt();
        stub("fake", ok(completion("short-lived", 3, 1, "stop"), "0.00001"));
        Response r = call(rid()).header("X-Aigw-Cache-Ttl", "1").body(body("chat-default", p, false, null)).post(CHAT);
        r.then().statusCode(200).header("x-aigw-cache", "MISS");
        String key = r.getHeader("x-aigw-cache-key");
        awaitStored(key);
        long ttl = redis.key().pttl(CacheTestResource.PREFIX + key);
        assertTrue(ttl > 0 && ttl <= 1000, "TTL from X-Aigw-Cache-Ttl: " + ttl);
        await("entry expired").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25)).until(() -> !stored(key));
        call(rid()).body(body("chat-default", p, false, null)).post(CHAT).then().statusCode(200).header("x-aigw-cache", "MISS");
        assertEquals(2, calls("fake"));
        // the sweep counts the expiration (stats read prunes first)
        await("expiration counted").atMost(Duration.ofSeconds(5)).until(() -> given().header("X-Aigw-Internal-Token", TOKEN)
                .get("/internal/v1/cache/stats").jsonPath().getLong("shared.expirations") >= 1);
    }

    @Test
    @Order(4)
    void noCacheNoStoreAndMaxAge() throws Exception {
        String p = prompt();
        stub("fake", ok(completion("directive", 3, 1, "stop"), "0.00001"));
        String b = body("chat-default", p, false, null);
        Response first = call(rid()).body(b).post(CHAT);
        String key = first.getHeader("x-aigw-cache-key");
        awaitStored(key);
        // no-cache: not read (upstream again), still stored
        call(rid()).header("Cache-Control", "no-cache").body(b).post(CHAT).then().statusCode(200).header("x-aigw-cache", "MISS");
        assertEquals(2, calls("fake"));
        // no-cache, no-store: neither
        call(rid()).header("Cache-Control", "no-cache, no-store").body(b).post(CHAT).then().statusCode(200).header("x-aigw-cache", "BYPASS");
        assertEquals(3, calls("fake"));
        // plain: a hit
        call(rid()).body(b).post(CHAT).then().statusCode(200).header("x-aigw-cache", "HIT");
        assertEquals(3, calls("fake"));

        // no-store on a new prompt: answered, never stored
        String p2 = prompt();
        String b2 = body("chat-default", p2, false, null);
        Response ns = call(rid()).header("Cache-Control", "no-store").body(b2).post(CHAT);
        ns.then().statusCode(200).header("x-aigw-cache", "MISS");
        Response after = call(rid()).body(b2).post(CHAT);
        after.then().statusCode(200).header("x-aigw-cache", "MISS");
        assertEquals(5, calls("fake"));
        awaitStored(after.getHeader("x-aigw-cache-key"));

        // max-age: an answer at least 1 s old is refused by max-age=0 and accepted by max-age=60
        Thread.sleep(1100); // the entry has to age: the subject of this check is elapsed time
        Response young = call(rid()).header("Cache-Control", "max-age=60").body(b2).post(CHAT);
        young.then().statusCode(200).header("x-aigw-cache", "HIT");
        assertTrue(Long.parseLong(young.getHeader("age")) >= 1);
        call(rid()).header("Cache-Control", "max-age=0").body(b2).post(CHAT).then().statusCode(200).header("x-aigw-cache", "MISS");
        assertEquals(6, calls("fake"));
    }

    // ------------------------------------------------------------------ what is never stored

    @Test
    @Order(5)
    void errorsTruncatedStreamsAndLengthCutAnswersAreNotStored() throws Exception {
        // an error
        String p = prompt();
        String b = body("chat-default", p, false, null);
        ResponseDefinitionBuilder fail = aResponse().withStatus(502).withHeader("Content-Type", "application/json")
                .withBody("{\"errorClass\":\"UPSTREAM_5XX\",\"providerStatus\":500,\"message\":\"boom\",\"provider\":\"fake\",\"model\":\"fake-chat\"}");
        stub("fake", fail);
        stub("fakeb", fail);
        Response err = call(rid()).body(b).post(CHAT);
        assertEquals(502, err.statusCode());
        String key = err.getHeader("x-aigw-cache-key");
        stub("fake", ok(completion("now fine", 3, 1, "stop"), "0.00001"));
        call(rid()).body(b).post(CHAT).then().statusCode(200).header("x-aigw-cache", "MISS");
        awaitStored(key);

        // a stream cut by an error after the first content
        breakers.resetAll();
        String p2 = prompt();
        stub("fake", sse(ROLE + chunk("Hello") + chunk(" wor")
                + "event: aigw-error\ndata: {\"errorClass\":\"CONNECTION\",\"provider\":\"fake\",\"model\":\"fake-chat\",\"message\":\"reset\"}\n\n"));
        Sse cut = stream(rid(), body("chat-default", p2, true, null));
        assertTrue(cut.data().get(cut.data().size() - 1).contains("\"error\""));
        // a stream that ends without [DONE] and without a finish reason
        String p3 = prompt();
        stub("fake", sse(ROLE + chunk("Hello") + chunk(" wor")));
        Sse silent = stream(rid(), body("chat-default", p3, true, null));
        assertFalse(silent.data().contains("[DONE]"));
        // an answer cut by max tokens (finish_reason length)
        String p4 = prompt();
        stub("fake", ok(completion("cut sho", 3, 2, "length"), "0.00001"));
        Response len = call(rid()).body(body("chat-default", p4, false, null)).post(CHAT);
        len.then().statusCode(200);

        for (String k : List.of(cut.header("x-aigw-cache-key"), silent.header("x-aigw-cache-key"), len.getHeader("x-aigw-cache-key"))) {
            assertFalse(stored(k), "not stored: " + k);
        }
        // then: every one of them is still a miss
        stub("fake", ok(completion("complete", 3, 1, "stop"), "0.00001"));
        int before = calls("fake");
        for (String q : List.of(p2, p3, p4)) {
            call(rid()).body(body("chat-default", q, false, null)).post(CHAT).then().statusCode(200).header("x-aigw-cache", "MISS");
        }
        assertEquals(before + 3, calls("fake"));
    }

    // ------------------------------------------------------------------ invalidation

    @Test
    @Order(6)
    void invalidationByKeyModelProviderAndAll() throws Exception {
        invalidate("{\"all\":true}").then().statusCode(200); // exact counts below
        stub("fake", ok(completion("from fake", 3, 1, "stop"), "0.00001"));
        stub("fakeb", ok(completion("from fakeb", 3, 1, "stop"), "0.00001"));
        // a: pinned to fake; b: pinned to fakeb; c, d: group served by fake
        String a = call(rid()).body(body("fake/fake-chat", prompt(), false, null)).post(CHAT).getHeader("x-aigw-cache-key");
        String b = call(rid()).body(body("fakeb/fake-chat", prompt(), false, null)).post(CHAT).getHeader("x-aigw-cache-key");
        String c = call(rid()).body(body("chat-default", prompt(), false, null)).post(CHAT).getHeader("x-aigw-cache-key");
        String d = call(rid()).body(body("chat-default", prompt(), false, null)).post(CHAT).getHeader("x-aigw-cache-key");
        for (String k : List.of(a, b, c, d)) {
            awaitStored(k);
        }
        // by key
        invalidate("{\"key\":\"" + d + "\"}").then().statusCode(200).body("removed", org.hamcrest.Matchers.equalTo(1));
        assertFalse(stored(d));
        assertTrue(stored(c));
        // by model: the group name requested
        invalidate("{\"model\":\"chat-default\"}").then().statusCode(200).body("removed", org.hamcrest.Matchers.equalTo(1));
        assertFalse(stored(c));
        assertTrue(stored(a) && stored(b));
        // by provider
        invalidate("{\"provider\":\"fakeb\"}").then().statusCode(200).body("removed", org.hamcrest.Matchers.equalTo(1));
        assertFalse(stored(b));
        assertTrue(stored(a));
        // by served model id (covers pinned and group-served answers of that model)
        String e = call(rid()).body(body("chat-default", prompt(), false, null)).post(CHAT).getHeader("x-aigw-cache-key");
        awaitStored(e);
        invalidate("{\"model\":\"fake-chat\"}").then().statusCode(200).body("removed", org.hamcrest.Matchers.equalTo(2));
        assertFalse(stored(a) || stored(e));
        // all
        String f = call(rid()).body(body("chat-default", prompt(), false, null)).post(CHAT).getHeader("x-aigw-cache-key");
        String g = call(rid()).body(body("fakeb/fake-chat", prompt(), false, null)).post(CHAT).getHeader("x-aigw-cache-key");
        awaitStored(f);
        awaitStored(g);
        Response all = invalidate("{\"all\":true}");
        all.then().statusCode(200);
        assertTrue(all.jsonPath().getLong("removed") >= 2);
        assertFalse(stored(f) || stored(g));
        assertEquals(0L, redis.sortedSet(String.class).zcard(CacheTestResource.PREFIX + "idx:all"));
        // bad requests and the internal token
        invalidate("{\"model\":\"x\",\"provider\":\"y\"}").then().statusCode(400);
        invalidate("{\"key\":\"not-a-key\"}").then().statusCode(400);
        given().contentType("application/json").body("{\"all\":true}").post("/internal/v1/cache/invalidate").then().statusCode(401);
    }

    static Response invalidate(String json) {
        return given().header("X-Aigw-Internal-Token", TOKEN).contentType("application/json").body(json)
                .post("/internal/v1/cache/invalidate");
    }

    // ------------------------------------------------------------------ warming

    @Test
    @Order(7)
    void warmingFillsTheCacheThroughTheNormalRoute() throws Exception {
        stub("fake", ok(completion("warm answer", 4, 2, "stop"), "0.00002"));
        String w = UUID.randomUUID().toString();
        String req = "{\"model\":\"chat-default\",\"system\":\"Be brief.\",\"options\":{\"temperature\":0.2},"
                + "\"prompts\":[\"warm 1 " + w + "\",\"warm 2 " + w + "\",\"warm 3 " + w + "\"]}";
        Response r = given().header("X-Aigw-Internal-Token", TOKEN).contentType("application/json").body(req)
                .post("/internal/v1/cache/warm");
        r.then().statusCode(200);
        assertEquals(3, r.jsonPath().getInt("requested"));
        assertEquals(3, r.jsonPath().getInt("fetched"));
        assertEquals(0, r.jsonPath().getInt("failed"));
        assertEquals(3, calls("fake"));
        for (String k : r.jsonPath().getList("results.key", String.class)) {
            awaitStored(k);
        }
        // a client asking the same prompt (same model, system prompt and options) hits
        call(rid()).body(body("chat-default", "warm 2 " + w, false, null)).post(CHAT).then().statusCode(200)
                .header("x-aigw-cache", "HIT");
        // warming again costs nothing upstream
        Response again = given().header("X-Aigw-Internal-Token", TOKEN).contentType("application/json").body(req)
                .post("/internal/v1/cache/warm");
        assertEquals(3, again.jsonPath().getInt("alreadyCached"));
        assertEquals(3, calls("fake"));
        given().header("X-Aigw-Internal-Token", TOKEN).contentType("application/json").body("{\"model\":\"m\",\"prompts\":[]}")
                .post("/internal/v1/cache/warm").then().statusCode(400);
        // a prompt no provider answers is reported failed, with the routing status and the cache's headers
        for (String p : new String[] {"fake", "fakeb"}) {
            stub(p, com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(502)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"errorClass\":\"UPSTREAM_5XX\",\"providerStatus\":500,\"message\":\"down\",\"provider\":\""
                            + p + "\",\"model\":\"fake-chat\"}"));
        }
        Response failed = given().header("X-Aigw-Internal-Token", TOKEN).contentType("application/json")
                .body("{\"model\":\"chat-default\",\"prompts\":[\"warm failing " + w + "\"]}")
                .post("/internal/v1/cache/warm");
        failed.then().statusCode(200);
        assertEquals(1, failed.jsonPath().getInt("failed"));
        assertEquals(0, failed.jsonPath().getInt("fetched"));
        assertEquals(502, failed.jsonPath().getInt("results[0].status"));
        assertEquals("MISS", failed.jsonPath().getString("results[0].cache"));
        assertTrue(failed.jsonPath().getString("results[0].key").matches("[0-9a-f]{64}"));
    }

    // ------------------------------------------------------------------ coalescing

    @Test
    @Order(8)
    void identicalRequestsInFlightShareOneUpstreamCall() throws Exception {
        stub("fake", ok(completion("shared", 6, 3, "stop"), "0.00003").withFixedDelay(800));
        String b = body("chat-default", prompt(), false, null);
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        List<String> rids = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String rid = rid();
                rids.add(rid);
                futures.add(pool.submit(() -> {
                    go.await();
                    return call(rid).body(b).post(CHAT);
                }));
            }
            go.countDown();
            Set<String> bodies = ConcurrentHashMap.newKeySet();
            Map<String, Integer> markers = new ConcurrentHashMap<>();
            for (Future<Response> f : futures) {
                Response r = f.get();
                assertEquals(200, r.statusCode());
                bodies.add(r.asString());
                markers.merge(r.getHeader("x-aigw-cache"), 1, Integer::sum);
            }
            assertEquals(1, calls("fake"), "exactly one upstream call for " + n + " identical requests");
            assertEquals(1, bodies.size(), "everyone got the same answer");
            assertEquals(1, markers.get("MISS"), markers.toString());
            assertEquals(n - 1, markers.getOrDefault("COALESCED", 0) + markers.getOrDefault("HIT", 0), markers.toString());
        } finally {
            pool.shutdownNow();
        }
        int cachedEvents = 0;
        for (String rid : rids) {
            UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
            if (e.cached()) {
                cachedEvents++;
                assertEquals(0, BigDecimal.ZERO.compareTo(e.costUsd()));
                assertEquals(0, new BigDecimal("0.00003").compareTo(e.costSavedUsd()));
            }
        }
        assertEquals(n - 1, cachedEvents);
    }

    @Test
    @Order(9)
    void identicalStreamsInFlightShareOneUpstreamCallAndGetValidReplays() throws Exception {
        stub("fake", sse(ROLE + chunk("sha") + chunk("red") + finish("stop") + USAGE_CHUNK + AIGW_USAGE + "data: [DONE]\n\n")
                .withFixedDelay(800));
        String b = body("chat-default", prompt(), true, null);
        int n = 5;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Sse>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return stream(rid(), b);
                }));
            }
            go.countDown();
            Map<String, Integer> markers = new ConcurrentHashMap<>();
            for (Future<Sse> f : futures) {
                Sse s = f.get();
                assertEquals(200, s.status());
                markers.merge(s.header("x-aigw-cache"), 1, Integer::sum);
                StringBuilder text = new StringBuilder();
                for (String d : s.data()) {
                    if (!d.equals("[DONE]")) {
                        text.append(MAPPER.readTree(d).at("/choices/0/delta/content").asText(""));
                    }
                }
                assertEquals("shared", text.toString());
                assertEquals("[DONE]", s.data().get(s.data().size() - 1));
                assertTrue(s.data().stream().anyMatch(d -> d.contains("\"total_tokens\":17")), "usage chunk");
            }
            assertEquals(1, calls("fake"), "one upstream stream for " + n + " identical streamed requests");
            assertEquals(1, markers.get("MISS"), markers.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(10)
    void statsEndpointAndMetrics() {
        Response s = given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/cache/stats");
        s.then().statusCode(200);
        assertEquals("UP", s.jsonPath().getString("redis"));
        assertTrue(s.jsonPath().getLong("shared.hits") >= 1);
        assertTrue(s.jsonPath().getLong("shared.misses") >= 1);
        assertTrue(s.jsonPath().getLong("shared.stores") >= 1);
        assertTrue(s.jsonPath().getLong("shared.bypasses") >= 1);
        assertTrue(s.jsonPath().getLong("shared.keys") >= 1);
        assertTrue(s.jsonPath().getLong("memory.valueBytes") > 0);
        assertTrue(s.jsonPath().getLong("memory.estimatedBytes") > 0);
        assertTrue(s.jsonPath().getDouble("shared.hitRate") > 0);
        String prom = given().get("/q/metrics").asString();
        assertTrue(prom.contains("aigw_cache_lookups_total{result=\"hit\"}"), "metrics exported");
        assertTrue(prom.contains("aigw_cache_stores_total"));
    }

    // ------------------------------------------------------------------ Redis down

    @Test
    @Order(11)
    void redisDownServesUncachedWithoutWaitingAndRecoversByItself() throws Exception {
        stub("fake", ok(completion("no redis", 3, 1, "stop"), "0.00001"));
        String b = body("chat-default", prompt(), false, null);
        // first a Redis that refuses connections, then one that hangs (every command would wait for the 1 s timeout)
        for (boolean hang : new boolean[] {false, true}) {
            if (hang) {
                redisProxy.blackhole();
            } else {
                redisProxy.cut();
            }
            try {
                List<Long> times = new ArrayList<>();
                List<String> markers = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    long t0 = System.nanoTime();
                    Response r = call(rid()).body(b).post(CHAT);
                    times.add((System.nanoTime() - t0) / 1_000_000);
                    assertEquals(200, r.statusCode());
                    assertEquals("no redis", MAPPER.readTree(r.asString()).at("/choices/0/message/content").asText());
                    markers.add(r.getHeader("x-aigw-cache"));
                }
                // after the first failures (threshold 2, then a 1 s PING that confirms it is down) Redis is skipped:
                // no later request waits for the timeout, not even when the back-off (1 s) ends and the probe fails again
                for (int i = 3; i < times.size(); i++) {
                    assertTrue(times.get(i) < 700, (hang ? "hung" : "refused") + ": request " + i + " took "
                            + times.get(i) + " ms: " + times);
                }
                assertEquals("BYPASS", markers.get(markers.size() - 1), markers.toString());
                assertEquals("DOWN", given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/cache/stats")
                        .jsonPath().getString("redis"));
            } finally {
                redisProxy.resume();
            }
            // caching resumes by itself: a request is stored again, then hits
            await("caching resumed").atMost(Duration.ofSeconds(15))
                    .until(() -> "MISS".equals(call(rid()).body(b).post(CHAT).getHeader("x-aigw-cache")));
            await("a hit after Redis came back").atMost(Duration.ofSeconds(10))
                    .until(() -> "HIT".equals(call(rid()).body(b).post(CHAT).getHeader("x-aigw-cache")));
            invalidate("{\"all\":true}").then().statusCode(200);
        }
    }

    @Test
    @Order(12)
    void whenTheLeaderFailsItsFollowersRouteOnTheirOwn() throws Exception {
        ResponseDefinitionBuilder fail = aResponse().withStatus(502).withHeader("Content-Type", "application/json")
                .withFixedDelay(600)
                .withBody("{\"errorClass\":\"BAD_REQUEST\",\"providerStatus\":400,\"message\":\"no\",\"provider\":\"fake\",\"model\":\"fake-chat\"}");
        stub("fake", fail);
        String b = body("fake/fake-chat", prompt(), false, null);
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call(rid()).body(b).post(CHAT);
                }));
            }
            go.countDown();
            for (Future<Response> f : futures) {
                Response r = f.get();
                assertEquals(400, r.statusCode(), r.asString());
                assertEquals("MISS", r.getHeader("x-aigw-cache"));
            }
        } finally {
            pool.shutdownNow();
        }
        // nothing shared a failure: the leader's call, then one call per released follower
        assertEquals(n, calls("fake"));
    }

    @Test
    @Order(13)
    void aLeaderWhoseClientLeavesDuringTheLookupFreesItsGroup() throws Exception {
        stub("fake", ok(completion("left early", 3, 1, "stop"), "0.00001"));
        String b = body("chat-default", prompt(), false, null);
        byte[] json = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String leaver = rid();
        String head = "POST " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Aigw-Internal-Token: " + TOKEN
                + "\r\nX-Request-Id: " + leaver + "\r\nX-Aigw-Caller-User: user-c\r\nX-Aigw-Caller-Key: key-c"
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n";
        assertEquals(0, cache.inFlight());
        // The leader's lookup hangs: every connection stays open and nothing is forwarded. (blackhole() would close the
        // pooled connections first, and a lookup sent on one of those fails at once instead of hanging.)
        redisProxy.hang();
        try {
            try (java.net.Socket client = new java.net.Socket(base.getHost(), base.getPort())) {
                client.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                client.getOutputStream().write(json);
                client.getOutputStream().flush();
                await("the leader is looking the key up").atMost(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofMillis(5)).until(() -> cache.inFlight() == 1);
            } // the client goes away while the lookup is pending
            // the group is closed at once, not left for every later identical request to wait on
            await("the group of the departed leader closed").atMost(Duration.ofSeconds(5))
                    .until(() -> cache.inFlight() == 0);
            // and the request is accounted for, though it never reached the routed pipeline
            UsageEvent e = usage.await(leaver, Duration.ofSeconds(30)).event();
            assertEquals(UsageEvent.Outcome.ERROR, e.outcome());
            assertEquals("CLIENT_DISCONNECTED", e.errorClass());
        } finally {
            redisProxy.resume();
        }
        await("caching resumed").atMost(Duration.ofSeconds(15))
                .until(() -> "MISS".equals(call(rid()).body(b).post(CHAT).getHeader("x-aigw-cache")));
        invalidate("{\"all\":true}").then().statusCode(200);
    }
}
