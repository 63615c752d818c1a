package io.aigateway.edge.quota;

import io.aigateway.contracts.quota.QuotaSlot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaLeaseTest {

    static final long MS = 1_000_000L;
    /** Slot 1's decision as Redis answered it: 1000 requests/day, 999 left; 5000 tokens/minute, 4950 left. */
    static final QuotaDecision FIRST = new QuotaDecision(QuotaDecision.Kind.RESERVED,
            new QuotaSlot("L", 1, 50, 400).header(), null, 1000, 999, 30_000, 5000, 4950, 20_000);

    @Test
    void givesOutItsSlotsWithinWhatItHoldsAndClosingReturnsTheRest() {
        QuotaLease lease = new QuotaLease("L", 4, 50, 400, 0, 1000 * MS, FIRST);
        QuotaDecision d2 = lease.take(50, 400, 10 * MS);
        assertEquals("L#2#50#400", d2.reservation());
        assertEquals(998, d2.requestsRemaining());
        assertEquals(4900, d2.tokensRemaining());
        assertEquals(29_990, d2.requestsResetMs(), "the reset counts down from the grant");
        QuotaDecision d3 = lease.take(20, 100, 20 * MS);
        assertEquals("L#3#20#100", d3.reservation());
        assertEquals(997, d3.requestsRemaining());
        assertEquals(4880, d3.tokensRemaining());
        assertNull(lease.take(120, 10, 30 * MS), "more tokens than the lease still holds (200 - 120 = 80 left)");
        assertFalse(lease.givenOut());
        QuotaLease.Unissued u = lease.close();
        assertEquals(new QuotaLease.Unissued(1, 200 - 120, 1600 - 900), u);
        assertNull(lease.close(), "closed once");
        assertNull(lease.take(1, 1, 40 * MS), "a closed lease gives nothing");
    }

    @Test
    void aLeaseEndsWhenGivenOutOrWhenItsTimeIsUp() {
        QuotaLease lease = new QuotaLease("L", 2, 50, 400, 0, 1000 * MS, FIRST);
        assertNotNull(lease.take(50, 400, MS));
        assertTrue(lease.givenOut());
        assertNull(lease.take(50, 400, 2 * MS));
        assertEquals(new QuotaLease.Unissued(0, 0, 0), lease.close());

        QuotaLease late = new QuotaLease("M", 8, 50, 400, 5 * MS, 1000 * MS, FIRST);
        assertNull(late.take(50, 400, 1005 * MS), "past its time");
        assertNotNull(late.take(50, 400, 1004 * MS));
    }

    @Test
    void unlimitedHeaderValuesStayUnset() {
        QuotaDecision first = new QuotaDecision(QuotaDecision.Kind.RESERVED, "x#1#1#1", null, -1, -1, -1, 10, 9, 5);
        QuotaDecision d = new QuotaLease("N", 3, 1, 1, 0, 1000 * MS, first).take(1, 1, 0);
        assertEquals(-1, d.requestsLimit());
        assertEquals(-1, d.requestsRemaining());
        assertEquals(-1, d.requestsResetMs());
        assertEquals(8, d.tokensRemaining());
    }
}
