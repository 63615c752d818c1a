package io.aigateway.usage.quota.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaKeys.Metric;
import io.aigateway.contracts.quota.QuotaKeys.Window;
import io.aigateway.contracts.quota.QuotaLimits;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.config.QuotaConfig;
import io.aigateway.usage.quota.redis.QuotaRedis;
import io.aigateway.usage.quota.repository.QuotaRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Threshold alerts on day and month budgets, checked after each stored usage batch for the users and keys in it:
 * at 80 % and 100 % of a limit, once per subject, window, metric and threshold (the quota_alerts insert decides, so
 * among replicas only the one that inserted sends). Used = the Redis counter: what the edge enforces, settled before
 * the event was even produced, and rebuilt from PostgreSQL within a second of a flush (a PostgreSQL sum per batch
 * cost more than the batch's insert under load). What this instance has claimed is remembered, so a subject past a
 * threshold costs no insert per batch. An alert goes to
 * {@code ai.alerts.v1} (key = subject), to the log (one WARN line) and to the optional webhook. Runs detached from
 * the batch: it never fails or delays its ack; its own failures are logged. Each alert sent counts in
 * {@code aigw_quota_budget_alerts_total{threshold="80"|"100",window="day"|"month"}} (all four registered at start).
 */
@io.quarkus.runtime.Startup // its counters exist, at zero, from the start
@ApplicationScoped
public class QuotaAlerts {

    /** Output channel (configured under {@code mp.messaging.outgoing.alerts-out.*}). */
    public static final String CHANNEL = "alerts-out";

    static final int[] THRESHOLDS = {80, 100};
    private static final Window[] BUDGET_WINDOWS = {Window.DAY, Window.MONTH};

    private static final Logger LOG = Logger.getLogger(QuotaAlerts.class);

    private final QuotaRedis redis;
    /** (subject, window id, metric, threshold) claimed here; cleared when it grows past {@link #MAX_REMEMBERED}. */
    private final Set<String> claimed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final int MAX_REMEMBERED = 100_000;
    private final QuotaRepository repository;
    private final MutinyEmitter<String> emitter;
    private final AlertWebhook webhook;
    private final ObjectMapper mapper;
    /** {@code window|threshold} → counter. */
    private final Map<String, Counter> alertCounters = new java.util.HashMap<>();

    public QuotaAlerts(QuotaRedis redis, QuotaRepository repository,
                       @Channel(CHANNEL) MutinyEmitter<String> emitter, AlertWebhook webhook, ObjectMapper mapper,
                       QuotaConfig config, MeterRegistry registry) {
        for (Window w : BUDGET_WINDOWS) {
            for (int t : THRESHOLDS) {
                alertCounters.put(w.wire + '|' + t, Counter.builder("aigw.quota.budget.alerts")
                        .description("Budget alerts sent (80 % and 100 % of a day or month limit)")
                        .tag("threshold", Integer.toString(t)).tag("window", w.wire).register(registry));
            }
        }
        this.redis = redis;
        this.repository = repository;
        this.emitter = emitter;
        this.webhook = webhook;
        this.mapper = mapper;
    }

    /** Starts the check for the batch's subjects and returns at once. */
    public void afterBatch(List<UsageEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            check(events).subscribe().with(v -> { }, e -> LOG.warnf("Quota alert check failed: %s", LogSafe.escape(e)));
        } catch (RuntimeException e) {
            LOG.warnf("Quota alert check failed: %s", LogSafe.escape(e));
        }
    }

    /** Checks the budgets of every user and key in the events; completes when every alert due is sent. */
    public Uni<Void> check(List<UsageEvent> events) {
        Set<String> users = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        for (UsageEvent e : events) {
            users.add(e.userId());
            if (e.keyId() != null && !e.keyId().isEmpty()) {
                keys.add(e.keyId());
            }
        }
        Instant now = Instant.now();
        return Multi.createFrom().iterable(users)
                .onItem().transformToUni(u -> userLimits(u).map(l -> new Subject(u, null, l)))
                .merge(8).collect().asList()
                .onItem().transformToUni(userSubjects -> Multi.createFrom().iterable(keys)
                        .onItem().transformToUni(k -> redis.hash(QuotaKeys.keyLimits(redis.prefix(), k))
                                .map(l -> new Subject(null, k, l)))
                        .merge(8).collect().asList()
                        .onItem().transformToUni(keySubjects -> checkAll(
                                userSubjects.stream().filter(Subject::hasBudget).toList(),
                                keySubjects.stream().filter(Subject::hasBudget).toList(), now)));
    }

    /** The user's limits hash, or the default tier's when the user has none (as reserve.lua reads them). */
    private Uni<Map<String, String>> userLimits(String userId) {
        return redis.hash(QuotaKeys.userLimits(redis.prefix(), userId)).onItem().transformToUni(h -> h.isEmpty()
                ? redis.hash(QuotaKeys.defaultLimits(redis.prefix())) : Uni.createFrom().item(h));
    }

    private Uni<Void> checkAll(List<Subject> users, List<Subject> keys, Instant now) {
        if (users.isEmpty() && keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Subject> all = new ArrayList<>(users);
        all.addAll(keys);
        return Multi.createFrom().iterable(all)
                .onItem().transformToUni(s -> checkSubject(s, now))
                .merge(8).collect().last().replaceWithVoid();
    }

    private Uni<Void> checkSubject(Subject s, Instant now) {
        String subject = s.subject();
        return Multi.createFrom().items(BUDGET_WINDOWS)
                .onItem().transformToUniAndConcatenate(w -> redis.hash(QuotaKeys.counter(redis.prefix(), subject, w, now))
                        .onItem().transformToUni(counter -> checkWindow(s, w, counter, now)))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> checkWindow(Subject s, Window w, Map<String, String> counter, Instant now) {
        List<Uni<Void>> sends = new ArrayList<>();
        for (Metric m : Metric.values()) {
            long limit = parse(s.limits().get(QuotaKeys.field(w, m)));
            if (limit <= 0) {
                continue;
            }
            long used = parse(counter.get(m.code));
            for (int threshold : THRESHOLDS) {
                // used / limit >= threshold %, in integers (limit * threshold cannot overflow for sane limits)
                if (BigDecimal.valueOf(used).multiply(BigDecimal.valueOf(100))
                        .compareTo(BigDecimal.valueOf(limit).multiply(BigDecimal.valueOf(threshold))) >= 0) {
                    sends.add(claimAndSend(s, w, m, threshold, limit, used, now));
                }
            }
        }
        return sends.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(sends).andCollectFailures().replaceWithVoid();
    }

    private Uni<Void> claimAndSend(Subject s, Window w, Metric m, int threshold, long limit, long used, Instant now) {
        String windowId = w.id(now);
        String seen = s.subject() + '|' + windowId + '|' + m.wire + '|' + threshold;
        if (claimed.contains(seen)) {
            return Uni.createFrom().voidItem();
        }
        if (claimed.size() > MAX_REMEMBERED) {
            claimed.clear();
        }
        return repository.claimAlert(s.subject(), windowId, m.wire, threshold).onItem().transformToUni(won -> {
            claimed.add(seen);
            if (!won) {
                return Uni.createFrom().voidItem();
            }
            QuotaAlert alert = new QuotaAlert(UUID.randomUUID(), QuotaAlert.TYPE, now, s.userId(), s.keyId(),
                    s.limits().get("tier"), w.wire, windowId, m.wire, threshold, amount(m, limit), amount(m, used),
                    w.end(now));
            String json;
            try {
                json = mapper.writeValueAsString(alert);
            } catch (JsonProcessingException e) {
                return Uni.createFrom().failure(e);
            }
            LOG.warnf("Quota alert: %s reached %d %% of its %s %s limit (%s of %s), window %s",
                    LogSafe.escape(s.subject(), 300), threshold, w.wire, m.wire, amount(m, used), amount(m, limit),
                    windowId);
            webhook.post(json);
            Counter c = alertCounters.get(w.wire + '|' + threshold);
            if (c != null) {
                c.increment();
            }
            return emitter.sendMessage(KafkaRecord.of(s.subject(), json));
        });
    }

    private static Object amount(Metric m, long value) {
        return m == Metric.SPEND ? QuotaLimits.usd(value).toPlainString() : value;
    }

    private static long parse(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private record Subject(String userId, String keyId, Map<String, String> limits) {
        String subject() {
            return userId != null ? QuotaKeys.userSubject(userId) : QuotaKeys.keySubject(keyId);
        }

        boolean hasBudget() {
            for (Window w : BUDGET_WINDOWS) {
                for (Metric m : Metric.values()) {
                    if (parse(limits.get(QuotaKeys.field(w, m))) > 0) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
