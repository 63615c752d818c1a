package io.aigateway.usage.analytics;

import io.aigateway.contracts.error.ApiException;
import io.aigateway.usage.analytics.repository.ReportSql;
import io.aigateway.usage.analytics.service.AnalyticsParams;
import io.aigateway.usage.analytics.service.Csv;
import io.aigateway.usage.analytics.service.CursorCodec;
import io.aigateway.usage.analytics.service.GroupBy;
import io.aigateway.usage.analytics.service.Money;
import io.aigateway.usage.analytics.service.Projection;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pure logic of the analytics routes: cursor codec, projection math, CSV escaping, money, parameter parsing. */
class AnalyticsLogicTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void cursorRoundTripsAnyKeyAndIsBoundToItsGroupBy() {
        List<GroupBy> g = List.of(GroupBy.USER, GroupBy.DAY);
        List<String> key = List.of("u:1|2,\"x\"", "2026-12-03");
        String c = CursorCodec.encode(g, key);
        assertEquals(Optional.of(key), CursorCodec.decode(g, c));
        assertEquals(Optional.of(List.of("", "")), CursorCodec.decode(g, CursorCodec.encode(g, List.of("", ""))));
        assertFalse(CursorCodec.decode(List.of(GroupBy.DAY, GroupBy.USER), c).isPresent(), "other groupBy");
        assertFalse(CursorCodec.decode(g, "not base64 !").isPresent());
        assertFalse(CursorCodec.decode(g, "").isPresent());
        String truncated = Base64.getUrlEncoder().withoutPadding().encodeToString("v1|user,day|5:abc".getBytes());
        assertFalse(CursorCodec.decode(g, truncated).isPresent());
        String oneKey = Base64.getUrlEncoder().withoutPadding().encodeToString("v1|user,day|1:a".getBytes());
        assertFalse(CursorCodec.decode(g, oneKey).isPresent(), "too few keys");
        assertFalse(CursorCodec.decode(List.of(), CursorCodec.encode(List.of(), List.of())).isPresent(), "no groups");
    }

    @Test
    void projectionIsTrailingSevenDayAverageTimesDaysLeftPlusMonthToDate() {
        Projection.Windows w = Projection.Windows.at(NOW);
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), w.monthStart());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), w.monthEnd());
        assertEquals(Instant.parse("2026-11-26T00:00:00Z"), w.trailingFrom());
        assertEquals(Instant.parse("2026-12-03T00:00:00Z"), w.trailingTo());
        Projection p = Projection.compute(w, new BigDecimal("10.5"), new BigDecimal("7.0000000007"));
        assertEquals("1.0000000001", p.dailyAverageUsd());
        // 28 days and 12 hours left, counting the rest of today
        assertEquals(0, new BigDecimal("28.5").compareTo(p.remainingDays()));
        assertEquals("39.0000000029", p.projectedMonthEndUsd()); // 10.5 + 1.0000000001 × 28.5 = 39.00000000285 → half up
        assertEquals("10.5000000000", p.monthToDateUsd());
        assertEquals("7.0000000007", p.trailingCostUsd());
        assertEquals(7, p.trailingDays());
        assertEquals(Projection.METHOD, p.method());
        // the last second of the month
        Projection end = Projection.compute(Projection.Windows.at(Instant.parse("2026-12-31T23:59:59Z")),
                BigDecimal.ONE, BigDecimal.ZERO);
        assertEquals("1.0000000000", end.projectedMonthEndUsd());
    }

    @Test
    void csvQuotesOnlyWhatNeedsIt() {
        assertEquals("plain", Csv.field("plain"));
        assertEquals("", Csv.field(null));
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\"line\nbreak\"", Csv.field("line\nbreak"));
        assertEquals("\"cr\rx\"", Csv.field("cr\rx"));
        StringBuilder b = new StringBuilder();
        Csv.appendLine(b, Arrays.asList("x,\"y\"", null, "1.0000000000"));
        assertEquals("\"x,\"\"y\"\"\",,1.0000000000\r\n", b.toString());
    }

    @Test
    void moneyIsOnePlainStringAtScaleTen() {
        assertEquals("0.0000000000", Money.format(null));
        assertEquals("0.0000000000", Money.format(BigDecimal.ZERO));
        assertEquals("12.3400000000", Money.format(new BigDecimal("12.34")));
        assertEquals("100000000.0000000000", Money.format(new BigDecimal("1E+8")));
        assertThrows(ArithmeticException.class, () -> Money.format(new BigDecimal("0.00000000001")));
        assertEquals(new BigDecimal("0.3333333333"), Money.round(new BigDecimal("0.33333333333333")));
    }

    @Test
    void timeRangeDefaultsAndParsing() {
        AnalyticsParams.TimeRange r = AnalyticsParams.range(null, null, NOW);
        assertEquals(NOW, r.to());
        assertEquals(Instant.parse("2026-11-03T12:00:00Z"), r.from());
        r = AnalyticsParams.range("2026-12-01", "2026-12-02T10:00:00+02:00", NOW);
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), r.from());
        assertEquals(Instant.parse("2026-12-02T08:00:00Z"), r.to());
        assertParam("from", () -> AnalyticsParams.range("2026-12-02", "2026-12-02", NOW));
        assertParam("from", () -> AnalyticsParams.range("2026-12-03", "2026-12-02", NOW));
        assertParam("from", () -> AnalyticsParams.range("yesterday", null, NOW));
        assertParam("to", () -> AnalyticsParams.range(null, "2026-13-01", NOW));
        assertParam("from", () -> AnalyticsParams.range("1900-01-01", null, NOW));
    }

    @Test
    void groupByLimitFiltersAndWindow() {
        EnumSet<GroupBy> all = EnumSet.allOf(GroupBy.class);
        assertEquals(List.of(GroupBy.USER, GroupBy.DAY, GroupBy.MODEL),
                AnalyticsParams.groupBy(List.of("user,day", "Model"), all));
        assertEquals(List.of(), AnalyticsParams.groupBy(null, all));
        assertEquals(List.of(), AnalyticsParams.groupBy(List.of(""), all));
        assertParam("groupBy", () -> AnalyticsParams.groupBy(List.of("user,,day"), all));
        assertParam("groupBy", () -> AnalyticsParams.groupBy(List.of("region"), all));
        assertParam("groupBy", () -> AnalyticsParams.groupBy(List.of("day", "day"), all));
        assertParam("groupBy", () -> AnalyticsParams.groupBy(List.of("context"), EnumSet.of(GroupBy.DAY)));
        assertEquals(100, AnalyticsParams.limit(null, 100, 1000));
        assertEquals(1000, AnalyticsParams.limit("1000", 100, 1000));
        assertParam("limit", () -> AnalyticsParams.limit("0", 100, 1000));
        assertParam("limit", () -> AnalyticsParams.limit("1001", 100, 1000));
        assertParam("limit", () -> AnalyticsParams.limit("ten", 100, 1000));
        assertEquals("PARTIAL", AnalyticsParams.filters(null, null, null, null, null, "partial").outcome());
        assertParam("outcome", () -> AnalyticsParams.filters(null, null, null, null, null, "ok"));
        assertParam("userId", () -> AnalyticsParams.filters("x".repeat(1025), null, null, null, null, null));
        assertEquals(15, AnalyticsParams.window("15m").toMinutes());
        assertEquals(24, AnalyticsParams.window("24h").toHours());
        assertParam("window", () -> AnalyticsParams.window("2h"));
    }

    @Test
    void rollupOnlyForWholeHoursWithoutUserOrKey() {
        AnalyticsParams.Filters none = AnalyticsParams.Filters.NONE;
        Instant from = Instant.parse("2026-12-01T10:15:00Z");
        assertTrue(ReportSql.usesRollup(from, Instant.parse("2026-12-01T12:00:00Z"), List.of(GroupBy.DAY), none));
        assertFalse(ReportSql.usesRollup(from, Instant.parse("2026-12-01T11:59:00Z"), List.of(), none),
                "no whole hour inside");
        assertFalse(ReportSql.usesRollup(from, Instant.parse("2026-12-02T00:00:00Z"), List.of(GroupBy.USER), none));
        assertFalse(ReportSql.usesRollup(from, Instant.parse("2026-12-02T00:00:00Z"), List.of(),
                AnalyticsParams.filters(null, "k", null, null, null, null)));
        ReportSql.Statement st = ReportSql.aggregate(from, Instant.parse("2026-12-02T00:00:00Z"),
                List.of(GroupBy.PROVIDER, GroupBy.DAY), none, null, 0);
        assertTrue(st.sql().contains("usage.usage_hourly") && st.sql().contains("UNION ALL"), st.sql());
        assertEquals(6, st.args().size(), "hour bounds, then the two raw edges");
    }

    private static void assertParam(String param, Runnable r) {
        ApiException e = assertThrows(ApiException.class, r::run);
        assertEquals(400, e.error().status());
        assertEquals(param, e.error().param());
    }
}
