package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigateway.contracts.internal.KeyHashing;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Role × endpoint matrix of the public API (edge) and the admin API (admin-service): every caller kind against
 * every endpoint, with the exact status each must get. The user API needs role {@code user}, the admin API role
 * {@code admin}; a revoked or expired key is 401 everywhere, also on an edge and an admin-service that served it
 * (cached it) just before. The documentation (OpenAPI, Swagger UI) of both and the edge's web UI (pages, assets,
 * /config.json) are open to every caller and never carry API data.
 */
class RoleMatrixIT {

    enum Caller {
        NO_KEY, USER, ADMIN_AND_USER, ADMIN_ONLY, REVOKED, EXPIRED
    }

    enum Endpoint {
        CHAT(true), MODELS(true), PREFERENCES_GET(true), PREFERENCES_PUT(true), PREFERENCES_DELETE(true), USAGE(true),
        GENERATE(true), KEYS_LIST(true), KEYS_CREATE(true), KEYS_REVOKE(true), CATALOG(true), CATALOG_ENTRY(true),
        ADMIN_KEYS_LIST(false), ADMIN_KEYS_CREATE(false), ADMIN_KEYS_REVOKE(false), ADMIN_PROVIDERS(false),
        ADMIN_QUOTA_TIERS(false), ADMIN_QUOTA_USER_GET(false), ADMIN_QUOTA_USER_PUT(false), ADMIN_QUOTA_USER_RESET(false),
        ADMIN_QUOTA_TIER_GET(false), ADMIN_QUOTA_TIER_PUT(false), ADMIN_QUOTA_TIER_DELETE(false),
        ADMIN_QUOTA_KEY_GET(false), ADMIN_QUOTA_KEY_PUT(false), ADMIN_QUOTA_KEY_DELETE(false), ADMIN_QUOTA_KEY_RESET(false),
        ADMIN_PROVIDER_GET(false), ADMIN_PROVIDER_PATCH(false), ADMIN_PROVIDER_TOGGLE(false), ADMIN_GROUPS(false),
        ADMIN_GROUP_PUT(false), ADMIN_GROUP_GET(false), ADMIN_GROUP_DELETE(false), ADMIN_USAGE(false),
        ADMIN_USAGE_REQUEST(false), ADMIN_COSTS(false), ADMIN_COSTS_CSV(false), ADMIN_METRICS(false),
        ADMIN_HEALTH_HISTORY(false), ADMIN_ALERTS(false), ADMIN_CACHE_STATS(false), ADMIN_CACHE_INVALIDATE(false),
        ADMIN_CACHE_WARM(false), ADMIN_BREAKERS(false), ADMIN_BREAKER_RESET(false), ADMIN_AUDIT(false);

        final boolean userApi;

        Endpoint(boolean userApi) {
            this.userApi = userApi;
        }

        int success() {
            return switch (this) {
                case ADMIN_KEYS_CREATE, KEYS_CREATE -> 201;
                // let through: the caller never had that key, their own key store answers 404
                case KEYS_REVOKE -> 404;
                case ADMIN_KEYS_REVOKE -> 204;
                // let through: the context never had a preference, so the caller's own store answers 404
                case PREFERENCES_DELETE -> 404;
                // let through: the tier never existed, usage-service answers 404
                case ADMIN_QUOTA_TIER_DELETE -> 404;
                case ADMIN_QUOTA_KEY_DELETE -> 204;
                // let through: no admin ever set that group
                case ADMIN_GROUP_DELETE -> 404;
                // let through: no usage records for that request id
                case ADMIN_USAGE_REQUEST -> 404;
                default -> 200;
            };
        }
    }

