package io.aigateway.usage.analytics;

import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.records.service.UsageIngestService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analytics routes against real PostgreSQL. Rows are stored through the ingest service (so the rollup is kept
 * the way production keeps it), in an hour range of the 1990s picked at random per run, with provider and user ids
 * unique to the run, so nothing collides with other tests or earlier runs.
 */
@QuarkusTest
class AnalyticsApiTest {

    private static final String TOKEN = "test-internal-token";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** 01:00 UTC of a random day in 1990..1998 (so the first seeded hours and the next day's are whole days). */
    private static final Instant T = Instant.parse("1990-01-01T01:00:00Z")
            .plus(ThreadLocalRandom.current().nextLong(365 * 9), ChronoUnit.DAYS);
    private static final String PA = "pa-" + RUN;
    private static final String PB = "pb-" + RUN;
    private static final String UA = "ua-" + RUN;
    /** A user id that needs CSV quoting. */
    private static final String UQ = "uq,\"quoted\"-" + RUN;
    private static final String CTX = "ctx, \"x\"";

    private static List<UsageEvent> seeded;

    @Inject
    UsageIngestService ingest;

    @Inject
    Pool pool;

    @BeforeEach
    void seed() {
        if (seeded != null) {
            return;
        }
        List<UsageEvent> events = new ArrayList<>();
        events.add(event(UA, PA, "m1", T.plus(10, ChronoUnit.MINUTES), "0.0012345678", "0.5", 100, false, 1));
        events.add(event(UA, PA, "m1", T.plus(65, ChronoUnit.MINUTES), "0.0000000001", null, 300, true, 1));
        events.add(event(UQ, PA, "m2", T.plus(150, ChronoUnit.MINUTES), "1.25", "0.0000000009", 200, false, 2));
        events.add(event(UQ, PB, "m3", T.plus(25, ChronoUnit.HOURS), "3.3333333333", null, 50, false, 1));
        events.add(error(UA, PB, "m3", T.plus(26, ChronoUnit.HOURS).plus(59, ChronoUnit.MINUTES)));
        events.add(event(UA, PA, "m1", T.plus(27, ChronoUnit.HOURS).plus(30, ChronoUnit.MINUTES), "0.1", null, 10,
                false, 1));
        // before the range used by most asserts
        events.add(event(UA, PA, "m1", T.minus(1, ChronoUnit.MINUTES), "7", null, 10, false, 1));
        assertEquals(List.of(), ingest.storeAll(events).await().atMost(Duration.ofSeconds(30)));
        seeded = events;
    }

    private static UsageEvent event(String user, String provider, String model, Instant at, String cost, String saved,
                                    long latency, boolean cached, int attempts) {
        List<UsageEvent.Attempt> tries = new ArrayList<>();
        for (int i = 1; i < attempts; i++) {
            tries.add(new UsageEvent.Attempt("other", model, "UPSTREAM_5XX", 503, 5));
        }
        tries.add(new UsageEvent.Attempt(provider, model, null, null, latency));
        return new UsageEvent(UUID.randomUUID(), "req-" + UUID.randomUUID(), at, user, "key-" + RUN, CTX, model,
                provider, model, "cost", 10, 20, 30, false, new BigDecimal(cost),
                saved == null ? null : new BigDecimal(saved), latency, cached ? null : latency / 2, !cached, cached,
                UsageEvent.Outcome.SUCCESS, null, tries);
    }

    private static UsageEvent error(String user, String provider, String model, Instant at) {
        return new UsageEvent(UUID.randomUUID(), "req-" + UUID.randomUUID(), at, user, null, null, model, provider,
                model, "cost", 0, 0, 0, true, BigDecimal.ZERO, null, 1000, null, false, false,
                UsageEvent.Outcome.ERROR, "TIMEOUT", List.of(new UsageEvent.Attempt(provider, model, "TIMEOUT", null,
                1000)));
    }

    private static RequestSpecification admin() {
        return given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-admin-000");
    }

    /** The range most asserts use: a partial first hour, whole hours, a partial last hour. */
    private static RequestSpecification inRange(RequestSpecification spec) {
        return spec.queryParam("from", T.plus(5, ChronoUnit.MINUTES).toString())
                .queryParam("to", T.plus(27, ChronoUnit.HOURS).plus(45, ChronoUnit.MINUTES).toString());
    }

    private static List<UsageEvent> expectedIn(Predicate<UsageEvent> filter) {
        Instant from = T.plus(5, ChronoUnit.MINUTES);
        Instant to = T.plus(27, ChronoUnit.HOURS).plus(45, ChronoUnit.MINUTES);
        return seeded.stream().filter(e -> !e.occurredAt().isBefore(from) && e.occurredAt().isBefore(to))
                .filter(filter).toList();
    }

    private static BigDecimal cost(List<UsageEvent> events) {
        return events.stream().map(UsageEvent::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void analyticsByProviderMixesRollupAndEdgesExactly() {
        JsonPath body = inRange(admin()).queryParam("groupBy", "provider").queryParam("provider", PA)
                .get("/internal/v1/usage/analytics").then().statusCode(200)
                .body("groupBy", equalTo(List.of("provider")))
                .body("nextCursor", nullValue())
                .body("rows.size()", equalTo(1)).extract().jsonPath();
        List<UsageEvent> pa = expectedIn(e -> e.provider().equals(PA));
        assertEquals(4, pa.size());
        assertEquals(PA, body.getString("rows[0].provider"));
        assertEquals(4, body.getInt("rows[0].requests"));
        assertEquals(0, body.getInt("rows[0].errors"));
        assertEquals(1, body.getInt("rows[0].cachedRequests"));
        assertEquals(40, body.getInt("rows[0].promptTokens"));
        assertEquals(80, body.getInt("rows[0].completionTokens"));
        assertEquals(cost(pa).setScale(10).toPlainString(), body.getString("rows[0].costUsd"));
        assertEquals("1.3512345679", body.getString("rows[0].costUsd"));
        assertEquals("0.5000000009", body.getString("rows[0].costSavedUsd"));
        assertEquals(152.5f, body.getFloat("rows[0].avgLatencyMs"));
        assertEquals(300, body.getInt("rows[0].p95LatencyMs"));
        assertEquals(T.plus(5, ChronoUnit.MINUTES).toString(), body.getString("from"));
    }

    @Test
    void analyticsByUserAndDayWithFiltersAndCursorPages() {
        List<Map<String, Object>> all = inRange(admin()).queryParam("groupBy", "user,day")
                .queryParam("keyId", "key-" + RUN).get("/internal/v1/usage/analytics")
                .then().statusCode(200).extract().jsonPath().getList("rows");
        // key-RUN: every success event in range (the error has no key): UA day0 ×2, UQ day0 ×1, UQ day1, UA day1
        LocalDate d0 = LocalDate.ofInstant(T, ZoneOffset.UTC);
        assertEquals(4, all.size(), all.toString());
        List<Map<String, Object>> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification spec = inRange(admin()).queryParam("groupBy", "user").queryParam("groupBy", "day")
                    .queryParam("keyId", "key-" + RUN).queryParam("limit", 1);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            JsonPath page = spec.get("/internal/v1/usage/analytics").then().statusCode(200).extract().jsonPath();
            paged.addAll(page.getList("rows"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(4, pages);
        assertEquals(all, paged, "pages in order, none missing, none twice");
        assertEquals(UA, all.get(0).get("userId"));
        assertEquals(d0.toString(), all.get(0).get("day"));
        assertEquals(2, all.get(0).get("requests"));

        // a cursor of another grouping, or garbage, is a 400 naming the cursor
        String userCursor = inRange(admin()).queryParam("groupBy", "user,day").queryParam("keyId", "key-" + RUN)
                .queryParam("limit", 1).get("/internal/v1/usage/analytics").then().extract().path("nextCursor");
        inRange(admin()).queryParam("groupBy", "day").queryParam("cursor", userCursor)
                .get("/internal/v1/usage/analytics").then().statusCode(400).body("error.param", equalTo("cursor"));
        inRange(admin()).queryParam("groupBy", "day").queryParam("cursor", "%%%")
                .get("/internal/v1/usage/analytics").then().statusCode(400).body("error.param", equalTo("cursor"));

        // userId filter, hour grouping, outcome filter
        admin().queryParam("from", T.toString()).queryParam("to", T.plus(2, ChronoUnit.DAYS).toString())
                .queryParam("userId", UA).queryParam("outcome", "error").queryParam("groupBy", "hour,provider,key,context")
                .get("/internal/v1/usage/analytics").then().statusCode(200)
                .body("rows.size()", equalTo(1))
                .body("rows[0].hour", equalTo(T.plus(26, ChronoUnit.HOURS).toString()))
                .body("rows[0].provider", equalTo(PB))
                .body("rows[0].keyId", nullValue())
                .body("rows[0].context", nullValue())
                .body("rows[0].errors", equalTo(1))
                .body("rows[0].costUsd", equalTo("0.0000000000"));
    }

    @Test
    void costsJsonCsvAndRowsAgreeToTheLastDecimal() {
        JsonPath json = inRange(admin()).queryParam("groupBy", "user,provider")
                .get("/internal/v1/usage/costs").then().statusCode(200)
                .body("currency", equalTo("USD")).extract().jsonPath();
        List<UsageEvent> inRange = expectedIn(e -> e.provider().equals(PA) || e.provider().equals(PB));
        String expected = cost(inRange).setScale(10).toPlainString();
        assertEquals("4.6845679012", expected);
        // the range holds only this run's rows (a random hour range of the 1990s)
        assertEquals(expected, json.getString("totalUsd"));
        assertEquals("0.5000000009", json.getString("costSavedUsd"));
        List<Map<String, Object>> rows = json.getList("rows");
        assertEquals(expected, rows.stream().map(r -> new BigDecimal((String) r.get("costUsd")))
                .reduce(BigDecimal.ZERO, BigDecimal::add).toPlainString());
        Map<String, Object> projection = json.getMap("projection");
        assertEquals("trailing 7-day daily average × days left in the month + month to date",
                projection.get("method"));
        assertEquals(7, projection.get("trailingDays"));
        assertNotNull(projection.get("projectedMonthEndUsd"));
        assertNotNull(projection.get("remainingDays"));

        for (boolean viaParam : new boolean[] {true, false}) {
            RequestSpecification spec = inRange(admin()).queryParam("groupBy", "user,provider");
            spec = viaParam ? spec.queryParam("format", "csv") : spec.accept("text/csv");
            String csv = spec.get("/internal/v1/usage/costs").then().statusCode(200)
                    .contentType(startsWith("text/csv")).extract().asString();
            List<List<String>> lines = parseCsv(csv);
            assertEquals(List.of("userId", "provider", "requests", "promptTokens", "completionTokens", "costUsd",
                    "costSavedUsd"), lines.get(0));
            assertEquals(rows.size() + 1, lines.size());
            BigDecimal csvTotal = BigDecimal.ZERO;
            for (int i = 1; i < lines.size(); i++) {
                List<String> l = lines.get(i);
                Map<String, Object> r = rows.get(i - 1);
                assertEquals(r.get("userId"), l.get(0));
                assertEquals(r.get("provider"), l.get(1));
                assertEquals(r.get("costUsd"), l.get(5));
                csvTotal = csvTotal.add(new BigDecimal(l.get(5)));
            }
            assertEquals(expected, csvTotal.toPlainString());
            assertTrue(csv.contains("\"uq,\"\"quoted\"\"-" + RUN + "\""), csv);
        }
        assertEquals(4, rows.size());

        // more rows than the JSON may hold (%test cap: 4): 400 pointing at CSV, which streams them all
        inRange(admin()).queryParam("groupBy", "user,day,provider").get("/internal/v1/usage/costs").then()
                .statusCode(400).body("error.param", equalTo("groupBy"));
        String csv = inRange(admin()).queryParam("groupBy", "user,day,provider").queryParam("format", "csv")
                .get("/internal/v1/usage/costs").then().statusCode(200).extract().asString();
        List<List<String>> lines = parseCsv(csv);
        assertEquals(6, lines.size(), csv);
        assertEquals(expected, lines.stream().skip(1).map(l -> new BigDecimal(l.get(6)))
                .reduce(BigDecimal.ZERO, BigDecimal::add).toPlainString());
    }

    @Test
    void redeliveredEventsDoNotCountTwiceInTheRollup() {
        Map<String, Object> before = rollup(PA);
        assertEquals(List.of(), ingest.storeAll(seeded).await().atMost(Duration.ofSeconds(30)));
        assertEquals(Boolean.FALSE, ingest.store(seeded.get(0)).await().atMost(Duration.ofSeconds(30)));
        assertEquals(before, rollup(PA));
        // the rollup equals the raw rows
        assertEquals(raw(PA), before);
        assertEquals(5L, before.get("requests"));
    }

    private Map<String, Object> rollup(String provider) {
        return one("SELECT sum(requests)::int8 AS requests, sum(cost_usd) AS cost, sum(cached_requests)::int8 AS cached "
                + "FROM usage.usage_hourly WHERE provider = $1", provider);
    }

    private Map<String, Object> raw(String provider) {
        return one("SELECT count(*)::int8 AS requests, sum(cost_usd)::numeric(30,10) AS cost, "
                + "count(*) FILTER (WHERE cached)::int8 AS cached FROM usage.usage_records WHERE provider = $1", provider);
    }

    private Map<String, Object> one(String sql, String arg) {
        Row r = pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        Map<String, Object> m = new HashMap<>();
        m.put("requests", r.getLong("requests"));
        m.put("cost", r.getBigDecimal("cost").setScale(10).toPlainString());
        m.put("cached", r.getLong("cached"));
        return m;
    }

    @Test
    void requestRecordsWithAttempts() {
        UsageEvent e = seeded.get(2);
        admin().get("/internal/v1/usage/requests/" + e.requestId()).then().statusCode(200)
                .body("requestId", equalTo(e.requestId()))
                .body("records.size()", equalTo(1))
                .body("records[0].eventId", equalTo(e.eventId().toString()))
                .body("records[0].userId", equalTo(UQ))
                .body("records[0].costUsd", equalTo("1.2500000000"))
                .body("records[0].costSavedUsd", equalTo("0.0000000009"))
                .body("records[0].outcome", equalTo("SUCCESS"))
                .body("records[0].attempts.size()", equalTo(2))
                .body("records[0].attempts[0].status", equalTo(503))
                .body("records[0].occurredAt", equalTo(e.occurredAt().toString()));
        admin().get("/internal/v1/usage/requests/nope-" + RUN).then().statusCode(404)
                .body("error.code", equalTo("not_found"));
    }

    @Test
    void metricsWindow() {
        String provider = "pm-" + RUN;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<UsageEvent> recent = List.of(
                event("um-" + RUN, provider, "mm", now.minusSeconds(60), "0.25", null, 100, false, 2),
                event("um-" + RUN, provider, "mm", now.minusSeconds(30), "0.5", null, 300, true, 1),
                error("um-" + RUN, provider, "mm", now.minusSeconds(10)));
        ingest.storeAll(recent).await().atMost(Duration.ofSeconds(30));
        JsonPath m = admin().queryParam("window", "15m").get("/internal/v1/usage/metrics").then().statusCode(200)
                .body("window", equalTo("15m")).extract().jsonPath();
        assertTrue(m.getLong("requests") >= 3);
        assertNotNull(m.get("latencyMs.p95"));
        assertNotNull(m.get("errorRate"));
        Map<String, Object> p = m.getList("byProvider", Map.class).stream()
                .filter(x -> provider.equals(x.get("provider"))).findFirst().orElseThrow();
        assertEquals(3, p.get("requests"));
        assertEquals(1, p.get("errors"));
        assertEquals("0.7500000000", p.get("costUsd"));
        Map<String, Object> model = m.getList("byModel", Map.class).stream()
                .filter(x -> provider.equals(x.get("provider"))).findFirst().orElseThrow();
        assertEquals("mm", model.get("model"));
        assertEquals(20, model.get("promptTokens"));
        admin().get("/internal/v1/usage/metrics").then().statusCode(200).body("window", equalTo("1h"));
        admin().queryParam("window", "7d").get("/internal/v1/usage/metrics").then().statusCode(400)
                .body("error.param", equalTo("window"));
    }

    @Test
    void badParametersAre400WithParam() {
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        cases.put("from", Map.of("from", "2026-02-30"));
        cases.put("to", Map.of("to", "soon"));
        cases.put("groupBy", Map.of("groupBy", "planet"));
        cases.put("limit", Map.of("limit", "1001"));
        cases.put("outcome", Map.of("outcome", "maybe"));
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            admin().queryParams(c.getValue()).get("/internal/v1/usage/analytics").then().statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.param", equalTo(c.getKey()));
        }
        admin().queryParam("from", "2026-12-02").queryParam("to", "2026-12-01").get("/internal/v1/usage/analytics")
                .then().statusCode(400).body("error.param", equalTo("from"));
        admin().queryParam("limit", "0").get("/internal/v1/usage/analytics")
                .then().statusCode(400).body("error.param", equalTo("limit"));
        admin().queryParam("groupBy", "context").get("/internal/v1/usage/costs")
                .then().statusCode(400).body("error.param", equalTo("groupBy"));
        admin().queryParam("groupBy", "hour").queryParam("format", "csv").get("/internal/v1/usage/costs")
                .then().statusCode(400).body("error.param", equalTo("groupBy"));
        admin().queryParam("format", "xml").get("/internal/v1/usage/costs")
                .then().statusCode(400).body("error.param", equalTo("format"));
    }

    @Test
    void onlyAdminAndOpsCallersGetIn() {
        for (String path : List.of("/internal/v1/usage/analytics", "/internal/v1/usage/costs",
                "/internal/v1/usage/metrics", "/internal/v1/usage/requests/r-" + RUN)) {
            given().get(path).then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
            given().header(AigwHeaders.INTERNAL_TOKEN, "wrong-token").get(path).then().statusCode(401);
            given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-edge-0000").get(path).then().statusCode(403)
                    .body("error.type", equalTo("permission_error"));
            given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-routing-0").get(path).then().statusCode(403);
            int ok = path.contains("/requests/") ? 404 : 200;
            given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-ops-00000").get(path).then().statusCode(ok);
            admin().get(path).then().statusCode(ok);
        }
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).accept("text/csv").get("/internal/v1/usage/costs")
                .then().statusCode(200);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-edge-0000").accept("text/csv")
                .get("/internal/v1/usage/costs").then().statusCode(403);
    }

    /** RFC 4180 (quoted fields, doubled quotes, CRLF) — enough for the export. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                line.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                line.add(field.toString());
                field.setLength(0);
                lines.add(line);
                line = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertNull(quoted ? "open quote" : null);
        assertEquals(0, field.length() + line.size(), "ends with CRLF");
        return lines;
    }
}
