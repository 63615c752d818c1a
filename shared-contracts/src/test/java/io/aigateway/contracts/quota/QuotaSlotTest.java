package io.aigateway.contracts.quota;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QuotaSlotTest {

    @Test
    void aHeaderReadsBackAsTheSameSlot() {
        QuotaSlot s = new QuotaSlot("3f2a-9", 7, 120, 4500);
        assertEquals("3f2a-9#7#120#4500", s.header());
        assertEquals(s, QuotaSlot.parse(s.header()));
    }

    @Test
    void anythingElseIsNotASlot() {
        for (String bad : new String[] {null, "", "id", "id#1#2", "id#1#2#3#4", "#1#2#3", "id#0#2#3", "id#x#2#3",
                "id#1#-2#3", "id#1#2#", "id#99999999999#2#3"}) {
            assertNull(QuotaSlot.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new QuotaSlot("a#b", 1, 0, 0));
    }

    @Test
    void settleArgumentsReleaseTheEstimateAndChargeTheUsage() {
        assertArrayEquals(new String[] {"r", "2", "1", "50", "400", "1", "18", "2000000"},
                new QuotaSlot("r", 2, 50, 400).settleArgs(1, 18, 2_000_000));
        assertArrayEquals(new String[] {"r", "c", "30", "1500", "12000", "0", "0", "0"},
                QuotaSlot.closeArgs("r", 30, 1500, 12000));
    }
}
