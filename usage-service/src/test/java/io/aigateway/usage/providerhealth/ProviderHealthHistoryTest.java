package io.aigateway.usage.providerhealth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.health.ProviderHealthEvent;
import io.aigateway.contracts.health.ProviderHealthEvent.Type;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.Topics;
import io.aigateway.usage.providerhealth.repository.ProviderHealthRepository;
import io.aigateway.usage.providerhealth.service.HealthHistoryPurge;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Kafka (ai.health.v1) → usage-service → real PostgreSQL → GET /internal/v1/health/history. */
@QuarkusTest
class ProviderHealthHistoryTest {

    private static final String TOKEN = "test-internal-token";
    private static final String PATH = "/internal/v1/health/history";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = Json.newMapper();

    @Inject
    Pool pool;
    @Inject
    ProviderHealthRepository repository;
    @Inject
    HealthHistoryPurge purge;

    @Test
    void transitionsAndSnapshotsNewestFirstWithEveryField() throws Exception {
        String provider = "p-trans-" + RUN;
        Instant base = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MICROS);
        ProviderHealthEvent down = new ProviderHealthEvent(UUID.randomUUID(), provider, Type.TRANSITION, false, true,
                "HTTP 503", 12L, 1, base.minusMillis(5), base, "adapter-1");
        ProviderHealthEvent snapshot = new ProviderHealthEvent(UUID.randomUUID(), provider, Type.SNAPSHOT, false, null,
                "HTTP 503", 9L, 3, base.plusSeconds(60), base.plusSeconds(60), "adapter-1");
        ProviderHealthEvent up = new ProviderHealthEvent(UUID.randomUUID(), provider, Type.TRANSITION, true, false,
                null, null, 0, base.plusSeconds(120), base.plusSeconds(120), "adapter-2");
        for (ProviderHealthEvent e : List.of(down, snapshot, up)) {
            send(e);
        }

        JsonPath page = awaitRows(provider, rows -> rows.size() == 3);
        assertEquals(List.of(up.eventId().toString(), snapshot.eventId().toString(), down.eventId().toString()),
                page.getList("rows.eventId"));
        assertNull(page.get("nextCursor"));
        Map<String, Object> first = page.getMap("rows[2]");
        assertEquals(provider, first.get("provider"));
        assertEquals("TRANSITION", first.get("type"));
        assertEquals(false, first.get("healthy"));
        assertEquals(true, first.get("previousHealthy"));
        assertEquals("HTTP 503", first.get("detail"));
        assertEquals(12, first.get("latencyMs"));
        assertEquals(1, first.get("consecutiveFailures"));
        assertEquals(down.checkedAt(), Instant.parse((String) first.get("checkedAt")));
        assertEquals(base, Instant.parse((String) first.get("occurredAt")));
        assertTrue(((String) first.get("occurredAt")).endsWith("Z"), "UTC");
        assertEquals("adapter-1", first.get("instance"));
        assertEquals("SNAPSHOT", page.get("rows[1].type"));
        assertEquals(3, (int) page.get("rows[1].consecutiveFailures"));

