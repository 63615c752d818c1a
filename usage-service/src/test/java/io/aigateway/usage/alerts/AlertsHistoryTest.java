package io.aigateway.usage.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.health.ProviderAlert;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.Topics;
import io.aigateway.usage.providerhealth.HistoryTopics;
import io.aigateway.usage.quota.alerts.QuotaAlert;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Kafka (ai.alerts.v1) → usage-service → real PostgreSQL → GET /internal/v1/alerts. */
@QuarkusTest
class AlertsHistoryTest {

    private static final String TOKEN = "test-internal-token";
    private static final String PATH = "/internal/v1/alerts";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = Json.newMapper();

    @Test
    void providerAndQuotaAlertsAreListedWithTheirTypesAndSubjects() throws Exception {
        String provider = "fake-" + RUN;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ProviderAlert outage = new ProviderAlert(UUID.randomUUID(), ProviderAlert.TYPE, now.minusSeconds(30), provider,
                3, 3, "HTTP 503", now.minusSeconds(90), "adapter-1");
        HistoryTopics.send(Topics.ALERTS, "provider:" + provider, JSON.writeValueAsString(outage));
        String user = "u-" + RUN;
        QuotaAlert quota = new QuotaAlert(UUID.randomUUID(), QuotaAlert.TYPE, now.minusSeconds(20), user, null, "free",
                "day", "2026-12-03", "requests", 80, 5, 4, now.plusSeconds(3600));
        HistoryTopics.send(Topics.ALERTS, "u:" + user, JSON.writeValueAsString(quota));
        // as produced before quota alerts had a type: classified by its keyId
        String key = "k-" + RUN;
        UUID legacyId = UUID.randomUUID();
        String legacy = "{\"alertId\":\"" + legacyId + "\",\"occurredAt\":\"" + now.minusSeconds(10) + "\",\"keyId\":\""
                + key + "\",\"window\":\"month\",\"metric\":\"spend\",\"threshold\":100,\"limit\":\"10\",\"used\":\"10.5\"}";
        HistoryTopics.send(Topics.ALERTS, "k:" + key, legacy);

        JsonPath p = awaitRows("provider:" + provider, rows -> rows.size() == 1);
        assertEquals(outage.alertId().toString(), p.get("rows[0].alertId"));
        assertEquals("provider_unhealthy", p.get("rows[0].type"));
        assertEquals("provider:" + provider, p.get("rows[0].subject"));
        assertEquals(outage.occurredAt(), Instant.parse(p.get("rows[0].occurredAt")));
        assertEquals(provider, p.get("rows[0].payload.provider"));
        assertEquals(3, (int) p.get("rows[0].payload.consecutiveFailures"));
        assertEquals("HTTP 503", p.get("rows[0].payload.detail"));
        assertEquals(outage.since(), Instant.parse(p.get("rows[0].payload.since")));
        assertNull(p.get("nextCursor"));

        JsonPath q = awaitRows("user:" + user, rows -> rows.size() == 1);
        assertEquals("quota_threshold", q.get("rows[0].type"));
        assertEquals("quota_threshold", q.get("rows[0].payload.type"));
        assertEquals(80, (int) q.get("rows[0].payload.threshold"));
        assertEquals(user, q.get("rows[0].payload.userId"));

        JsonPath k = awaitRows("key:" + key, rows -> rows.size() == 1);
        assertEquals(legacyId.toString(), k.get("rows[0].alertId"));
        assertEquals("quota_threshold", k.get("rows[0].type"));
        assertFalse(k.getMap("rows[0].payload").containsKey("type"), "the payload is the alert as sent");
        assertEquals("10.5", k.get("rows[0].payload.used"));

        // type filter, alone and with the subject
        assertEquals(List.of(), list(Map.of("type", "quota_threshold", "subject", "provider:" + provider))
                .getList("rows"));
        assertEquals(1, list(Map.of("type", "provider_unhealthy", "subject", "provider:" + provider))
                .getList("rows").size());
        JsonPath byType = list(Map.of("type", "quota_threshold", "limit", "1000",
                "from", now.minusSeconds(60).toString()));
        assertTrue(byType.getList("rows.alertId").containsAll(List.of(quota.alertId().toString(), legacyId.toString())));
        assertTrue(byType.getList("rows.type").stream().allMatch("quota_threshold"::equals));
        // the ops caller may read too
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-ops-00000").queryParam("subject", "user:" + user)
                .get(PATH).then().statusCode(200).body("rows[0].type", equalTo("quota_threshold"));
    }

