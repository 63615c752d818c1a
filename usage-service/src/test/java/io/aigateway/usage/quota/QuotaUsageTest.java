package io.aigateway.usage.quota;

import io.aigateway.usage.testsupport.QuotaProfile;
import io.aigateway.usage.testsupport.QuotaTestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** {@code GET /internal/v1/quotas/users/{id}/usage}: totals of today, the month, per model and per day. */
@QuarkusTest
@TestProfile(QuotaProfile.class)
class QuotaUsageTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    Pool pool;

    private static RequestSpecification edge() {
        return given().header("X-Aigw-Internal-Token", "test-token-edge-0000");
    }

    @Test
    void summarisesTodayTheMonthModelsAndDays() {
        String user = "u-usage-" + RUN;
        Instant now = Instant.now();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant monthStart = today.withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        boolean firstOfMonth = today.getDayOfMonth() == 1;
        Instant lastMonth = monthStart.minus(1, ChronoUnit.HOURS);

        QuotaTestData.insertRecord(pool, user, "k1", now, "fake", "m1", 10, 5, "0.0015", false, "SUCCESS");
        QuotaTestData.insertRecord(pool, user, "k2", now, "fake", "m1", 20, 0, "0", true, "SUCCESS");
        QuotaTestData.insertRecord(pool, user, "k1", monthStart, "other", "m2", 100, 100, "0.5", false, "SUCCESS");
        QuotaTestData.insertRecord(pool, user, "k1", lastMonth, "other", "m2", 1000, 1000, "9", false, "SUCCESS");
        QuotaTestData.insertRecord(pool, "someone-else-" + RUN, "k1", now, "fake", "m1", 1, 1, "1", false, "SUCCESS");

        var body = edge().get("/internal/v1/quotas/users/" + user + "/usage").then().statusCode(200)
                .body("userId", equalTo(user)).body("tier", equalTo("free"))
                .body("limits", hasSize(7))
                .body("month.requests", equalTo(3))
                .body("month.promptTokens", equalTo(130))
                .body("month.completionTokens", equalTo(105))
                .body("month.costUsd", equalTo("0.5015"))
                .body("month.costSavedUsd", equalTo("0.01"))
                .body("month.cachedRequests", equalTo(1))
                .body("byModel", hasSize(2))
                .body("byModel[0].provider", equalTo("other")).body("byModel[0].model", equalTo("m2"))
                .body("byModel[0].requests", equalTo(1)).body("byModel[0].tokens", equalTo(200))
                .body("byModel[0].costUsd", equalTo("0.5"))
                .body("byModel[1].requests", equalTo(2)).body("byModel[1].tokens", equalTo(35))
                .body("days", nullValue());
        if (firstOfMonth) {
            body.body("today.requests", equalTo(3));
        } else {
            body.body("today.requests", equalTo(2)).body("today.promptTokens", equalTo(30))
                    .body("today.costUsd", equalTo("0.0015")).body("today.cachedRequests", equalTo(1));
        }

        // one key only
        edge().queryParam("keyId", "k2").get("/internal/v1/quotas/users/" + user + "/usage").then().statusCode(200)
                .body("keyId", equalTo("k2")).body("month.requests", equalTo(1)).body("month.costUsd", equalTo("0"));

        // days: every day of the range, the empty ones as zeros
        LocalDate from = LocalDate.ofInstant(lastMonth, ZoneOffset.UTC);
        int n = (int) ChronoUnit.DAYS.between(from, today) + 1;
        edge().queryParam("from", from.toString()).queryParam("to", today.toString())
                .get("/internal/v1/quotas/users/" + user + "/usage").then().statusCode(200)
                .body("days", hasSize(n))
                .body("days[0].date", equalTo(from.toString()))
                .body("days[0].requests", equalTo(1)).body("days[0].costUsd", equalTo("9"))
                .body("days[" + (n - 1) + "].date", equalTo(today.toString()));
    }

    @Test
    void badRangesAre400s() {
        String path = "/internal/v1/quotas/users/u-range-" + RUN + "/usage";
        edge().queryParam("from", "2026-12-01").get(path).then().statusCode(400).body("error.param", equalTo("to"));
        edge().queryParam("from", "2026-13-01").queryParam("to", "2026-12-01").get(path).then().statusCode(400)
                .body("error.param", equalTo("from"));
        edge().queryParam("from", "2026-12-02").queryParam("to", "2026-12-01").get(path).then().statusCode(400)
                .body("error.param", equalTo("from"));
        edge().queryParam("from", "2025-01-01").queryParam("to", "2026-01-02").get(path).then().statusCode(400)
                .body("error.param", equalTo("to"));
        edge().queryParam("from", "2025-01-01").queryParam("to", "2026-01-02").get(path).then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        edge().queryParam("from", "2025-01-02").queryParam("to", "2026-01-02").get(path).then().statusCode(200)
                .body("days", hasSize(366));
    }
}