    /** Open routes: API documentation and the web UI. What each serves is checked by {@link #looksRight}. */
    enum OpenRoute {
        EDGE_OPENAPI(true, "/q/openapi"), EDGE_OPENAPI_JSON(true, "/q/openapi.json"), EDGE_SWAGGER_UI(true, "/q/swagger-ui"),
        ADMIN_OPENAPI(false, "/q/openapi"), ADMIN_OPENAPI_JSON(false, "/q/openapi.json"),
        ADMIN_SWAGGER_UI(false, "/q/swagger-ui"),
        UI_CONFIG(true, "/config.json"), UI_INDEX(true, "/"), UI_SETTINGS(true, "/settings"),
        UI_ADMIN_PAGE(true, "/admin/providers"), UI_ASSET(true, null);

        final boolean edge;
        final String path;

        OpenRoute(boolean edge, String path) {
            this.edge = edge;
            this.path = path;
        }

        boolean uiPage() {
            return this == UI_INDEX || this == UI_SETTINGS || this == UI_ADMIN_PAGE || this == UI_ASSET;
        }
    }

    private static E2eStack stack;
    private static final Map<Caller, String> KEYS = new EnumMap<>(Caller.class);
    /** Whether this run's edge was built with the web UI (Quinoa; -Dquarkus.quinoa.enabled=false builds it without). */
    private static boolean uiBuilt;
    /** One of the UI's built assets, read from its index page (null without the UI). */
    private static String uiAsset;

