package io.aigateway.routing.breaker;

import io.aigateway.contracts.config.BreakerReset;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BreakerResetsTest {

    static final Instant START = Instant.parse("2026-12-03T10:00:00Z");

    static BreakerReset at(String instant) {
        return new BreakerReset("fake", Instant.parse(instant), "admin");
    }

    @Test
    void aResetBeforeTheInstanceStartedIsHistory() {
        BreakerResets r = new BreakerResets(START);
        assertFalse(r.accept("fake", at("2026-12-03T09:59:59Z")));
        assertFalse(r.accept("fake", at("2026-12-03T10:00:00Z")));
    }

    @Test
    void eachNewerResetOnceThenNotAgain() {
        BreakerResets r = new BreakerResets(START);
        assertTrue(r.accept("fake", at("2026-12-03T10:05:00Z")));
        assertFalse(r.accept("fake", at("2026-12-03T10:05:00Z")), "the same record read again");
        assertFalse(r.accept("fake", at("2026-12-03T10:04:00Z")), "an older one");
        assertTrue(r.accept("fake", at("2026-12-03T10:06:00Z")));
        assertTrue(r.accept("fakeb", at("2026-12-03T10:05:00Z")), "per provider");
    }

    @Test
    void tombstonesAndRecordsWithoutATimeAreIgnored() {
        BreakerResets r = new BreakerResets(START);
        assertFalse(r.accept("fake", null));
        assertFalse(r.accept("fake", new BreakerReset("fake", null, "admin")));
    }
}