    @Test
    void redeliveredAndMalformedAlerts() throws Exception {
        String provider = "p-dup-" + RUN;
        String subject = "provider:" + provider;
        ProviderAlert a = alert(provider, Instant.now().minusSeconds(30));
        HistoryTopics.send(Topics.ALERTS, subject, JSON.writeValueAsString(a));
        HistoryTopics.send(Topics.ALERTS, subject, JSON.writeValueAsString(a));
        HistoryTopics.send(Topics.ALERTS, subject, "not json");
        HistoryTopics.send(Topics.ALERTS, subject, "\"a string\"");
        HistoryTopics.send(Topics.ALERTS, subject, null);
        HistoryTopics.send(Topics.ALERTS, subject, "{\"alertId\":\"nope\",\"type\":\"provider_unhealthy\"}");
        HistoryTopics.send(Topics.ALERTS, subject, "{\"alertId\":\"" + UUID.randomUUID()
                + "\",\"occurredAt\":\"" + Instant.now() + "\",\"type\":\"provider_unhealthy\"}");
        HistoryTopics.send(Topics.ALERTS, subject, "{\"alertId\":\"" + UUID.randomUUID()
                + "\",\"occurredAt\":\"" + Instant.now() + "\",\"threshold\":80}");
        ProviderAlert marker = alert(provider, Instant.now().minusSeconds(10));
        HistoryTopics.send(Topics.ALERTS, subject, JSON.writeValueAsString(marker));

        JsonPath page = awaitRows(subject, rows -> rows.contains(marker.alertId().toString()));
        assertEquals(List.of(marker.alertId().toString(), a.alertId().toString()), page.getList("rows.alertId"),
                "stored once, the bad ones skipped, the channel still going");
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("aigw_alerts_events_total{outcome=\"skipped\""))
                .body(org.hamcrest.Matchers.containsString("aigw_alerts_events_total{outcome=\"duplicate\""));
    }

    @Test
    void timeWindowAndCursorPages() throws Exception {
        String provider = "p-page-" + RUN;
        String subject = "provider:" + provider;
        Instant base = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ProviderAlert a = alert(provider, base.plusSeconds(i));
            ids.add(0, a.alertId().toString());
            HistoryTopics.send(Topics.ALERTS, subject, JSON.writeValueAsString(a));
        }
        awaitRows(subject, rows -> rows.size() == 5);

        List<Object> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var spec = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("subject", subject)
                    .queryParam("limit", 2);
            if (cursor != null) {
                spec.queryParam("cursor", cursor);
            }
            JsonPath page = spec.get(PATH).then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("rows.alertId"));
            cursor = page.get("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(ids, seen);

        JsonPath window = list(Map.of("subject", subject, "from", base.plusSeconds(1).toString(),
                "to", base.plusSeconds(3).toString()));
        assertEquals(List.of(ids.get(2), ids.get(3)), window.getList("rows.alertId"));
    }

    @Test
    void badQueriesAndCallers() {
        bad(Map.of("limit", "0"), "limit");
        bad(Map.of("limit", "1001"), "limit");
        bad(Map.of("from", "soon"), "from");
        bad(Map.of("to", "2026-02-30"), "to");
        bad(Map.of("from", "2026-03-01", "to", "2026-02-01"), "from");
        bad(Map.of("cursor", "!!!"), "cursor");
        bad(Map.of("subject", "x".repeat(600)), "subject");

        given().get(PATH).then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-edge-0000").get(PATH).then().statusCode(403)
                .body("error.type", equalTo("permission_error"));
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-admin-000").get(PATH).then().statusCode(200);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-ops-00000").get(PATH).then().statusCode(200);
    }

    private static ProviderAlert alert(String provider, Instant at) {
        return new ProviderAlert(UUID.randomUUID(), ProviderAlert.TYPE, at.truncatedTo(ChronoUnit.MICROS), provider,
                3, 3, "connect refused", at.minusSeconds(60), "adapter-test");
    }

    private static void bad(Map<String, String> query, String param) {
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParams(query).get(PATH)
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo(param));
    }

    private static JsonPath list(Map<String, String> query) {
        return given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParams(query).get(PATH)
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitRows(String subject, Predicate<List<String>> done) {
        return await("alerts of " + subject).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> list(Map.of("subject", subject, "limit", "1000")),
                        page -> done.test(page.getList("rows.alertId")));
    }
}
