package io.aigateway.usage.analytics.service;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.analytics.repository.AnalyticsRepository;
import io.aigateway.usage.analytics.repository.AnalyticsRepository.Aggregate;
import io.aigateway.usage.analytics.repository.AnalyticsRepository.ProviderModelTotals;
import io.aigateway.usage.analytics.service.AnalyticsParams.Filters;
import io.aigateway.usage.analytics.service.AnalyticsParams.TimeRange;
import io.aigateway.usage.analytics.service.AnalyticsViews.AnalyticsPage;
import io.aigateway.usage.analytics.service.AnalyticsViews.CostReport;
import io.aigateway.usage.analytics.service.AnalyticsViews.Metrics;
import io.aigateway.usage.analytics.service.AnalyticsViews.ModelMetrics;
import io.aigateway.usage.analytics.service.AnalyticsViews.ProviderMetrics;
import io.aigateway.usage.analytics.service.AnalyticsViews.RequestRecord;
import io.aigateway.usage.analytics.service.AnalyticsViews.RequestUsage;
import io.aigateway.usage.records.repository.UsageRecordRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Usage analytics, cost reports (JSON and streamed CSV) with the month-end projection, and the metrics window. */
@ApplicationScoped
public class AnalyticsService {

    /** Cost rows per CSV chunk written to the response. */
    static final int CSV_ROWS_PER_CHUNK = 500;

    private final AnalyticsRepository repository;
    private final UsageRecordRepository records;

    public AnalyticsService(AnalyticsRepository repository, UsageRecordRepository records) {
        this.repository = repository;
        this.records = records;
    }

    public Uni<AnalyticsPage> analytics(TimeRange range, List<GroupBy> groupBy, Filters filters, String cursor,
                                        int limit) {
        List<String> after = null;
        if (cursor != null && !cursor.isEmpty()) {
            Optional<List<String>> key = CursorCodec.decode(groupBy, cursor);
            if (key.isEmpty()) {
                throw ApiError.badRequest("'cursor' is not a cursor of this query.", "cursor").exception();
            }
            after = key.get();
        }
        // one row more than asked tells whether there is a next page
        return repository.analyticsPage(range.from(), range.to(), groupBy, filters, after, limit + 1).map(rows -> {
            boolean more = rows.size() > limit;
            List<Aggregate> page = more ? rows.subList(0, limit) : rows;
            List<Map<String, Object>> out = new ArrayList<>(page.size());
            for (Aggregate a : page) {
                Map<String, Object> row = keyFields(groupBy, a);
                row.put("requests", a.requests());
                row.put("errors", a.errors());
                row.put("cachedRequests", a.cachedRequests());
                row.put("promptTokens", a.promptTokens());
                row.put("completionTokens", a.completionTokens());
                row.put("costUsd", Money.format(a.costUsd()));
                row.put("costSavedUsd", Money.format(a.costSavedUsd()));
                row.put("avgLatencyMs", a.requests() == 0 ? null : BigDecimal.valueOf(a.latencyMsSum())
                        .divide(BigDecimal.valueOf(a.requests()), 1, RoundingMode.HALF_UP));
                row.put("p95LatencyMs", a.p95LatencyMs());
                out.add(row);
            }
            String next = more ? CursorCodec.encode(groupBy, page.get(page.size() - 1).key()) : null;
            return new AnalyticsPage(range.from(), range.to(), params(groupBy), out, next);
        });
    }

    /** The cost report; more than {@code maxRows} rows is a 400 naming groupBy (the CSV has no limit). */
    public Uni<CostReport> costs(TimeRange range, List<GroupBy> groupBy, Filters filters, Instant now, int maxRows) {
        Projection.Windows w = Projection.Windows.at(now);
        Uni<List<Aggregate>> rows = repository.aggregate(range.from(), range.to(), groupBy, filters, maxRows + 1)
                .invoke(list -> {
                    if (list.size() > maxRows) {
                        throw ApiError.badRequest("The report has more than " + maxRows + " rows: ask for it as CSV "
                                + "(format=csv or Accept: text/csv), or group or filter it more narrowly.", "groupBy")
                                .exception();
                    }
                });
        Uni<Aggregate> monthToDate = repository.totals(w.monthStart(), w.asOf(), filters);
        Uni<Aggregate> trailing = repository.totals(w.trailingFrom(), w.trailingTo(), filters);
        return Uni.combine().all().unis(rows, monthToDate, trailing).asTuple().map(t -> {
            BigDecimal total = BigDecimal.ZERO;
            BigDecimal saved = BigDecimal.ZERO;
            List<Map<String, Object>> out = new ArrayList<>(t.getItem1().size());
            for (Aggregate a : t.getItem1()) {
                if (groupBy.isEmpty() && a.requests() == 0) {
                    continue; // no rows in range: an empty report, not one row of zeros
                }
                total = total.add(a.costUsd());
                saved = saved.add(a.costSavedUsd());
                out.add(costRow(groupBy, a));
            }
            Projection projection = Projection.compute(w, t.getItem2().costUsd(), t.getItem3().costUsd());
            return new CostReport(range.from(), range.to(), params(groupBy), "USD", Money.format(total),
                    Money.format(saved), out, projection);
        });
    }

    /** The CSV header line's fields: the key fields in groupBy order, then the sums (the JSON row's fields). */
    public static List<String> csvHeader(List<GroupBy> groupBy) {
        List<String> header = new ArrayList<>();
        for (GroupBy g : groupBy) {
            header.add(g.field());
        }
        header.addAll(List.of("requests", "promptTokens", "completionTokens", "costUsd", "costSavedUsd"));
        return header;
    }

