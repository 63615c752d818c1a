package io.aigateway.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every internal endpoint of every service, as an attacker on the internal network would try it, over raw sockets
 * (HTTP clients normalise paths before sending): without a credential, with a wrong one, with each service's own
 * credential where the route does not name that caller, and through path tricks (a {@code ;x} in each segment,
 * {@code %2F}, {@code %2e%2e}, {@code //}, case variants, a trailing slash, the absolute form of the request line).
 * Each answer must be 401, 403 or 404 — never 2xx. The callers a route names must get through (not 401/403), so
 * the matrix cannot pass by refusing everything.
 */
class InternalEndpointSecurityIT {

    /** One internal endpoint and the callers (edge, routing, admin, ops) it accepts. */
    record Endpoint(String service, String method, String path, String body, Set<String> callers) {
        @Override
        public String toString() {
            return service + " " + method + " " + path;
        }
    }

    private static final String PREF = "{\"context\":\"default\",\"provider\":\"fake\",\"model\":\"fake-chat\"}";
    private static final String CHAT = "{\"model\":\"fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"probe\"}]}";
    private static final String ROUTE_CHAT = "{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"probe\"}]}";
    private static final String HASH = "0".repeat(64);

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("routing", "POST", "/internal/v1/route/chat", ROUTE_CHAT, Set.of("edge")),
            new Endpoint("routing", "GET", "/internal/v1/models", null, Set.of("edge", "admin", "ops")),
            new Endpoint("routing", "GET", "/internal/v1/models/prices", null, Set.of("edge", "admin", "ops")),
            new Endpoint("routing", "GET", "/internal/v1/models/catalog", null, Set.of("edge", "admin", "ops")),
            new Endpoint("routing", "GET", "/internal/v1/preferences", null, Set.of("edge")),
            new Endpoint("routing", "PUT", "/internal/v1/preferences", PREF, Set.of("edge")),
            new Endpoint("routing", "DELETE", "/internal/v1/preferences/probe", null, Set.of("edge")),
            new Endpoint("routing", "GET", "/internal/v1/cache/stats", null, Set.of("admin", "ops")),
            new Endpoint("routing", "POST", "/internal/v1/cache/invalidate", "{\"key\":\"" + HASH + "\"}", Set.of("admin", "ops")),
            new Endpoint("routing", "POST", "/internal/v1/cache/warm", "{\"requests\":[]}", Set.of("admin", "ops")),
            new Endpoint("routing", "GET", "/internal/v1/breakers", null, Set.of("admin", "ops")),
            new Endpoint("routing", "POST", "/internal/v1/breakers/fake/reset", null, Set.of("admin", "ops")),
            new Endpoint("adapter", "POST", "/internal/v1/providers/fake/chat", CHAT, Set.of("routing")),
            new Endpoint("adapter", "GET", "/internal/v1/providers", null, Set.of("routing", "admin", "ops")),
            new Endpoint("adapter", "GET", "/internal/v1/providers/fake/health", null, Set.of("routing", "admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/usage?userId=probe", null, Set.of("admin", "edge", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/quotas/tiers", null, Set.of("admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/quotas/tiers/free", null, Set.of("admin", "ops")),
            new Endpoint("usage", "PUT", "/internal/v1/quotas/tiers/sec-probe", "{\"limits\":{}}", Set.of("admin", "ops")),
            new Endpoint("usage", "DELETE", "/internal/v1/quotas/tiers/sec-probe-none", null, Set.of("admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/quotas/users/sec-probe", null, Set.of("admin", "ops")),
            new Endpoint("usage", "PUT", "/internal/v1/quotas/users/sec-probe", "{\"tier\":\"unlimited\"}", Set.of("admin", "ops")),
            new Endpoint("usage", "POST", "/internal/v1/quotas/users/sec-probe/reset", null, Set.of("admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/quotas/users/sec-probe/usage", null, Set.of("edge", "admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/quotas/keys/sec-probe", null, Set.of("admin", "ops")),
            new Endpoint("usage", "PUT", "/internal/v1/quotas/keys/sec-probe", "{\"limits\":{}}", Set.of("admin", "ops")),
            new Endpoint("usage", "DELETE", "/internal/v1/quotas/keys/sec-probe", null, Set.of("admin", "ops")),
            new Endpoint("usage", "POST", "/internal/v1/quotas/keys/sec-probe/reset", null, Set.of("admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/usage/analytics?groupBy=provider", null, Set.of("admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/usage/requests/sec-probe", null, Set.of("admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/usage/costs?groupBy=day", null, Set.of("admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/usage/metrics?window=15m", null, Set.of("admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/usage/performance?window=1h", null, Set.of("edge", "admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/health/history", null, Set.of("admin", "ops")),
            new Endpoint("usage", "GET", "/internal/v1/alerts", null, Set.of("admin", "ops")),
            new Endpoint("admin", "POST", "/internal/v1/keys", "{\"userId\":\"sec-probe\",\"roles\":[\"user\"],\"name\":\"probe\"}", Set.of("ops")),
            new Endpoint("admin", "GET", "/internal/v1/keys/" + HASH, null, Set.of("edge", "ops")),
            new Endpoint("admin", "GET", "/internal/v1/users/sec-probe/keys", null, Set.of("edge")),
            new Endpoint("admin", "POST", "/internal/v1/users/sec-probe/keys", "{\"name\":\"probe\"}", Set.of("edge")),
            new Endpoint("admin", "DELETE", "/internal/v1/users/sec-probe/keys/none", null, Set.of("edge")));

    static final List<String> SERVICES = List.of("edge", "routing", "adapter", "usage", "admin");
    static final List<String> CALLERS = List.of("edge", "routing", "admin", "ops");

    /**
     * The callers each service knows (holds the hash of): a known caller a route does not name gets 403; a caller the
     * service does not know at all is, there, just a wrong credential: 401.
     */
    static final java.util.Map<String, Set<String>> KNOWN = java.util.Map.of(
            "routing", Set.of("edge", "admin", "ops"),
            "adapter", Set.of("routing", "admin", "ops"),
            "usage", Set.of("edge", "admin", "ops"),
            "admin", Set.of("edge", "ops"));

    private static E2eStack stack;

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    private static String token(String caller) {
        return caller.equals("ops") ? stack.internalToken : stack.serviceTokens.get(caller);
    }

    @TestFactory
    Stream<DynamicTest> withoutOrWithAWrongCredentialEveryEndpointIs401() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            tests.add(DynamicTest.dynamicTest("no credential: " + e, () -> assertStatus(e, e.path(), null, "401")));
            tests.add(DynamicTest.dynamicTest("wrong credential: " + e, () -> assertStatus(e, e.path(), "wrong-" + stack.runId + "-0123456789", "401")));
        }
        for (String service : SERVICES) {
            tests.add(DynamicTest.dynamicTest("no credential, unknown path: " + service, () ->
                    assertStatus(new Endpoint(service, "GET", "/internal/v1/nothing", null, Set.of()), "/internal/v1/nothing", null, "401")));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aServiceCredentialTheRouteDoesNotNameIs403Or401WhereUnknown() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            for (String caller : CALLERS) {
                if (!e.callers().contains(caller)) {
                    String expected = KNOWN.get(e.service()).contains(caller) ? "403" : "401";
                    tests.add(DynamicTest.dynamicTest(caller + " on " + e + " → " + expected,
                            () -> assertStatus(e, e.path(), token(caller), expected)));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> theCallersARouteNamesGetThrough() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            for (String caller : e.callers()) {
                tests.add(DynamicTest.dynamicTest(caller + " on " + e, () -> {
                    String status = statusLine(e.service(), requestLine(e.method(), e.path()), e.body(), token(caller));
                    assertFalse(status.matches("HTTP/1\\.1 (401|403) .*"), caller + " refused on " + e + ": " + status);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> pathTricksNeverReachARoute() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Endpoint e : ENDPOINTS) {
            for (String trick : tricks(e.path())) {
                // without a credential, and with one the route does not name (the tricks must not bypass the role check)
                String outsider = CALLERS.stream().filter(c -> !e.callers().contains(c)).findFirst().orElse(null);
                tests.add(DynamicTest.dynamicTest(e.service() + " " + e.method() + " " + trick, () -> {
                    assertNever2xx(e, trick, null);
                    if (outsider != null) {
                        assertNever2xx(e, trick, token(outsider));
                    }
                }));
            }
        }
        return tests.stream();
    }

    /**
     * The public API (edge) and the admin API (admin-service) through the same path tricks, with an API key the
     * route accepts for the plain path (a user key; the admin key for the admin API): never 2xx, the tricks never
     * reach a handler.
     */
    @TestFactory
    Stream<DynamicTest> pathTricksNeverReachAPublicOrAdminRoute() {
        record Api(String service, String path, String key) {
        }
        List<Api> apis = List.of(
                new Api("edge", "/v1/models", stack.userKey),
                new Api("edge", "/api/v1/ai/preferences", stack.userKey),
                new Api("edge", "/api/v1/ai/usage", stack.userKey),
                new Api("edge", "/api/v1/ai/keys", stack.userKey),
                new Api("edge", "/api/v1/ai/models", stack.userKey),
                new Api("admin", "/api/v1/ai/admin/keys", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/providers", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/quotas/tiers", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/usage", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/costs", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/audit", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/groups", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/metrics", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/breakers", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/cache/stats", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/health/history", stack.adminKey),
                new Api("admin", "/api/v1/ai/admin/alerts", stack.adminKey));
        List<DynamicTest> tests = new ArrayList<>();
        for (Api api : apis) {
            tests.add(DynamicTest.dynamicTest("plain " + api.service() + " " + api.path(), () -> {
                String status = statusLine(api.service(), requestLine("GET", api.path()), null, null,
                        "Authorization: Bearer " + api.key());
                assertTrue(status.startsWith("HTTP/1.1 200"), "the plain path is served: " + status);
            }));
            for (String trick : tricks(api.path())) {
                tests.add(DynamicTest.dynamicTest(api.service() + " GET " + trick, () -> {
                    for (String auth : new String[]{null, "Authorization: Bearer " + api.key()}) {
                        String status = statusLine(api.service(), requestLine("GET", trick), null, null, auth);
                        assertTrue(status.matches("HTTP/1\\.1 (401|403|404) .*"), api.service() + " GET " + trick
                                + " (" + (auth == null ? "no key" : "a key the plain path accepts") + "): " + status);
                    }
                }));
            }
        }
        return tests.stream();
    }

    /**
     * The open documentation (OpenAPI, Swagger UI on the edge and admin-service; internal services keep theirs behind
     * their service credential) and the edge's web UI (pages, assets, /config.json): their plain paths are served
     * anonymously, and spellings that lead from them to an API (dot segments, escapes, case, trailing slash, empty
     * segments) never are, with or without a key the API would accept.
     */
    @TestFactory
    Stream<DynamicTest> documentationAndUiPathsOpenNothingElse() {
        record Open(String service, String path, boolean served) {
        }
        List<Open> plain = List.of(
                new Open("edge", "/q/openapi", true), new Open("edge", "/q/openapi.json", true),
                new Open("edge", "/q/swagger-ui", true), new Open("edge", "/q/swagger-ui/index.html", true),
                new Open("admin", "/q/openapi", true), new Open("admin", "/q/swagger-ui/index.html", true),
                new Open("edge", "/config.json", true),
                new Open("routing", "/q/openapi", false), new Open("adapter", "/q/openapi", false),
                new Open("usage", "/q/openapi", false), new Open("routing", "/q/swagger-ui/index.html", false));
        record Trick(String service, String target) {
        }
        List<Trick> tricks = new ArrayList<>();
        for (String service : List.of("edge", "admin")) {
            String api = service.equals("edge") ? "/api/v1/ai/keys" : "/api/v1/ai/admin/keys";
            for (String t : List.of("/Q/OPENAPI", "/q/OpenAPI", "/q/openapi/", "/q/openapi//", "/q/openapi;x",
                    "/q/openapi/../.." + api, "/q/openapi/%2e%2e/%2e%2e" + api, "/q/openapi/..%2f.." + api,
                    "/q/swagger-ui/../.." + api, "/q/swagger-ui/%2e%2e/%2e%2e" + api, "/q/swagger-ui//" + api.substring(1),
                    "/Q/SWAGGER-UI/index.html", "/q/swagger-ui;x/../.." + api, "/q/%6fpenapi")) {
                tricks.add(new Trick(service, t));
            }
        }
        for (String t : List.of("/CONFIG.JSON", "/Config.json", "/config.json/", "/config.json;x", "/config%2ejson",
                "/assets/../api/v1/ai/keys", "/assets/%2e%2e/api/v1/ai/keys", "/assets/..%2fapi/v1/ai/keys",
                "/settings/../api/v1/ai/usage", "/settings/%2e%2e/api/v1/ai/usage", "/settings/", "/SETTINGS",
                "/admin/providers/../../api/v1/ai/preferences", "/config.json/../api/v1/ai/keys", "//api/v1/ai/keys",
                "/index.html/../api/v1/ai/usage", "/q/openapi/../../internal/v1/models")) {
            tricks.add(new Trick("edge", t));
        }
        for (String service : List.of("routing", "adapter", "usage")) {
            for (String t : List.of("/Q/OPENAPI", "/q/openapi/", "/q/openapi/../../internal/v1/alerts", "/q/openapi;x")) {
                tricks.add(new Trick(service, t));
            }
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Open o : plain) {
            tests.add(DynamicTest.dynamicTest("plain " + o.service() + " " + o.path(), () -> {
                String status = statusLine(o.service(), requestLine("GET", o.path()), null, null);
                if (o.served()) {
                    // /q/swagger-ui answers with a redirect to its index /q/swagger-ui/
                    assertTrue(status.matches("HTTP/1\\.1 (200|301|302) .*"), o.service() + " " + o.path() + ": " + status);
                } else {
                    assertTrue(status.startsWith("HTTP/1.1 401 "), o.service() + " " + o.path() + " without a credential: " + status);
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("an internal document for a service caller", () -> {
            String status = statusLine("routing", requestLine("GET", "/q/openapi"), null, token("ops"));
            assertTrue(status.startsWith("HTTP/1.1 200 "), "routing /q/openapi with the ops credential: " + status);
            // no Swagger UI in a packaged internal service, even for a caller it accepts
            String ui = statusLine("routing", requestLine("GET", "/q/swagger-ui/index.html"), null, token("ops"));
            assertTrue(ui.startsWith("HTTP/1.1 404 "), "routing /q/swagger-ui/index.html with the ops credential: " + ui);
        }));
        for (Trick trick : tricks) {
            tests.add(DynamicTest.dynamicTest(trick.service() + " GET " + trick.target(), () -> {
                String key = trick.service().equals("admin") ? stack.adminKey : stack.userKey;
                for (String auth : new String[]{null, "Authorization: Bearer " + key}) {
                    String status = statusLine(trick.service(), requestLine("GET", trick.target()), null, null, auth);
                    assertTrue(status.matches("HTTP/1\\.1 (400|401|403|404) .*"), trick.service() + " GET " + trick.target()
                            + " (" + (auth == null ? "no key" : "with a key") + "): " + status);
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void healthIsOpenAndAnswersNothingSecret() throws Exception {
        for (String service : SERVICES) {
            String status = statusLine(service, "GET /q/health/ready HTTP/1.1", null, null);
            assertTrue(status.startsWith("HTTP/1.1 200"), service + ": " + status);
        }
    }

    /** Path variants that other layers might read as the endpoint's path. */
    static List<String> tricks(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q);
        String[] segments = path.substring(1).split("/");
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < segments.length; i++) {
            String[] copy = segments.clone();
            copy[i] = copy[i] + ";x";
            out.add("/" + String.join("/", copy) + query);
        }
        if (path.indexOf("/v1/") > 0) {
            out.add(path.replaceFirst("/v1/", "%2Fv1/") + query);
        }
        out.add(path.replaceFirst("/v1/", "/v1%2f") + query);
        out.add("/x/%2e%2e" + path + query);
        out.add("/x/.." + path + query);
        out.add("/v1/%2e%2e" + path + query);
        out.add("/" + path + query);
        out.add(path.replaceFirst("/v1/", "//v1/") + query);
        out.add(path.toUpperCase(Locale.ROOT) + query);
        out.add("/" + Character.toUpperCase(path.charAt(1)) + path.substring(2) + query);
        out.add(path + "/" + query);
        out.add(String.format("/%%%02x", (int) path.charAt(1)) + path.substring(2) + query);
        out.add("ABSOLUTE:" + path + query);
        return List.copyOf(out);
    }

    private static void assertStatus(Endpoint e, String target, String token, String expected) throws Exception {
        String status = statusLine(e.service(), requestLine(e.method(), target), e.body(), token);
        assertTrue(status.startsWith("HTTP/1.1 " + expected + " "), e + " (credential " + (token == null ? "none" : "given")
                + "): expected " + expected + ", got " + status);
    }

    private static void assertNever2xx(Endpoint e, String trick, String token) throws Exception {
        String status = statusLine(e.service(), requestLine(e.method(), trick), e.body(), token);
        assertTrue(status.matches("HTTP/1\\.1 (401|403|404) .*"), e.service() + " " + e.method() + " " + trick
                + " (credential " + (token == null ? "none" : "of a caller the route does not name") + "): " + status);
    }

    private static String requestLine(String method, String target) {
        int port = java.net.URI.create(stack.url("edge")).getPort();
        String t = target.startsWith("ABSOLUTE:") ? "http://127.0.0.1:" + port + target.substring("ABSOLUTE:".length()) : target;
        return method + " " + t + " HTTP/1.1";
    }

    static String statusLine(String service, String requestLine, String body, String token) throws Exception {
        return statusLine(service, requestLine, body, token, null);
    }

    static String statusLine(String service, String requestLine, String body, String token, String extraHeader)
            throws Exception {
        int port = java.net.URI.create(stack.url(service)).getPort();
        String absolute = requestLine.replace("http://127.0.0.1:" + java.net.URI.create(stack.url("edge")).getPort(),
                "http://127.0.0.1:" + port);
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(absolute).append("\r\nHost: 127.0.0.1:").append(port)
                .append("\r\nConnection: close\r\nX-Aigw-Caller-User: sec-probe\r\nX-Request-Id: sec-probe-")
                .append(stack.runId).append("\r\n");
        if (token != null) {
            head.append("X-Aigw-Internal-Token: ").append(token).append("\r\n");
        }
        if (extraHeader != null) {
            head.append(extraHeader).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
        } else if (!absolute.startsWith("GET ") && !absolute.startsWith("DELETE ")) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            assertFalse(line.isEmpty(), "no answer to " + absolute);
            return line.toString();
        }
    }

    @Test
    void trickListCoversEverySegment() {
        List<String> t = tricks("/internal/v1/cache/stats");
        assertTrue(t.contains("/internal;x/v1/cache/stats"));
        assertTrue(t.contains("/internal/v1/cache/stats;x"));
        assertEquals(t.size(), new LinkedHashSet<>(t).size());
    }
}
