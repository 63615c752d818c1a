package io.aigateway.routing.usage;

import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.UsageEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UsageSpoolTest {

    static UsageEvent event(String rid) {
        return new UsageEvent(UUID.randomUUID(), rid, Instant.parse("2025-01-01T00:00:00Z"), "u1", "k1", "default", "chat-default",
                "fake", "fake-chat", "default", 3, 4, 7, false, new BigDecimal("0.0000123456"), null, 12, null, false, false,
                UsageEvent.Outcome.SUCCESS, null, List.of(new UsageEvent.Attempt("fake", "fake-chat", null, 200, 10)));
    }

    @Test
    void resendDeliversSameEventsAndEmptiesSpool(@TempDir Path dir) {
        UsageSpool spool = new UsageSpool(dir.resolve("spool"), Json.newMapper());
        UsageEvent a = event("r1");
        UsageEvent b = event("r2");
        spool.append(a);
        spool.append(b);
        assertEquals(2, spool.size());
        List<UsageEvent> got = new ArrayList<>();
        assertEquals(2, spool.resend(e -> got.add(e)));
        assertEquals(List.of(a, b), got);
        assertEquals(0, spool.size());
        assertEquals(0, spool.resend(e -> true));
    }

    @Test
    void undeliveredEventsStayWithTheirIds(@TempDir Path dir) {
        UsageSpool spool = new UsageSpool(dir, Json.newMapper());
        UsageEvent a = event("r1");
        UsageEvent b = event("r2");
        UsageEvent c = event("r3");
        spool.append(List.of(a, b, c));
        List<UsageEvent> offered = new ArrayList<>();
        // Kafka "down" after the first: the rest are kept without being offered
        assertEquals(1, spool.resend(e -> {
            offered.add(e);
            return offered.size() == 1;
        }));
        assertEquals(2, offered.size());
        assertEquals(2, spool.size());
        spool.append(event("r4"));
        List<String> later = new ArrayList<>();
        assertEquals(3, spool.resend(e -> later.add(e.requestId())));
        assertEquals(List.of("r2", "r3", "r4"), later);
        List<UsageEvent> none = new ArrayList<>();
        spool.resend(none::add);
        assertEquals(0, none.size());
    }
}