        // null fields are there, as null; the ops caller may read too
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-ops-00000").queryParam("provider", provider)
                .get(PATH).then().statusCode(200)
                .body("rows[0]", hasKey("detail")).body("rows[0].detail", nullValue())
                .body("rows[0].latencyMs", nullValue()).body("rows[1].previousHealthy", nullValue())
                .body("$", hasKey("nextCursor"));
    }

    @Test
    void aRedeliveredEventIsStoredOnce() throws Exception {
        String provider = "p-dup-" + RUN;
        ProviderHealthEvent e = event(provider, Instant.now().minusSeconds(30));
        send(e);
        send(e);
        // same key ⇒ same partition ⇒ in order: once the marker is stored, both copies were handled
        ProviderHealthEvent marker = event(provider, Instant.now().minusSeconds(20));
        send(marker);
        JsonPath page = awaitRows(provider, rows -> rows.contains(marker.eventId().toString()));
        assertEquals(List.of(marker.eventId().toString(), e.eventId().toString()), page.getList("rows.eventId"));
        long stored = pool.preparedQuery("SELECT count(*) FROM usage.provider_health WHERE event_id = $1")
                .execute(Tuple.of(e.eventId())).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(1, stored);
    }

    @Test
    void malformedRecordsAreSkippedAndTheChannelKeepsGoing() throws Exception {
        String provider = "p-bad-" + RUN;
        HistoryTopics.send(Topics.HEALTH, provider, "{\"provider\":\"" + provider + "\", oops");
        HistoryTopics.send(Topics.HEALTH, provider, "{\"provider\":\"" + provider + "\",\"type\":\"TRANSITION\"}");
        HistoryTopics.send(Topics.HEALTH, provider, "[1,2,3]");
        HistoryTopics.send(Topics.HEALTH, provider, null);
        HistoryTopics.send(Topics.HEALTH, provider, JSON.writeValueAsString(event(provider, Instant.now()))
                .replace("\"TRANSITION\"", "\"SOMETHING_ELSE\""));
        ProviderHealthEvent good = event(provider, Instant.now().minusSeconds(1));
        send(good);
        JsonPath page = awaitRows(provider, rows -> !rows.isEmpty());
        assertEquals(List.of(good.eventId().toString()), page.getList("rows.eventId"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("aigw_health_events_total{outcome=\"skipped\""));

        // a NUL in the text is replaced (PostgreSQL text cannot hold it), the record is stored
        ProviderHealthEvent nul = new ProviderHealthEvent(UUID.randomUUID(), provider, Type.SNAPSHOT, true, null,
                "a\u0000b", 5L, 0, Instant.now(), Instant.now().truncatedTo(ChronoUnit.MICROS), "i");
        send(nul);
        page = awaitRows(provider, rows -> rows.size() == 2);
        assertEquals("a\uFFFDb", page.get("rows[0].detail"));
    }

    @Test
    void providerAndTimeFiltersAndCursorPages() throws Exception {
        String provider = "p-page-" + RUN;
        Instant base = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ProviderHealthEvent e = event(provider, base.plusSeconds(i));
            ids.add(0, e.eventId().toString());
            send(e);
        }
        send(event("p-other-" + RUN, base.plusSeconds(2)));
        awaitRows(provider, rows -> rows.size() == 5);
        awaitRows("p-other-" + RUN, rows -> rows.size() == 1);

        List<Object> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var spec = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("provider", provider)
                    .queryParam("limit", 2);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            JsonPath page = spec.get(PATH).then().statusCode(200).extract().jsonPath();
            List<Object> rows = page.getList("rows.eventId");
            assertTrue(rows.size() <= 2);
            seen.addAll(rows);
            cursor = page.get("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(ids, seen, "every row once, newest first");

        // [from, to): from inclusive, to exclusive; a date means the start of that UTC day
        JsonPath window = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("provider", provider)
                .queryParam("from", base.plusSeconds(1).toString()).queryParam("to", base.plusSeconds(3).toString())
                .get(PATH).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(ids.get(2), ids.get(3)), window.getList("rows.eventId"));
        String yesterday = LocalDate.ofInstant(base, ZoneOffset.UTC).minusDays(1).toString();
        JsonPath byDate = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("provider", provider)
                .queryParam("from", yesterday).get(PATH).then().statusCode(200).extract().jsonPath();
        assertEquals(ids, byDate.getList("rows.eventId"));
        JsonPath before = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("provider", provider)
                .queryParam("to", base.toString()).get(PATH).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(), before.getList("rows"));
        // without a provider filter, other providers' rows are there too
        JsonPath all = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN)
                .queryParam("from", base.toString()).queryParam("to", base.plusSeconds(5).toString())
                .queryParam("limit", 1000).get(PATH).then().statusCode(200).extract().jsonPath();
        assertTrue(all.getList("rows.provider").contains("p-other-" + RUN));
    }

    @Test
    void badQueriesAre400WithTheParam() {
        bad(Map.of("limit", "0"), "limit");
        bad(Map.of("limit", "1001"), "limit");
        bad(Map.of("limit", "ten"), "limit");
        bad(Map.of("from", "yesterday"), "from");
        bad(Map.of("to", "2026-13-01"), "to");
        bad(Map.of("from", "2026-01-02", "to", "2026-01-01"), "from");
        bad(Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-01-01T00:00:00Z"), "from");
        bad(Map.of("cursor", "not a cursor"), "cursor");
        bad(Map.of("cursor", "YWJj"), "cursor");
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("limit", 1000).get(PATH).then().statusCode(200);
    }

    @Test
    void onlyAdminAndOpsCallers() {
        given().get(PATH).then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header(AigwHeaders.INTERNAL_TOKEN, "wrong-token").get(PATH).then().statusCode(401);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-edge-0000").get(PATH).then().statusCode(403)
                .body("error.type", equalTo("permission_error"));
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-routing-0").get(PATH).then().statusCode(403);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-admin-000").get(PATH).then().statusCode(200);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-ops-00000").get(PATH).then().statusCode(200);
    }

    @Test
    void purgeDeletesRowsPastTheRetention() {
        ProviderHealthEvent old = event("p-purge-" + RUN, Instant.now().minus(91, ChronoUnit.DAYS));
        ProviderHealthEvent kept = event("p-purge-" + RUN, Instant.now().minus(89, ChronoUnit.DAYS));
        assertTrue(repository.insertIfAbsent(old).await().atMost(Duration.ofSeconds(10)));
        assertTrue(repository.insertIfAbsent(kept).await().atMost(Duration.ofSeconds(10)));
        Integer deleted = purge.purge().await().atMost(Duration.ofSeconds(30));
        assertNotNull(deleted);
        assertTrue(deleted >= 1);
        assertEquals(0, count(old.eventId()));
        assertEquals(1, count(kept.eventId()));
    }

    private long count(UUID eventId) {
        return pool.preparedQuery("SELECT count(*) FROM usage.provider_health WHERE event_id = $1")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private static void bad(Map<String, String> query, String param) {
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParams(query).get(PATH)
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo(param));
    }

    private static ProviderHealthEvent event(String provider, Instant at) {
        Instant t = at.truncatedTo(ChronoUnit.MICROS);
        return new ProviderHealthEvent(UUID.randomUUID(), provider, Type.TRANSITION, false, true, "HTTP 500", 7L, 1,
                t, t, "adapter-test");
    }

    private static void send(ProviderHealthEvent e) throws Exception {
        HistoryTopics.send(Topics.HEALTH, e.provider(), JSON.writeValueAsString(e));
    }

    /** Reads the provider's history (one page of up to 1000) until {@code done} accepts its event ids. */
    private static JsonPath awaitRows(String provider, Predicate<List<String>> done) {
        return await("health history of " + provider).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("provider", provider)
                                .queryParam("limit", 1000).get(PATH).then().statusCode(200).extract().jsonPath(),
                        page -> done.test(page.getList("rows.eventId")));
    }
}
