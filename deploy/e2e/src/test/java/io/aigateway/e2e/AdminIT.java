package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API across the services: providers changed at run time through ai.config.v1 (applied by adapter and
 * routing within 2 s, kept across their restarts), usage and cost analytics from usage-service, health history and
 * alerts, the audit log.
 */
class AdminIT {

    private static E2eStack stack;
    private final ObjectMapper mapper = Json.newMapper();

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    @BeforeEach
    void reset() throws Exception {
        stack.fakeReset();
        stack.resetBreakers();
    }

    @AfterEach
    void restoreProviders() throws Exception {
        // whatever a test changed, the providers are as the files say for the tests that follow
        for (String p : List.of("fake", "fakeb")) {
            Response r = admin().contentType("application/merge-patch+json")
                    .body("{\"enabled\":null,\"priority\":null,\"models\":null}")
                    .patch("/api/v1/ai/admin/providers/" + p);
            assertEquals(200, r.statusCode(), r.asString());
        }
        // the next test class must find the file's state applied (prices, enabled) everywhere
        await("overrides cleared").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode fake = provider("fake");
            return fake.path("enabled").asBoolean(false) && provider("fakeb").path("enabled").asBoolean(false)
                    && new BigDecimal(fake.at("/models/0/promptPricePer1k").asText("0"))
                    .compareTo(new BigDecimal(E2eStack.FAKE_CHAT_PRICES.get("fake")[0])) == 0;
        });
    }

    private RequestSpecification admin() {
        return given().baseUri(stack.url("admin")).header("Authorization", "Bearer " + stack.adminKey);
    }

    private Response chat(String model, String policy) {
        return given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .header("X-Aigw-Policy", policy).header("Cache-Control", "no-store")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"admin e2e "
                        + UUID.randomUUID() + "\"}]}")
                .post("/v1/chat/completions");
    }

    /** The providers that answered n round-robin requests for the model. */
    private Set<String> servedBy(String model, int n) {
        Set<String> providers = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Response r = chat(model, "round-robin");
            assertEquals(200, r.statusCode(), r.asString());
            providers.add(r.header("x-aigw-provider"));
        }
        return providers;
    }

    private JsonNode provider(String id) throws Exception {
        Response r = admin().get("/api/v1/ai/admin/providers/" + id);
        assertEquals(200, r.statusCode(), r.asString());
        return mapper.readTree(r.asString());
    }

    /** The provider's entry in the admin list ({@code GET /api/v1/ai/admin/providers}); fails when it is not listed. */
    private JsonNode listed(String id) throws Exception {
        Response r = admin().get("/api/v1/ai/admin/providers");
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode list = mapper.readTree(r.asString());
        for (JsonNode p : list) {
            if (id.equals(p.path("id").asText())) {
                return p;
            }
        }
        throw new AssertionError(id + " not in the admin list: " + list);
    }

    @Test
    void aDisabledProviderLeavesRotationWithinTwoSecondsStaysOffAcrossRestartsAndComesBackOnToggle() throws Exception {
        String group = "e2e-both-" + stack.runId.toLowerCase();
        Response put = admin().contentType(ContentType.JSON)
                .body("{\"members\":[\"fake/fake-chat\",\"fakeb/fake-chat\"]}")
                .put("/api/v1/ai/admin/groups/" + group);
        assertEquals(200, put.statusCode(), put.asString());
        await("the group is routable").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> chat(group, "round-robin").statusCode() == 200);
        assertEquals(Set.of("fake", "fakeb"), servedBy(group, 6), "round-robin over the group uses both");

        Response off = admin().contentType("application/merge-patch+json").body("{\"enabled\":false}")
                .patch("/api/v1/ai/admin/providers/fakeb");
        assertEquals(200, off.statusCode(), off.asString());
        long changedAt = System.nanoTime();
        // when is it applied? (for the note) - then the requirement: from 2 s on, nothing goes to fakeb
        await("fakeb out of rotation").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> Set.of("fake").equals(servedBy(group, 2)));
        System.out.printf("AdminIT: fakeb out of rotation %d ms after the PATCH answered%n",
                (System.nanoTime() - changedAt) / 1_000_000);
        long left = Duration.ofSeconds(2).toNanos() - (System.nanoTime() - changedAt);
        if (left > 0) {
            Thread.sleep(left / 1_000_000 + 1);
        }
        assertEquals(Set.of("fake"), servedBy(group, 8));
        assertFalse(provider("fakeb").path("enabled").asBoolean(true), "admin view shows it disabled");
        JsonNode listedOff = listed("fakeb");
        assertTrue(listedOff.path("enabled").isBoolean() && !listedOff.path("enabled").asBoolean(),
                "the admin list shows it disabled: " + listedOff);
        assertTrue(listed("fake").path("enabled").asBoolean(false), "the admin list shows fake still enabled");
        assertModelsListShowFakebDisabled();

        // the published state outlives the services that apply it
        stack.restart("adapter-service");
        stack.restart("routing-service");
        await("routable after the restarts").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> chat(group, "round-robin").statusCode() == 200);
        assertEquals(Set.of("fake"), servedBy(group, 8), "still disabled after adapter and routing restarted");
        assertFalse(provider("fakeb").path("enabled").asBoolean(true));

        Response on = admin().post("/api/v1/ai/admin/providers/fakeb/toggle");
        assertEquals(200, on.statusCode(), on.asString());
        assertTrue(mapper.readTree(on.asString()).path("enabled").asBoolean(false), on.asString());
        await("fakeb served again").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> servedBy(group, 2).contains("fakeb"));
        assertTrue(listed("fakeb").path("enabled").asBoolean(false), "the admin list shows it enabled again");

        Response audit = admin().queryParam("target", "provider:fakeb").get("/api/v1/ai/admin/audit");
        assertEquals(200, audit.statusCode(), audit.asString());
        List<String> actions = audit.jsonPath().getList("rows.action");
        assertTrue(actions.size() >= 2, "PATCH and toggle audited: " + actions);

        assertEquals(204, admin().delete("/api/v1/ai/admin/groups/" + group).statusCode());
    }

    private void assertModelsListShowFakebDisabled() throws Exception {
        Response models = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey).get("/v1/models");
        assertEquals(200, models.statusCode());
        JsonNode list = mapper.readTree(models.asString()).path("data");
        boolean fakebListedEnabled = false;
        for (JsonNode m : list) {
            if (m.path("id").asText().equals("fakeb/fake-chat") && m.path("aigw").path("enabled").asBoolean(true)) {
                fakebListedEnabled = true;
            }
        }
        assertFalse(fakebListedEnabled, "/v1/models must not offer fakeb/fake-chat as enabled: " + list);
    }

    @Test
    void aPriceChangeIsChargedFromTheNextRequestOn() throws Exception {
        Response patch = admin().contentType("application/merge-patch+json")
                .body("{\"models\":{\"fake-chat\":{\"promptPricePer1k\":\"0.5\",\"completionPricePer1k\":\"0.25\"}}}")
                .patch("/api/v1/ai/admin/providers/fake");
        assertEquals(200, patch.statusCode(), patch.asString());
        long changedAt = System.nanoTime();
        assertEquals("0.5", mapper.readTree(patch.asString()).at("/override/models/fake-chat/promptPricePer1k").asText(),
                patch.asString());
        long left = Duration.ofSeconds(2).toNanos() - (System.nanoTime() - changedAt);
        if (left > 0) {
            Thread.sleep(left / 1_000_000 + 1);
        }
        // 2 s after the change: the usage event of the next request is priced with it (the client never sees the cost)
        String requestId = "e2e-price-" + UUID.randomUUID();
        Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .header("X-Request-Id", requestId).header("Cache-Control", "no-store").contentType(ContentType.JSON)
                .body("{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"price " + requestId + "\"}]}")
                .post("/v1/chat/completions");
        assertEquals(200, r.statusCode(), r.asString());
        int p = r.jsonPath().getInt("usage.prompt_tokens");
        int c = r.jsonPath().getInt("usage.completion_tokens");
        BigDecimal expected = new BigDecimal("0.5").multiply(BigDecimal.valueOf(p))
                .add(new BigDecimal("0.25").multiply(BigDecimal.valueOf(c))).divide(BigDecimal.valueOf(1000));
        ChatFlowIT.UsageRow row = ChatFlowIT.awaitUsageRow(requestId);
        assertEquals(0, expected.compareTo(row.costUsd()), "charged " + row.costUsd() + ", new price gives " + expected);
        assertTrue(expected.compareTo(ChatFlowIT.expectedCost("fake", p, c)) != 0, "the new price differs from the file's");
    }

    @Test
    void usageAndCostsAgreeToTheLastDecimal() throws Exception {
        String user = "e2e-analytics-" + UUID.randomUUID();
        String key = stack.createKey(user, List.of("user"));
        Instant from = Instant.now().minusSeconds(5);
        int n = 7;
        for (int i = 0; i < n; i++) {
            Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + key)
                    .contentType(ContentType.JSON)
                    .body("{\"model\":\"" + (i % 2 == 0 ? "fake/fake-chat" : "fakeb/fake-chat")
                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"analytics " + UUID.randomUUID() + "\"}]}")
                    .post("/v1/chat/completions");
            assertEquals(200, r.statusCode(), r.asString());
        }
        String to = Instant.now().plusSeconds(60).toString();
        await("the usage rows arrived").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    Response u = admin().queryParam("groupBy", "user").queryParam("userId", user)
                            .queryParam("from", from.toString()).queryParam("to", to).get("/api/v1/ai/admin/usage");
                    return u.statusCode() == 200 && u.jsonPath().getList("rows").size() == 1
                            && u.jsonPath().getInt("rows[0].requests") == n;
                });
        Response byProvider = admin().queryParam("groupBy", "provider").queryParam("userId", user)
                .queryParam("from", from.toString()).queryParam("to", to).get("/api/v1/ai/admin/usage");
        assertEquals(200, byProvider.statusCode(), byProvider.asString());
        BigDecimal rowsSum = BigDecimal.ZERO;
        int requests = 0;
        for (JsonNode row : mapper.readTree(byProvider.asString()).path("rows")) {
            rowsSum = rowsSum.add(new BigDecimal(row.path("costUsd").asText()));
            requests += row.path("requests").asInt();
        }
        assertEquals(n, requests);

        Response costs = admin().queryParam("groupBy", "provider").queryParam("userId", user)
                .queryParam("from", from.toString()).queryParam("to", to).get("/api/v1/ai/admin/costs");
        assertEquals(200, costs.statusCode(), costs.asString());
        JsonNode c = mapper.readTree(costs.asString());
        BigDecimal total = new BigDecimal(c.path("totalUsd").asText());
        assertTrue(total.signum() > 0, costs.asString());
        assertEquals(0, total.compareTo(rowsSum), "costs total " + total + " vs usage rows " + rowsSum);
        assertEquals(total.toPlainString(), rowsSum.toPlainString(), "equal to the last decimal, as written");
        JsonNode projection = c.path("projection");
        for (String input : List.of("method", "monthToDateUsd", "trailingDays", "dailyAverageUsd", "remainingDays",
                "projectedMonthEndUsd")) {
            assertFalse(projection.path(input).isMissingNode(), "projection input " + input + ": " + projection);
        }

        Response csv = admin().header("Accept", "text/csv").queryParam("groupBy", "provider").queryParam("userId", user)
                .queryParam("from", from.toString()).queryParam("to", to).get("/api/v1/ai/admin/costs");
        assertEquals(200, csv.statusCode(), csv.asString());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        String[] lines = csv.asString().split("\r?\n");
        List<String> header = List.of(lines[0].split(","));
        int costColumn = header.indexOf("costUsd");
        assertTrue(costColumn >= 0, "CSV header " + header);
        BigDecimal csvSum = BigDecimal.ZERO;
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                csvSum = csvSum.add(new BigDecimal(lines[i].split(",")[costColumn].replace("\"", "")));
            }
        }
        assertEquals(total.toPlainString(), csvSum.toPlainString(), "CSV total equals the JSON total");
    }

    @Test
    void aProviderOutageIsInTheHealthHistoryBothWaysAndAlertsOnce() throws Exception {
        Instant from = Instant.now().minusSeconds(1);
        String provider = "ds"; // a provider no other test relies on at this moment
        stack.fakeControl(provider, Map.of("outage", true));
        try {
            await("the unhealthy transition recorded").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                    .until(() -> historyHas(provider, from, false));
            await("the alert recorded").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                    .until(() -> alerts(provider, from).size() >= 1);
        } finally {
            stack.fakeControl(provider, Map.of("outage", false));
        }
        await("the healthy transition recorded").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                .until(() -> historyHas(provider, from, true));
        // a few more checks go by: still one alert for this outage
        Thread.sleep(3000);
        assertEquals(1, alerts(provider, from).size(), "one alert per outage");
    }

    private boolean historyHas(String provider, Instant from, boolean healthy) throws Exception {
        Response h = admin().queryParam("provider", provider).queryParam("from", from.toString())
                .get("/api/v1/ai/admin/health/history");
        if (h.statusCode() != 200) {
            return false;
        }
        for (JsonNode row : mapper.readTree(h.asString()).path("rows")) {
            if (row.path("type").asText().equals("TRANSITION") && row.path("healthy").asBoolean() == healthy) {
                return true;
            }
        }
        return false;
    }

    private List<JsonNode> alerts(String provider, Instant from) throws Exception {
        Response a = admin().queryParam("subject", "provider:" + provider).queryParam("from", from.toString())
                .get("/api/v1/ai/admin/alerts");
        assertEquals(200, a.statusCode(), a.asString());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode row : mapper.readTree(a.asString()).path("rows")) {
            if (row.path("type").asText().equals("provider_unhealthy")) {
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void aBadPatchIsA400NamingTheFieldAndChangesNothing() throws Exception {
        JsonNode before = provider("fake");
        Response bad = admin().contentType("application/merge-patch+json")
                .body("{\"models\":{\"fake-chat\":{\"promptPricePer1k\":\"-1\"}}}")
                .patch("/api/v1/ai/admin/providers/fake");
        assertEquals(400, bad.statusCode(), bad.asString());
        assertNotNull(bad.jsonPath().getString("error.param"), bad.asString());
        Response secret = admin().contentType("application/merge-patch+json").body("{\"apiKey\":\"sk-nope\"}")
                .patch("/api/v1/ai/admin/providers/fake");
        assertEquals(400, secret.statusCode(), secret.asString());
        assertFalse(secret.asString().contains("sk-nope"), "the rejected secret is not echoed");
        assertEquals(before.path("override"), provider("fake").path("override"));
    }
}
