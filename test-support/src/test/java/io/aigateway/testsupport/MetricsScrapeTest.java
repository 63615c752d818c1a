package io.aigateway.testsupport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsScrapeTest {

    static final String TEXT = """
            # HELP aigw_requests_total Requests
            # TYPE aigw_requests_total counter
            aigw_requests_total{cache="miss",context="writing",model="m",provider="fake",status="200"} 2.0
            aigw_requests_total{cache="hit",context="a \\"quoted\\" one",model="m",provider="fake",status="200"} 1.0
            aigw_usage_spool_pending 3.0
            x_bucket{le="+Inf"} 4
            """;

    @Test
    void selectsBySubsetOfLabelsAndSums() {
        MetricsScrape s = MetricsScrape.parse(TEXT);
        assertEquals(3.0, s.value("aigw_requests_total", "provider", "fake"));
        assertEquals(2.0, s.value("aigw_requests_total", "cache", "miss"));
        assertEquals(1.0, s.value("aigw_requests_total", "context", "a \"quoted\" one"));
        assertEquals(3.0, s.value("aigw_usage_spool_pending"));
        assertEquals(4.0, s.value("x_bucket", "le", "+Inf"));
        assertTrue(s.has("aigw_usage_spool_pending"));
        assertFalse(s.has("aigw_requests_total", "status", "500"));
        assertEquals(0.0, s.value("missing"));
    }
}
