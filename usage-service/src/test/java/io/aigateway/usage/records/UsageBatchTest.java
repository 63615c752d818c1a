package io.aigateway.usage.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.testsupport.UsageTopic;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batches from real Kafka into real PostgreSQL: each test sends its records in one producer batch with one key,
 * so they reach the listener in one poll, and checks that a bad record costs only itself.
 */
@QuarkusTest
class UsageBatchTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = Json.newMapper();
    private static final String REFUSED_PREFIX = "test-refused-by-pg-";
    private static final String REFUSING_CHECK = "test_refuses_marked_request_ids";

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @Test
    void anUnparsableRecordGoesToTheDlqAndTheRestOfItsBatchIsStored() throws Exception {
        String user = "u-batch-bad-" + RUN;
        List<UsageEvent> good = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            UsageEvent e = event(user, "req-" + i);
            good.add(e);
            values.add(JSON.writeValueAsString(e));
        }
        String broken = "{\"requestId\": \"batch-broken-" + RUN + "\", oops";
        values.add(4, broken);

        UsageTopic.sendBatch(user, values);

        awaitRowCount(user, good.size());
        assertEquals(eventIds(good), storedEventIds(user), "every good record of the batch is stored");
        UsageTopic.awaitInDlq(new HashSet<>(Set.of("batch-broken-" + RUN)));
        DistributionSummary sizes = registry.find("aigw.usage.batch.size").summary();
        assertTrue(sizes != null && sizes.max() >= values.size(),
                "the records came in one batch, max batch size " + (sizes == null ? "none" : sizes.max()));
    }

    @Test
    void aRowPostgresRejectsGoesToTheDlqAndTheRestOfItsBatchIsStored() throws Exception {
        // A valid UsageEvent PostgreSQL refuses (SQLSTATE 23514, from a check this test adds; the validator and
        // the sanitizer leave nothing the real schema would refuse): the batch statement fails permanently, its
        // rows are stored one by one, only the refused one is dead-lettered.
        String user = "u-batch-pg-" + RUN;
        List<UsageEvent> good = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            UsageEvent e = event(user, "req-" + i);
            good.add(e);
            values.add(JSON.writeValueAsString(e));
        }
        values.add(2, JSON.writeValueAsString(event(user, REFUSED_PREFIX + RUN)));
        refuseRequestIdsStartingWith(REFUSED_PREFIX);

        try {
            UsageTopic.sendBatch(user, values);

            UsageTopic.awaitInDlq(new HashSet<>(Set.of(REFUSED_PREFIX + RUN)));
            awaitRowCount(user, good.size());
            assertEquals(eventIds(good), storedEventIds(user));
        } finally {
            execute("ALTER TABLE usage.usage_records DROP CONSTRAINT IF EXISTS " + REFUSING_CHECK);
        }
    }

    @Test
    void duplicatesInABatchAndOfStoredEventsAreStoredOnce() throws Exception {
        String user = "u-batch-dup-" + RUN;
        UsageEvent first = event(user, "req-first");
        UsageTopic.sendBatch(user, List.of(JSON.writeValueAsString(first)));
        awaitRowCount(user, 1);

        UsageEvent second = event(user, "req-second");
        UsageEvent third = event(user, "req-third");
        String firstJson = JSON.writeValueAsString(first);
        String secondJson = JSON.writeValueAsString(second);
        UsageTopic.sendBatch(user, List.of(firstJson, secondJson, firstJson, JSON.writeValueAsString(third),
                secondJson));

        awaitRowCount(user, 3);
        Map<UUID, Long> rows = rowsPerEventId(user);
        assertEquals(Map.of(first.eventId(), 1L, second.eventId(), 1L, third.eventId(), 1L), rows);
        // the batch was handled as a whole: once the third event is there, nothing more comes for this user
        UsageEvent marker = event(user, "req-marker");
        UsageTopic.sendBatch(user, List.of(JSON.writeValueAsString(marker)));
        awaitRowCount(user, 4);
        assertEquals(4, rowsPerEventId(user).values().stream().mapToLong(Long::longValue).sum());
    }

    /**
     * A check that refuses rows whose request id starts with {@code prefix} (NOT VALID: existing rows are not
     * scanned). Only rows this test makes carry the prefix, so a check left behind by a killed run harms nothing.
     */
    private void refuseRequestIdsStartingWith(String prefix) {
        execute("ALTER TABLE usage.usage_records DROP CONSTRAINT IF EXISTS " + REFUSING_CHECK);
        execute("ALTER TABLE usage.usage_records ADD CONSTRAINT " + REFUSING_CHECK + " CHECK (request_id IS NULL "
                + "OR request_id NOT LIKE '" + prefix + "%') NOT VALID");
    }

    private void execute(String sql) {
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(30));
    }

    static UsageEvent event(String user, String requestId) {
        return new UsageEvent(UUID.randomUUID(), requestId, Instant.now().truncatedTo(ChronoUnit.MICROS), user,
                "key-2", "default", "chat-default", "fake", "fake-chat", "cost", 5, 7, 12, false,
                new BigDecimal("0.0000215"), new BigDecimal("0.25"), 100, 20L, true, false,
                UsageEvent.Outcome.SUCCESS, null,
                List.of(new UsageEvent.Attempt("fakeb", "fake-chat", "UPSTREAM_5XX", 503, 40),
                        new UsageEvent.Attempt("fake", "fake-chat", null, null, 90)));
    }

    private static Set<UUID> eventIds(List<UsageEvent> events) {
        Set<UUID> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.eventId()));
        return ids;
    }

    private Set<UUID> storedEventIds(String user) {
        return new HashSet<>(rowsPerEventId(user).keySet());
    }

    private Map<UUID, Long> rowsPerEventId(String user) {
        return pool.preparedQuery("SELECT event_id, count(*) FROM usage.usage_records WHERE user_id = $1 "
                        + "GROUP BY event_id")
                .execute(Tuple.of(user))
                .map(rows -> {
                    Map<UUID, Long> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getUUID(0), r.getLong(1));
                    }
                    return out;
                })
                .await().atMost(Duration.ofSeconds(10));
    }

    private void awaitRowCount(String user, int wanted) {
        await("rows of " + user).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> rowsPerEventId(user).values().stream().mapToLong(Long::longValue).sum(),
                        n -> n >= wanted);
    }
}
