package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.aigateway.contracts.internal.Json;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Observability across the stack: one request is one trace over edge, routing, adapter and usage-service (exported
 * to the stack's OTLP receiver), its usage row and log lines carry that trace id; every metric the alert rules and
 * the dashboards of deploy/observability read is exported by some service; token and cost metrics add up to what
 * the usage rows say.
 */
class ObservabilityIT {

    private static final List<String> SERVICES = List.of("edge", "routing", "adapter", "usage", "admin");
    /** Series Prometheus makes itself (a scrape's {@code up}, alert state), never exported by a service. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds",
            "scrape_samples_scraped");

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

    private static String body(String model, boolean stream, String text) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    private static Response chat(String requestId, String body) {
        return given().baseUri(stack.edgeUrl())
                .header("Authorization", "Bearer " + stack.userKey)
                .header("X-Request-Id", requestId)
                .contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions");
    }

    // ---- traces -------------------------------------------------------------------------------------------------

    @Test
    void oneRequestIsOneTraceFromTheEdgeToUsageServiceAndItsRowAndLogLinesCarryTheTraceId() throws Exception {
        String requestId = "e2e-trace-" + UUID.randomUUID();
        OtlpReceiver otlp = stack.otlp();
        otlp.record(true);
        try {
            traceOfOneRequest(requestId, otlp);
        } finally {
            otlp.record(false);
        }
    }

    private void traceOfOneRequest(String requestId, OtlpReceiver otlp) throws Exception {
        // a request with a fallback: the first provider fails (tried and retried), the second answers; the adapter
        // and routing log the failed attempts
        stack.fakeControl("fake", Map.of("model", "fake-chat", "errorRate", 1.0, "errorStatus", 500));
        Response r;
        try {
            r = chat(requestId, body("chat-default", false, "trace me " + UUID.randomUUID()));
        } finally {
            stack.fakeReset();
            stack.resetBreakers();
        }
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("fakeb", r.header("x-aigw-provider"));

        String traceId;
        try {
            traceId = await("the edge's server span of " + requestId).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> otlp.spans().stream()
                            .filter(s -> requestId.equals(s.attributes().get("aigw.request.id")))
                            .map(OtlpReceiver.Received::traceId).findFirst().orElse(null), t -> t != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no span with aigw.request.id " + requestId + "; exports decoded " + otlp.exports()
                    + ", refused " + otlp.rejected() + ", spans kept " + otlp.spans().size() + ":"
                    + describe(otlp.spans().stream().limit(30).toList()), e);
        }

        Set<String> expected = Set.of(E2eStack.SERVICE_NAMES.get("edge"), E2eStack.SERVICE_NAMES.get("routing"),
                E2eStack.SERVICE_NAMES.get("adapter"), E2eStack.SERVICE_NAMES.get("usage"));
        await("spans of " + expected + " in trace " + traceId).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> otlp.trace(traceId).stream().map(OtlpReceiver.Received::service).collect(Collectors.toSet()),
                        s -> s.containsAll(expected));
        List<OtlpReceiver.Received> spans = otlp.trace(traceId);
        // every hop is a child of a span of the same trace: no service started a trace of its own
        Set<String> ids = spans.stream().map(OtlpReceiver.Received::spanId).collect(Collectors.toSet());
        long roots = spans.stream().filter(s -> s.parentSpanId().isEmpty() || !ids.contains(s.parentSpanId())).count();
        assertEquals(1, roots, "one root span (the edge's), spans: " + describe(spans));
        // the request ID is on the server span of every service of the hot path
        for (String service : List.of("edge", "routing", "adapter")) {
            String name = E2eStack.SERVICE_NAMES.get(service);
            assertTrue(spans.stream().anyMatch(s -> s.service().equals(name)
                            && requestId.equals(s.attributes().get("aigw.request.id"))),
                    name + " has no span with aigw.request.id: " + describe(spans));
        }
        // each attempt is a GenAI client span in routing: the failed tries of fake, then the answer of fakeb
        String routing = E2eStack.SERVICE_NAMES.get("routing");
        List<OtlpReceiver.Received> attempts = spans.stream()
                .filter(s -> s.service().equals(routing) && "chat".equals(s.attributes().get("gen_ai.operation.name")))
                .toList();
        assertEquals(1 + E2eStack.RETRIES + 1, attempts.size(), "attempt spans: " + describe(attempts));
        assertEquals(1 + E2eStack.RETRIES, attempts.stream()
                .filter(s -> "fake".equals(s.attributes().get("gen_ai.provider.name")) && s.attributes().containsKey("error.type"))
                .count(), "failed attempts of fake: " + describe(attempts));
        OtlpReceiver.Received served = attempts.stream()
                .filter(s -> "fakeb".equals(s.attributes().get("gen_ai.provider.name"))).findFirst().orElse(null);
        assertNotNull(served, "no attempt span of fakeb: " + describe(attempts));
        assertEquals("fake-chat", served.attributes().get("gen_ai.request.model"), describe(List.of(served)));
        assertFalse(served.attributes().containsKey("error.type"), describe(List.of(served)));
        assertTrue(Integer.parseInt(served.attributes().getOrDefault("gen_ai.usage.output_tokens", "0")) > 0,
                describe(List.of(served)));

        // the usage row carries the trace id
        String rowTrace = await("usage row of " + requestId).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> traceIdOfRow(requestId), t -> t != null);
        assertEquals(traceId, rowTrace);

        // and so does every log line of the request (JSON lines: the MDC carries requestId and traceId); the adapter
        // logged the failed attempts
        int logged = 0;
        for (String service : List.of("gateway-edge", "routing-service", "adapter-service", "usage-service")) {
            for (String line : logLines(service, requestId)) {
                JsonNode json = mapper.readTree(line);
                assertEquals(traceId, json.at("/mdc/traceId").asText(), service + " line without the trace id: " + line);
                logged++;
            }
        }
        assertFalse(logLines("adapter-service", requestId).isEmpty(), "the adapter logged no failed attempt of " + requestId);
        assertTrue(logged >= 1 + E2eStack.RETRIES);
        assertEquals(0, otlp.rejected(), "exports the receiver could not decode");
    }

    private static String describe(List<OtlpReceiver.Received> spans) {
        return spans.stream().map(s -> s.service() + ":" + s.name() + "(" + s.spanId() + "<-" + s.parentSpanId() + ")"
                + s.attributes()).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static String traceIdOfRow(String requestId) throws Exception {
        try (Connection c = stack.db(); PreparedStatement ps = c.prepareStatement(
                "select trace_id from usage.usage_records where request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static List<String> logLines(String service, String requestId) throws IOException {
        try (Stream<String> lines = Files.lines(stack.logs.resolve(service + ".log"))) {
            return lines.filter(l -> l.contains(requestId)).toList();
        }
    }

    // ---- metrics ------------------------------------------------------------------------------------------------

    @Test
    void everyMetricTheAlertRulesAndDashboardsReadIsExported() throws Exception {
        // traffic through every path the rules and dashboards look at: JSON, stream, a cache hit, a refused model
        String text = "observability traffic " + UUID.randomUUID();
        assertEquals(200, chat("e2e-obs-" + UUID.randomUUID(), body("fake/fake-chat", false, text)).statusCode());
        assertEquals(200, chat("e2e-obs-" + UUID.randomUUID(), body("fake/fake-chat", false, text)).statusCode());
        assertEquals(200, chat("e2e-obs-" + UUID.randomUUID(), body("fake/fake-chat", true, text)).statusCode());
        assertEquals(404, chat("e2e-obs-" + UUID.randomUUID(), body("no-such-model", false, text)).statusCode());
        // a failing first provider (retried, then a fallback to the second): failures, retries, fallbacks
        stack.fakeControl("fake", Map.of("model", "fake-chat", "errorRate", 1.0, "errorStatus", 500));
        try {
            assertEquals(200, chat("e2e-obs-" + UUID.randomUUID(), body("chat-default", false, text + " fallback")).statusCode());
        } finally {
            stack.fakeReset();
            stack.resetBreakers();
        }

        Map<String, Set<String>> wanted = referencedMetrics();
        assertTrue(wanted.size() >= 15, "the rules and dashboards should read the gateway's metrics: " + wanted.keySet());

        await("every referenced metric exported").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Set<String> exported = new TreeSet<>();
                    for (String service : SERVICES) {
                        exported.addAll(scrape(service).keySet().stream().map(ObservabilityIT::seriesName).toList());
                    }
                    Map<String, Set<String>> missing = new TreeMap<>();
                    wanted.forEach((metric, where) -> {
                        if (!exported.contains(metric)) {
                            missing.put(metric, where);
                        }
                    });
                    assertTrue(missing.isEmpty(), "metrics read by rules/dashboards but exported by no service "
                            + "(metric -> where it is read): " + missing);
                });
    }

    /** Every metric name in an {@code expr} of the alert rules and the Grafana dashboards, with where it is read. */
    private Map<String, Set<String>> referencedMetrics() throws IOException {
        Path dir = stack.root.resolve("deploy/observability");
        Map<String, Set<String>> names = new TreeMap<>();
        Set<String> recorded = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        YAMLMapper yaml = new YAMLMapper();
        for (Path f : files) {
            String file = dir.relativize(f).toString();
            if (file.startsWith("rules/") && (file.endsWith(".yml") || file.endsWith(".yaml")) && !file.contains(".test.")) {
                JsonNode doc = yaml.readTree(f.toFile());
                for (JsonNode group : doc.path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        if (rule.hasNonNull("record")) {
                            recorded.add(rule.get("record").asText());
                        }
                        String where = file + ":" + rule.path("alert").asText(rule.path("record").asText());
                        PromQlNames.metrics(rule.path("expr").asText()).forEach(m -> names.computeIfAbsent(m, k -> new TreeSet<>()).add(where));
                    }
                }
            } else if (file.endsWith(".json")) {
                collectExprs(mapper.readTree(f.toFile()), file, names);
            }
        }
        recorded.forEach(names::remove);
        PROMETHEUS_OWN.forEach(names::remove);
        return names;
    }

    private static void collectExprs(JsonNode node, String file, Map<String, Set<String>> names) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) { // panels[].targets[].expr
                    PromQlNames.metrics(e.getValue().asText()).forEach(m -> names.computeIfAbsent(m, k -> new TreeSet<>()).add(file));
                } else {
                    collectExprs(e.getValue(), file, names);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectExprs(n, file, names));
        }
    }

    // ---- token and cost metrics against the usage rows -------------------------------------------------------

    @Test
    void tokenAndCostMetricsAddUpToTheUsageRowsOfTheRequests() throws Exception {
        String tokenSeries = "gen_ai_client_token_usage_sum";
        Map<String, Double> before = scrape("routing");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = "e2e-tokens-" + UUID.randomUUID();
            ids.add(id);
            // two JSON, two streamed, all different so that none is a cache hit
            Response r = chat(id, body("fake/fake-chat", i % 2 == 1, "count my tokens " + i + " " + UUID.randomUUID()));
            assertEquals(200, r.statusCode(), r.asString());
        }
        long prompt = 0;
        long completion = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (String id : ids) {
            ChatFlowIT.UsageRow row = ChatFlowIT.awaitUsageRow(id);
            assertEquals("fake", row.provider());
            prompt += row.promptTokens();
            completion += row.completionTokens();
            cost = cost.add(row.costUsd());
        }
        assertTrue(prompt > 0 && completion > 0 && cost.signum() > 0);
        Map<String, Double> after = scrape("routing");

        // by provider: the request model label is the name the client asked for (fake/fake-chat), bounded by the catalog
        Map<String, String> fake = Map.of("gen_ai_provider_name", "fake");
        assertEquals(prompt, delta(before, after, tokenSeries, with(fake, "gen_ai_token_type", "input")), 1e-9,
                "input tokens");
        assertEquals(completion, delta(before, after, tokenSeries, with(fake, "gen_ai_token_type", "output")), 1e-9,
                "output tokens");
        assertEquals(cost.doubleValue(), delta(before, after, "aigw_cost_usd_total", Map.of("provider", "fake")), 1e-9, "cost");
        assertEquals(ids.size(), delta(before, after, "aigw_requests_total", Map.of("provider", "fake", "status", "200")),
                1e-9, "requests");
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> copy = new HashMap<>(m);
        copy.put(k, v);
        return copy;
    }

    /** The change of the sum of every series of {@code name} whose labels include {@code labels}. */
    private static double delta(Map<String, Double> before, Map<String, Double> after, String name, Map<String, String> labels) {
        return sum(after, name, labels) - sum(before, name, labels);
    }

    private static double sum(Map<String, Double> samples, String name, Map<String, String> labels) {
        double total = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            if (seriesName(e.getKey()).equals(name) && labels(e.getKey()).entrySet().containsAll(labels.entrySet())) {
                total += e.getValue();
            }
        }
        return total;
    }

    // ---- Prometheus text format ---------------------------------------------------------------------------------

    /** {@code /q/metrics} of a service: series (name with its label set, as printed) to value. */
    private static Map<String, Double> scrape(String service) {
        String text = given().baseUri(stack.url(service)).get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int close = line.indexOf('}');
            int sep = close >= 0 ? line.indexOf(' ', close) : line.indexOf(' ');
            if (sep < 0) {
                continue;
            }
            String value = line.substring(sep + 1).trim().split(" ")[0];
            try {
                samples.put(line.substring(0, sep), Double.parseDouble(value));
            } catch (NumberFormatException e) {
                samples.put(line.substring(0, sep), Double.NaN);
            }
        }
        return samples;
    }

    private static String seriesName(String series) {
        int brace = series.indexOf('{');
        return brace < 0 ? series : series.substring(0, brace);
    }

    private static Map<String, String> labels(String series) {
        Map<String, String> m = new HashMap<>();
        int open = series.indexOf('{');
        if (open < 0) {
            return m;
        }
        String body = series.substring(open + 1, series.lastIndexOf('}'));
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
        while (matcher.find()) {
            m.put(matcher.group(1), matcher.group(2));
        }
        return m;
    }
}
