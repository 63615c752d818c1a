package io.aigateway.e2e;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromQlNamesTest {

    @Test
    void aHistogramQuantileReadsOnlyTheBucketSeries() {
        assertEquals(Set.of("gen_ai_client_operation_duration_seconds_bucket"), PromQlNames.metrics(
                "histogram_quantile(0.95, sum by (le, gen_ai_provider_name) "
                        + "(rate(gen_ai_client_operation_duration_seconds_bucket{gen_ai_operation_name=\"chat\"}[5m]))) > 10"));
    }

    @Test
    void bothSidesOfABinaryOperatorAndGrafanaVariables() {
        assertEquals(Set.of("aigw_requests_total"), PromQlNames.metrics(
                "sum(rate(aigw_requests_total{status=~\"5..\",provider=~\"$provider\"}[$__rate_interval])) "
                        + "/ ignoring(status) sum(rate(aigw_requests_total[${__range}])) > 0.05"));
        assertEquals(Set.of("aigw_cost_usd_total", "aigw_cost_saved_usd_total"), PromQlNames.metrics(
                "sum by (provider) (increase(aigw_cost_usd_total[1d])) + on(provider) group_left(model) "
                        + "sum by (provider) (increase(aigw_cost_saved_usd_total[1d] offset 1d))"));
    }

    @Test
    void keywordsNumbersAndDurationsAreNotMetrics() {
        assertEquals(Set.of("aigw_routing_breaker_state", "up"), PromQlNames.metrics(
                "max by (provider) (aigw_routing_breaker_state) == bool 2 and up == 1 or vector(0) * 1e3"));
        assertEquals(Set.of(), PromQlNames.metrics("vector(1)"));
    }
}