    /** The cost rows as CSV, streamed: a header line, then {@value #CSV_ROWS_PER_CHUNK} lines a chunk. */
    public Multi<Buffer> costsCsv(TimeRange range, List<GroupBy> groupBy, Filters filters) {
        StringBuilder header = new StringBuilder();
        Csv.appendLine(header, csvHeader(groupBy));
        Multi<Buffer> body = repository.stream(range.from(), range.to(), groupBy, filters)
                .filter(a -> !groupBy.isEmpty() || a.requests() > 0)
                .group().intoLists().of(CSV_ROWS_PER_CHUNK)
                .map(chunk -> {
                    StringBuilder b = new StringBuilder(chunk.size() * 96);
                    for (Aggregate a : chunk) {
                        Csv.appendLine(b, csvFields(groupBy, a));
                    }
                    return Buffer.buffer(b.toString());
                });
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(Buffer.buffer(header.toString())), body);
    }

    static List<String> csvFields(List<GroupBy> groupBy, Aggregate a) {
        List<String> fields = new ArrayList<>(groupBy.size() + 5);
        for (int i = 0; i < groupBy.size(); i++) {
            fields.add(a.key().get(i));
        }
        fields.add(Long.toString(a.requests()));
        fields.add(Long.toString(a.promptTokens()));
        fields.add(Long.toString(a.completionTokens()));
        fields.add(Money.format(a.costUsd()));
        fields.add(Money.format(a.costSavedUsd()));
        return fields;
    }

    private static Map<String, Object> costRow(List<GroupBy> groupBy, Aggregate a) {
        Map<String, Object> row = keyFields(groupBy, a);
        row.put("requests", a.requests());
        row.put("promptTokens", a.promptTokens());
        row.put("completionTokens", a.completionTokens());
        row.put("costUsd", Money.format(a.costUsd()));
        row.put("costSavedUsd", Money.format(a.costSavedUsd()));
        return row;
    }

    /** Key fields in groupBy order; '' (a NULL provider/model/key/context) is shown as null. */
    private static Map<String, Object> keyFields(List<GroupBy> groupBy, Aggregate a) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < groupBy.size(); i++) {
            String v = a.key().get(i);
            row.put(groupBy.get(i).field(), v == null || v.isEmpty() ? null : v);
        }
        return row;
    }

    private static List<String> params(List<GroupBy> groupBy) {
        return groupBy.stream().map(GroupBy::param).toList();
    }

    public Uni<RequestUsage> request(String requestId) {
        return records.findByRequest(requestId).map(events -> {
            if (events.isEmpty()) {
                throw ApiError.notFound("No usage records for request '" + requestId + "'.").exception();
            }
            List<RequestRecord> out = new ArrayList<>(events.size());
            for (UsageEvent e : events) {
                out.add(new RequestRecord(e.eventId().toString(), e.occurredAt(), e.userId(), e.keyId(), e.context(),
                        e.requestedModel(), e.provider(), e.model(), e.policy(), e.promptTokens(),
                        e.completionTokens(), e.totalTokens(), e.usageEstimated(), Money.format(e.costUsd()),
                        e.costSavedUsd() == null ? null : Money.format(e.costSavedUsd()), e.latencyMs(), e.ttftMs(),
                        e.streamed(), e.cached(), e.outcome().name(), e.errorClass(),
                        e.attempts().stream().map(x -> new AnalyticsViews.Attempt(x.provider(), x.model(),
                                x.errorClass(), x.status(), x.latencyMs())).toList(), e.traceId()));
            }
            return new RequestUsage(requestId, out);
        });
    }

    public Uni<Metrics> metrics(String window, Duration length, Instant now) {
        Instant from = now.minus(length);
        return Uni.combine().all().unis(repository.windowTotals(from, now), repository.windowByModel(from, now))
                .asTuple().map(t -> {
                    AnalyticsRepository.WindowTotals w = t.getItem1();
                    Map<String, ProviderMetrics> byProvider = new LinkedHashMap<>();
                    List<ModelMetrics> byModel = new ArrayList<>();
                    for (ProviderModelTotals m : t.getItem2()) {
                        byModel.add(new ModelMetrics(m.provider(), m.model(), m.requests(), m.promptTokens(),
                                m.completionTokens(), Money.format(m.costUsd())));
                        byProvider.merge(m.provider() == null ? "" : m.provider(),
                                new ProviderMetrics(m.provider(), m.requests(), m.errors(), m.promptTokens(),
                                        m.completionTokens(), Money.format(m.costUsd())),
                                (a, b) -> new ProviderMetrics(a.provider(), a.requests() + b.requests(),
                                        a.errors() + b.errors(), a.promptTokens() + b.promptTokens(),
                                        a.completionTokens() + b.completionTokens(),
                                        Money.format(new BigDecimal(a.costUsd()).add(new BigDecimal(b.costUsd())))));
                    }
                    return new Metrics(window, from, now, w.requests(), w.errors(), rate(w.errors(), w.requests()),
                            new AnalyticsViews.Latency(w.latency().p50(), w.latency().p95(), w.latency().p99()),
                            new AnalyticsViews.Ttft(w.ttft().p50(), w.ttft().p95()),
                            rate(w.cached(), w.requests()), rate(w.fallbacks(), w.requests()), w.retries(),
                            new ArrayList<>(byProvider.values()), byModel);
                });
    }

    /** part / whole to 4 decimals; 0 when whole is 0. */
    public static double rate(long part, long whole) {
        if (whole == 0) {
            return 0.0;
        }
        return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP).doubleValue();
    }
}
