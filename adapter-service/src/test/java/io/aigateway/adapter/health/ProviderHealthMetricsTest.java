package io.aigateway.adapter.health;

import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.provider.HealthResult;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aigw_provider_health{provider}}: 2 healthy, 1 degraded (failing, not yet alert-after times), 0 down. */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class ProviderHealthMetricsTest {

    @Inject
    ProviderHealthMonitor monitor;

    static double health(String provider) {
        String prom = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^aigw_provider_health\\{provider=\"" + Pattern.quote(provider) + "\"} (\\S+)$")
                .matcher(prom);
        assertTrue(m.find(), "aigw_provider_health of " + provider + " exported");
        return Double.parseDouble(m.group(1));
    }

    static HealthResult result(boolean healthy) {
        return new HealthResult("fakeb", healthy, Instant.now(), 5L, healthy ? "ok" : "connection refused");
    }

    @Test
    void theGaugeFollowsTheChecksHealthyDegradedDownAndBack() {
        assertTrue(health("fake") >= 0, "every provider of the catalog is exported from the start");
        assertTrue(health("openai") >= 0);
        monitor.record(result(true));
        assertEquals(2, health("fakeb"));
        monitor.record(result(false));
        assertEquals(1, health("fakeb"), "one failed check: degraded");
        for (int i = 1; i < 3; i++) { // aigw.health.alert-after defaults to 3
            monitor.record(result(false));
        }
        assertEquals(0, health("fakeb"), "alert-after failed checks in a row: down");
        monitor.record(result(true));
        assertEquals(2, health("fakeb"));
    }
}