    @BeforeAll
    static void up() throws Exception {
        stack = E2eStack.get();
        findUi();
        String run = stack.runId;
        KEYS.put(Caller.USER, stack.createKey("e2e-matrix-user-" + run, List.of("user")));
        KEYS.put(Caller.ADMIN_AND_USER, stack.adminKey);
        KEYS.put(Caller.ADMIN_ONLY, stack.createKey("e2e-matrix-adminonly-" + run, List.of("admin")));

        // Both roles, so that nothing but the revocation / the expiry can explain a refusal.
        JsonNode revoked = stack.createKey("e2e-matrix-revoked-" + run, List.of("admin", "user"), null);
        Instant expiresAt = Instant.now().plusSeconds(3);
        JsonNode expired = stack.createKey("e2e-matrix-expired-" + run, List.of("admin", "user"), expiresAt);
        KEYS.put(Caller.REVOKED, revoked.get("key").asText());
        KEYS.put(Caller.EXPIRED, expired.get("key").asText());
        // Served (and cached) first by the edge and admin-service.
        for (Caller c : List.of(Caller.REVOKED, Caller.EXPIRED)) {
            assertEquals(200, call(c, Endpoint.MODELS).statusCode());
            assertEquals(200, call(c, Endpoint.ADMIN_KEYS_LIST).statusCode());
        }
        Response revoke = given().baseUri(stack.url("admin")).header("Authorization", "Bearer " + stack.adminKey)
                .delete("/api/v1/ai/admin/keys/" + revoked.get("keyId").asText());
        assertEquals(204, revoke.statusCode(), revoke.asString());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(expiresAt.plusMillis(100)));
    }

    private static void findUi() {
        Response index = given().baseUri(stack.edgeUrl()).get("/");
        assertTrue(index.statusCode() == 200 || index.statusCode() == 404, "GET / on the edge: " + index.statusCode());
        uiBuilt = index.statusCode() == 200;
        if (uiBuilt) {
            Matcher m = Pattern.compile("/assets/[A-Za-z0-9._-]+\\.(?:js|css)").matcher(index.asString());
            assertTrue(m.find(), "the UI's index names no asset: " + index.asString());
            uiAsset = m.group();
        }
    }

    static Stream<Arguments> openCells() {
        List<Arguments> cells = new ArrayList<>();
        for (Caller caller : Caller.values()) {
            for (OpenRoute route : OpenRoute.values()) {
                cells.add(Arguments.of(caller, route));
            }
        }
        return cells.stream();
    }

    /**
     * Every caller gets the documentation and the UI; only admin-service checks a presented credential on every path
     * (proactive authentication: a revoked or expired key is 401 there, as on its API). Without the UI in this
     * edge build its pages are 404, never 401.
     */
    static int expectedOpen(Caller caller, OpenRoute route) {
        if (!route.edge && (caller == Caller.REVOKED || caller == Caller.EXPIRED)) {
            return 401;
        }
        return route.uiPage() && !uiBuilt ? 404 : 200;
    }

    @ParameterizedTest(name = "{0} × {1}")
    @MethodSource("openCells")
    void documentationAndUiAreOpenAndCarryNoApiData(Caller caller, OpenRoute route) {
        RequestSpecification req = given().baseUri(route.edge ? stack.edgeUrl() : stack.url("admin"));
        String key = KEYS.get(caller);
        if (key != null) {
            req = req.header("Authorization", "Bearer " + key);
        }
        String path = route == OpenRoute.UI_ASSET ? (uiAsset == null ? "/assets/index.js" : uiAsset) : route.path;
        Response r = req.get(path);
        int expected = expectedOpen(caller, route);
        assertEquals(expected, r.statusCode(), caller + " × " + route + " (" + path + "): " + r.asString());
        if (expected == 200) {
            assertTrue(looksRight(route, r), caller + " × " + route + ": unexpected body " + r.asString());
        }
        // the documents name the API's fields and the UI's code uses them: only the other answers are checked
        if (!route.name().contains("OPENAPI") && route != OpenRoute.UI_ASSET) {
            String body = r.asString();
            for (String apiField : new String[]{"\"keyId\"", "\"userId\"", "\"limits\"", "\"rows\"", "\"preferences\""}) {
                assertFalse(body.contains(apiField), route + " carries API data: " + body);
            }
        }
    }

    private static boolean looksRight(OpenRoute route, Response r) {
        String body = r.asString();
        return switch (route) {
            case EDGE_OPENAPI, ADMIN_OPENAPI -> body.contains("openapi: 3.1");
            case EDGE_OPENAPI_JSON -> "AI Gateway public API".equals(r.jsonPath().getString("info.title"));
            case ADMIN_OPENAPI_JSON -> "AI Gateway admin API".equals(r.jsonPath().getString("info.title"));
            case EDGE_SWAGGER_UI, ADMIN_SWAGGER_UI -> body.contains("swagger-ui");
            case UI_CONFIG -> r.jsonPath().getString("oidcClientId") != null;
            case UI_INDEX, UI_SETTINGS, UI_ADMIN_PAGE -> body.contains("<div id=\"root\"") || body.contains("<html");
            case UI_ASSET -> !body.isEmpty();
        };
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (Caller caller : Caller.values()) {
            for (Endpoint endpoint : Endpoint.values()) {
                cells.add(Arguments.of(caller, endpoint, expected(caller, endpoint)));
            }
        }
        return cells.stream();
    }

    static int expected(Caller caller, Endpoint endpoint) {
        if (endpoint == Endpoint.CATALOG || endpoint == Endpoint.CATALOG_ENTRY) {
            // public: anonymous and every valid key get it; a presented but invalid key is still refused
            return caller == Caller.REVOKED || caller == Caller.EXPIRED ? 401 : 200;
        }
        return switch (caller) {
            case NO_KEY, REVOKED, EXPIRED -> 401;
            case USER -> endpoint.userApi ? endpoint.success() : 403;
            case ADMIN_ONLY -> endpoint.userApi ? 403 : endpoint.success();
            case ADMIN_AND_USER -> endpoint.success();
        };
    }

    @ParameterizedTest(name = "{0} × {1} → {2}")
    @MethodSource("cells")
    void statusOfEachCell(Caller caller, Endpoint endpoint, int expected) throws Exception {
        // A key of its own for the revoke cell: a refused call must leave it live.
        JsonNode target = endpoint == Endpoint.ADMIN_KEYS_REVOKE
                ? stack.createKey("e2e-matrix-target-" + stack.runId, List.of("user"), null) : null;
        Response r = call(caller, endpoint, target == null ? null : target.get("keyId").asText());
        assertEquals(expected, r.statusCode(), caller + " × " + endpoint + ": " + r.asString());
        if (expected == 401 || expected == 403) {
            String type = r.jsonPath().getString("error.type");
            assertEquals(expected == 401 ? "invalid_request_error" : "permission_error", type, r.asString());
        }
        if (target != null) {
            int lookup = given().baseUri(stack.url("admin")).header("X-Aigw-Internal-Token", stack.internalToken)
                    .get("/internal/v1/keys/" + KeyHashing.sha256Hex(target.get("key").asText())).statusCode();
            assertEquals(expected == 204 ? 404 : 200, lookup, "the revoke target is revoked only when allowed");
        }
    }

    private static Response call(Caller caller, Endpoint endpoint) {
        return call(caller, endpoint, null);
    }

    private static Response call(Caller caller, Endpoint endpoint, String targetKeyId) {
        RequestSpecification req = given().baseUri(endpoint.userApi ? stack.edgeUrl() : stack.url("admin"));
        String key = KEYS.get(caller);
        if (key != null) {
            req = req.header("Authorization", "Bearer " + key);
        }
        return switch (endpoint) {
            case CHAT -> req.contentType(ContentType.JSON)
                    .body("{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"matrix "
                            + UUID.randomUUID() + "\"}]}")
                    .post("/v1/chat/completions");
            case MODELS -> req.get("/v1/models");
            case PREFERENCES_GET -> req.get("/api/v1/ai/preferences");
            case PREFERENCES_PUT -> req.contentType(ContentType.JSON)
                    .body("{\"context\":\"rolematrix\",\"provider\":\"fakeb\",\"model\":\"fake-chat\"}")
                    .put("/api/v1/ai/preferences");
            case PREFERENCES_DELETE -> req.delete("/api/v1/ai/preferences/rolematrix-none");
            case ADMIN_KEYS_LIST -> req.queryParam("limit", 1).get("/api/v1/ai/admin/keys");
            case ADMIN_KEYS_CREATE -> req.contentType(ContentType.JSON)
                    .body(Map.of("userId", "e2e-matrix-created-" + stack.runId, "roles", List.of("user")))
                    .post("/api/v1/ai/admin/keys");
            case ADMIN_KEYS_REVOKE -> req.delete("/api/v1/ai/admin/keys/"
                    + (targetKeyId == null ? "key_doesnotexist" : targetKeyId));
            case ADMIN_PROVIDERS -> req.get("/api/v1/ai/admin/providers");
            case USAGE -> req.get("/api/v1/ai/usage");
            case GENERATE -> req.contentType(ContentType.JSON)
                    .body("{\"prompt\":\"matrix " + UUID.randomUUID() + "\",\"model\":\"fake/fake-chat\"}")
                    .post("/api/v1/ai/generate");
            case KEYS_LIST -> req.get("/api/v1/ai/keys");
            case KEYS_CREATE -> req.contentType(ContentType.JSON).body("{\"name\":\"matrix\"}").post("/api/v1/ai/keys");
            case KEYS_REVOKE -> req.delete("/api/v1/ai/keys/key_matrixnone");
            case CATALOG -> req.get("/api/v1/ai/models");
            case CATALOG_ENTRY -> req.get("/api/v1/ai/models/fake/fake-chat");
            case ADMIN_QUOTA_TIERS -> req.get("/api/v1/ai/admin/quotas/tiers");
            case ADMIN_QUOTA_USER_GET -> req.get("/api/v1/ai/admin/quotas/users/e2e-matrix-quota-" + stack.runId);
            case ADMIN_QUOTA_USER_PUT -> req.contentType(ContentType.JSON).body("{\"tier\":\"unlimited\"}")
                    .put("/api/v1/ai/admin/quotas/users/e2e-matrix-quota-" + stack.runId);
            case ADMIN_QUOTA_USER_RESET -> req.post("/api/v1/ai/admin/quotas/users/e2e-matrix-quota-" + stack.runId + "/reset");
            case ADMIN_QUOTA_TIER_GET -> req.get("/api/v1/ai/admin/quotas/tiers/free");
            case ADMIN_QUOTA_TIER_PUT -> req.contentType(ContentType.JSON).body("{\"limits\":{\"requestsPerDay\":5}}")
                    .put("/api/v1/ai/admin/quotas/tiers/e2e-matrix-" + stack.runId.toLowerCase());
            case ADMIN_QUOTA_TIER_DELETE -> req.delete("/api/v1/ai/admin/quotas/tiers/e2e-matrix-none");
            case ADMIN_QUOTA_KEY_GET -> req.get("/api/v1/ai/admin/quotas/keys/e2e-matrix-key-" + stack.runId);
            case ADMIN_QUOTA_KEY_PUT -> req.contentType(ContentType.JSON).body("{\"limits\":{\"requestsPerMinute\":5}}")
                    .put("/api/v1/ai/admin/quotas/keys/e2e-matrix-key-" + stack.runId);
            case ADMIN_QUOTA_KEY_DELETE -> req.delete("/api/v1/ai/admin/quotas/keys/e2e-matrix-key-" + stack.runId);
            case ADMIN_QUOTA_KEY_RESET -> req.post("/api/v1/ai/admin/quotas/keys/e2e-matrix-key-" + stack.runId + "/reset");
            case ADMIN_PROVIDER_GET -> req.get("/api/v1/ai/admin/providers/fake");
            case ADMIN_PROVIDER_PATCH -> req.contentType("application/merge-patch+json").body("{\"priority\":null}")
                    .patch("/api/v1/ai/admin/providers/oll");
            // two admins toggle it: back where it was when the matrix ends
            case ADMIN_PROVIDER_TOGGLE -> req.post("/api/v1/ai/admin/providers/tgiu/toggle");
            case ADMIN_GROUPS -> req.get("/api/v1/ai/admin/groups");
            case ADMIN_GROUP_PUT -> req.contentType(ContentType.JSON).body("{\"members\":[\"fake/fake-chat\"]}")
                    .put("/api/v1/ai/admin/groups/e2e-matrix-" + stack.runId.toLowerCase());
            case ADMIN_GROUP_GET -> req.get("/api/v1/ai/admin/groups/e2e-matrix-" + stack.runId.toLowerCase());
            case ADMIN_GROUP_DELETE -> req.delete("/api/v1/ai/admin/groups/e2e-matrix-none-" + stack.runId.toLowerCase());
            case ADMIN_USAGE -> req.queryParam("groupBy", "provider").get("/api/v1/ai/admin/usage");
            case ADMIN_USAGE_REQUEST -> req.get("/api/v1/ai/admin/usage/requests/e2e-matrix-none-" + stack.runId);
            case ADMIN_COSTS -> req.queryParam("groupBy", "day").get("/api/v1/ai/admin/costs");
            case ADMIN_COSTS_CSV -> req.queryParam("groupBy", "day").queryParam("format", "csv").get("/api/v1/ai/admin/costs");
            case ADMIN_METRICS -> req.queryParam("window", "15m").get("/api/v1/ai/admin/metrics");
            case ADMIN_HEALTH_HISTORY -> req.get("/api/v1/ai/admin/health/history");
            case ADMIN_ALERTS -> req.get("/api/v1/ai/admin/alerts");
            case ADMIN_CACHE_STATS -> req.get("/api/v1/ai/admin/cache/stats");
            case ADMIN_CACHE_INVALIDATE -> req.contentType(ContentType.JSON).body("{\"model\":\"e2e-matrix-none\"}")
                    .post("/api/v1/ai/admin/cache/invalidate");
            case ADMIN_CACHE_WARM -> req.contentType(ContentType.JSON)
                    .body("{\"model\":\"fake/fake-chat\",\"prompts\":[\"matrix warm " + stack.runId + "\"]}")
                    .post("/api/v1/ai/admin/cache/warm");
            case ADMIN_BREAKERS -> req.get("/api/v1/ai/admin/breakers");
            case ADMIN_BREAKER_RESET -> req.post("/api/v1/ai/admin/breakers/fake/reset");
            case ADMIN_AUDIT -> req.get("/api/v1/ai/admin/audit");
        };
    }
}
