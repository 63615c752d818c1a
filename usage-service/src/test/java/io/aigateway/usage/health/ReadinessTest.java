package io.aigateway.usage.health;

import io.aigateway.usage.testsupport.PostgresProxyProfile;
import io.aigateway.usage.testsupport.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** usage-service cannot work without PostgreSQL: readiness must go DOWN when it disappears. */
@QuarkusTest
@TestProfile(PostgresProxyProfile.class)
class ReadinessTest {

    TcpProxy proxy; // injected by PostgresProxyResource

    @Test
    void readinessGoesDownWhenPostgresIsCut() throws InterruptedException {
        assertNotNull(proxy, "proxy injected");
        // UP first (the Kafka consumer may need a moment to connect after start).
        int status = waitForReadiness(200, 30_000);
        assertEquals(200, status, "ready before the cut");

        proxy.cut();

        status = waitForReadiness(503, 10_000);
        assertEquals(503, status, "not ready once PostgreSQL is unreachable");
        given().get("/q/health/ready").then().statusCode(503).body(containsString("DOWN"));
        // Liveness is not about dependencies.
        given().get("/q/health/live").then().statusCode(200);
    }

    private static int waitForReadiness(int wanted, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        int last;
        do {
            Response r = given().get("/q/health/ready");
            last = r.statusCode();
            if (last == wanted) {
                return last;
            }
            Thread.sleep(250);
        } while (System.currentTimeMillis() < deadline);
        return last;
    }
}
