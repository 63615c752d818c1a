package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.internal.KeyHashing;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * The one stack every end-to-end test shares: the five services and a fake provider started as processes on
 * free ports, against the run's Kafka broker ({@code aigw.test.kafka}), the machine's PostgreSQL (database
 * {@code test}) and Redis (database 1). Started once per test JVM on first use, stopped at JVM exit.
 */
public final class E2eStack {

    public static final String PG_JDBC = System.getProperty("aigw.test.pg.jdbc", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_REACTIVE = System.getProperty("aigw.test.pg.reactive", "postgresql://127.0.0.1:5432/test");
    public static final String REDIS = System.getProperty("aigw.test.redis", "redis://127.0.0.1:6379/1");

    /** Catalog prices the tests check cost against (the adapter's default catalog, docs/internal-contracts.md). */
    public static final Map<String, String[]> FAKE_CHAT_PRICES = Map.of(
            "fake", new String[]{"0.0015", "0.002"},
            "fakeb", new String[]{"0.001", "0.002"});

    /** Retries per provider the stack's routing-service is configured with. */
    public static final int RETRIES = 1;

    /** OpenTelemetry {@code service.name} of each service (its {@code quarkus.application.name}). */
    public static final Map<String, String> SERVICE_NAMES = Map.of("edge", "gateway-edge", "routing", "routing-service",
            "adapter", "adapter-service", "usage", "usage-service", "admin", "admin-service");

    private static E2eStack instance;

    public final String runId = UUID.randomUUID().toString().substring(0, 8);
    /** The operator's credential (service role {@code ops}): key bootstrap, breaker resets. */
    public final String internalToken = "e2e-ops-" + UUID.randomUUID();
    /** Each calling service's own credential, as the stack generates them; the services get only their hashes. */
    public final Map<String, String> serviceTokens = Map.of(
            "edge", "e2e-edge-" + UUID.randomUUID(),
            "routing", "e2e-routing-" + UUID.randomUUID(),
            "admin", "e2e-admin-" + UUID.randomUUID());
    public final String kafka = System.getProperty("aigw.test.kafka", "127.0.0.1:19092");
    /** Keycloak of this test run (deploy/bin/test starts it; realm aigw), or null when the run has none. */
    public final String keycloak = blankToNull(System.getProperty("aigw.test.keycloak"));
    public final String keycloakDemoPassword = System.getProperty("aigw.test.keycloak.demo-password", "");
    public final String keycloakAdminPassword = System.getProperty("aigw.test.keycloak.admin-password", "");
    public final Path root;
    public final Path logs;
    public final int edgePort;
    public final int routingPort;
    public final int adapterPort;
    public final int usagePort;
    public final int adminPort;
    public final int fakePort;
    public final String userId;
    public final String adminUserId;
    public String userKey;
    public String adminKey;

    private final ObjectMapper mapper = Json.newMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** The environment every service process gets (a second edge is started with the same). */
    private final Map<String, String> common = new LinkedHashMap<>();
    private int secondEdgePort;
    /** Where every service exports its spans (OTLP/HTTP), started with the stack. */
    private OtlpReceiver otlp;

    private E2eStack() throws IOException {
        root = Path.of(System.getProperty("aigw.repo.root", "../..")).toAbsolutePath().normalize();
        logs = root.resolve("deploy/e2e/target/e2e-logs");
        Files.createDirectories(logs);
        // deploy/bin/test chooses the edge's port when it starts Keycloak: the realm's UI client allows that origin only
        int edge = Integer.getInteger("aigw.test.edge-port", 0);
        edgePort = edge > 0 ? edge : freePort();
        routingPort = freePort();
        adapterPort = freePort();
        usagePort = freePort();
        adminPort = freePort();
        fakePort = freePort();
        userId = "e2e-user-" + runId;
        adminUserId = "e2e-admin-" + runId;
    }

    public static synchronized E2eStack get() {
        if (instance == null) {
            try {
                E2eStack s = new E2eStack();
                Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "e2e-stack-stop"));
                s.start();
                instance = s;
            } catch (Exception e) {
                throw new IllegalStateException("end-to-end stack failed to start: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** The OTLP/HTTP receiver every service of the stack exports its traces to. */
    public OtlpReceiver otlp() {
        return otlp;
    }

    public String edgeUrl() {
        return "http://127.0.0.1:" + edgePort;
    }

    public String fakeUrl() {
        return "http://127.0.0.1:" + fakePort;
    }

    public String url(String service) {
        return "http://127.0.0.1:" + switch (service) {
            case "edge" -> edgePort;
            case "routing" -> routingPort;
            case "adapter" -> adapterPort;
            case "usage" -> usagePort;
            case "admin" -> adminPort;
            case "fake" -> fakePort;
            default -> throw new IllegalArgumentException(service);
        };
    }

    public Connection db() throws SQLException {
        return DriverManager.getConnection(PG_JDBC, "postgres", "");
    }

    /** The issuer the services accept tokens of ({@code AIGW_OIDC_ISSUER}), or null without Keycloak. */
    public String oidcIssuer() {
        return keycloak == null ? null : keycloak + "/realms/aigw";
    }

    /**
     * An access token of a realm user by the password grant of the CLI client ({@code aigw-cli}), as a person with
     * the command line would get one.
     */
    public String passwordToken(String user, String password) throws Exception {
        return passwordToken("aigw-cli", user, password);
    }

    /** An access token by the password grant of the given public client of realm aigw. */
    public String passwordToken(String clientId, String user, String password) throws Exception {
        if (keycloak == null) {
            throw new IllegalStateException("this run has no Keycloak (deploy/bin/test starts one for the e2e module)");
        }
        String form = "grant_type=password&client_id=" + clientId + "&username=" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8)
                + "&password=" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(oidcIssuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("password grant for " + user + " failed: " + r.statusCode() + " " + r.body());
        }
        return mapper.readTree(r.body()).get("access_token").asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private void start() throws Exception {
        long t0 = System.nanoTime();
        if (keycloak != null) {
            // started by deploy/bin/test at the beginning of the run; usually long ready by now
            waitHttp("keycloak", System.getProperty("aigw.test.keycloak.health", keycloak + "/realms/aigw"), Duration.ofSeconds(300));
            common.put("AIGW_OIDC_ISSUER", oidcIssuer());
            common.put("AIGW_OIDC_AUDIENCE", "aigw");
        }
        Path fakeJar = root.resolve("deploy/fake-provider/target/fake-provider.jar");
        startProcess("fake-provider", List.of("-Xmx128m", "-jar", fakeJar.toString(), "--port", Integer.toString(fakePort)), Map.of());
        waitHttp("fake-provider", fakeUrl() + "/_control/health", Duration.ofSeconds(30));

        common.put("AIGW_CALLER_EDGE_SHA256", KeyHashing.sha256Hex(serviceTokens.get("edge")));
        common.put("AIGW_CALLER_ROUTING_SHA256", KeyHashing.sha256Hex(serviceTokens.get("routing")));
        common.put("AIGW_CALLER_ADMIN_SHA256", KeyHashing.sha256Hex(serviceTokens.get("admin")));
        common.put("AIGW_CALLER_OPS_SHA256", KeyHashing.sha256Hex(internalToken));
        common.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        common.put("QUARKUS_DATASOURCE_REACTIVE_URL", PG_REACTIVE);
        common.put("QUARKUS_DATASOURCE_JDBC_URL", PG_JDBC);
        common.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        common.put("QUARKUS_REDIS_HOSTS", REDIS);
        common.put("AIGW_ROUTING_URL", url("routing"));
        common.put("AIGW_ADAPTER_URL", url("adapter"));
        common.put("AIGW_ADMIN_URL", url("admin"));
        common.put("AIGW_USAGE_URL", url("usage"));
        // the web UI (served by the edge) calls admin-service from the edge's origin (WebUiIT)
        common.put("AIGW_ADMIN_CORS_ORIGINS", edgeUrl());
        common.put("AIGW_PROVIDERS_FAKE_BASE_URL", fakeUrl() + "/fake/v1");
        common.put("AIGW_PROVIDERS_FAKEB_BASE_URL", fakeUrl() + "/fakeb/v1");
        common.put("AIGW_USAGE_SPOOL_DIR", logs.resolve("spool-" + runId).toString());
        // The response cache keeps this run's answers to itself (entries expire with their TTL).
        common.put("AIGW_CACHE_KEY_PREFIX", "aigw:e2e:" + runId + ":cache:v1:");
        // The key mirror and the revocation channel too: admin-service's mirror repair removes every entry under
        // its prefix that its PostgreSQL does not know, and other tests plant entries in Redis db 1.
        String keyPrefix = "aigw:e2e:" + runId + ":key:";
        String revocations = "aigw:e2e:" + runId + ":keys:revoked";
        common.put("AIGW_KEYS_MIRROR_PREFIX", keyPrefix);
        common.put("AIGW_EDGE_AUTH_MIRROR_PREFIX", keyPrefix);
        common.put("AIGW_KEYS_REVOCATION_CHANNEL", revocations);
        common.put("AIGW_EDGE_AUTH_REVOCATIONS_CHANNEL", revocations);
        // One retry per provider, short backoff: the tests assert the exact attempt lists this gives.
        common.put("AIGW_ROUTING_RETRY_MAX_RETRIES", Integer.toString(RETRIES));
        common.put("AIGW_ROUTING_RETRY_BASE_DELAY", "50ms");
        common.put("AIGW_ROUTING_RETRY_MAX_DELAY", "200ms");
        // Quotas: this run's own keys in Redis; users without a quota row are unlimited here (tests of other things
        // send many requests as one user), QuotaIT gives its users their limits through the admin API.
        common.put("AIGW_QUOTA_PREFIX", quotaPrefix());
        common.put("AIGW_QUOTA_DEFAULT_TIER", "unlimited");
        // the stack's JVMs run cold and with the coverage agent on two cores: a reservation may take longer than the
        // production 500 ms, and these tests are about the decision, not about falling back (one test cuts Redis)
        common.put("AIGW_QUOTA_REDIS_TIMEOUT", "3s");
        // the public model catalog re-reads routing and usage every 2 s (10 s by default): CatalogIT sees traffic and
        // breaker changes sooner
        common.put("AIGW_EDGE_CATALOG_CACHE_TTL", "2s");
        // provider health checks every 2 s (15 s by default): the health-history test sees an outage both ways quickly
        common.put("AIGW_HEALTH_INTERVAL", "2s");
        // traces: every service exports to this run's OTLP/HTTP receiver (ObservabilityIT), in small quick batches
        otlp = new OtlpReceiver();
        common.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint());
        common.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        common.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");

        startService("adapter-service", adapterPort, common, providerKinds());
        startService("usage-service", usagePort, common, List.of());
        startService("admin-service", adminPort, common, List.of());
        startService("routing-service", routingPort, common, List.of());
        startService("gateway-edge", edgePort, common, List.of());
        for (String s : List.of("adapter-service", "usage-service", "admin-service", "routing-service", "gateway-edge")) {
            int port = switch (s) {
                case "adapter-service" -> adapterPort;
                case "usage-service" -> usagePort;
                case "admin-service" -> adminPort;
                case "routing-service" -> routingPort;
                default -> edgePort;
            };
            waitHttp(s, "http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(120));
        }
        userKey = createKey(userId, List.of("user"));
        adminKey = createKey(adminUserId, List.of("admin", "user"));
        waitRoutable(Duration.ofSeconds(60));
        System.out.printf("e2e stack up in %d ms (edge %d, routing %d, adapter %d, usage %d, admin %d, fake %d)%n",
                (System.nanoTime() - t0) / 1_000_000, edgePort, routingPort, adapterPort, usagePort, adminPort, fakePort);
    }

    private void startService(String module, int port, Map<String, String> common, List<String> props) throws IOException {
        startService(module, module, port, common, props);
    }

    private void startService(String name, String module, int port, Map<String, String> common, List<String> props)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>(common);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // its own credential only (adapter- and usage-service call no one)
        String self = switch (module) {
            case "gateway-edge" -> "edge";
            case "routing-service" -> "routing";
            case "admin-service" -> "admin";
            default -> null;
        };
        if (self != null) {
            env.put("AIGW_TOKEN_" + self.toUpperCase(java.util.Locale.ROOT), serviceTokens.get(self));
        }
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        List<String> args = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC"));
        args.addAll(coverageAgent(module));
        args.addAll(props);
        args.addAll(List.of("-jar", jar.toString()));
        startProcess(name, args, env);
    }

    /**
     * With {@code aigw.e2e.jacoco-agent} (the JaCoCo runtime agent jar, set by this module's pom), a service records
     * the coverage of our classes into {@code deploy/e2e/target/jacoco-e2e-<service>.exec}, written when it stops; the
     * coverage module adds it to the aggregate report.
     */
    private List<String> coverageAgent(String module) {
        String agent = System.getProperty("aigw.e2e.jacoco-agent", "");
        if (!agent.endsWith(".jar") || !Files.isRegularFile(Path.of(agent))) {
            return List.of();
        }
        Path exec = root.resolve("deploy/e2e/target/jacoco-e2e-" + module + ".exec");
        return List.of("-javaagent:" + agent + "=destfile=" + exec + ",append=true,includes=io.aigateway.*");
    }

    /** Provider ids of the extra kinds, each served by the fake provider in that kind's wire format. */
    public static final List<String> KIND_PROVIDERS = List.of("ds", "oll", "anth", "tgiu", "gem");

    /**
     * Providers of the other wire formats, all on the one fake provider process (its upstreams speak OpenAI,
     * Ollama native, Anthropic Messages, TGI and Gemini by path): DeepSeek-style (OpenAI format, kind deepseek),
     * Ollama, Anthropic, TGI and Gemini, each with model {@code fake-chat} and prices so cost is non-zero.
     */
    private List<String> providerKinds() {
        List<String> p = new ArrayList<>();
        String[][] kinds = {
                {"ds", "deepseek", fakeUrl() + "/ds/v1", "ds-key"},
                {"oll", "ollama", fakeUrl() + "/oll", null},
                {"anth", "anthropic", fakeUrl() + "/anth/v1", "anth-key"},
                {"tgiu", "tgi", fakeUrl() + "/tgiu", null},
                {"gem", "gemini", fakeUrl() + "/gem/v1beta", "gem-key"},
        };
        for (String[] k : kinds) {
            String pre = "-Daigw.providers." + k[0] + ".";
            p.add(pre + "kind=" + k[1]);
            p.add(pre + "base-url=" + k[2]);
            if (k[3] != null) {
                p.add(pre + "api-key=" + k[3]);
            }
            p.add(pre + "models[0].id=fake-chat");
            p.add(pre + "models[0].context-window=8192");
            p.add(pre + "models[0].prompt-price-per-1k=0.0014");
            p.add(pre + "models[0].completion-price-per-1k=0.0028");
            p.add(pre + "models[0].streaming=true");
        }
        return p;
    }

    /**
     * Stops a service process (as a pod would be stopped: SIGTERM, then at most 20 s) and starts it again with the same
     * port, arguments and environment; returns when it is ready again.
     */
    public synchronized void restart(String name) throws Exception {
        Process p = processes.get(name);
        Launch launch = launches.get(name);
        if (p == null || launch == null) {
            throw new IllegalArgumentException("no process " + name);
        }
        p.destroy();
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        startProcess(name, launch.args(), launch.env());
        waitHttp(name, "http://127.0.0.1:" + launch.env().get("QUARKUS_HTTP_PORT") + "/q/health/ready", Duration.ofSeconds(120));
    }

    private record Launch(List<String> args, Map<String, String> env) {
    }

    private final Map<String, Launch> launches = new LinkedHashMap<>();

    private void startProcess(String name, List<String> args, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(launches.containsKey(name) && processes.containsKey(name)
                        ? ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()) // a restart: keep the first life's log
                        : ProcessBuilder.Redirect.to(logs.resolve(name + ".log").toFile()));
        pb.environment().putAll(env);
        processes.put(name, pb.start());
        launches.put(name, new Launch(List.copyOf(args), Map.copyOf(env)));
    }

    private void waitHttp(String name, String url, Duration timeout) {
        Process p = processes.get(name);
        AtomicReference<String> last = new AtomicReference<>("no answer");
        try {
            await(name + " ready").atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                    .failFast(name + " exited", () -> p != null && !p.isAlive())
                    .until(() -> {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                            last.set(r.statusCode() + " " + r.body());
                            return r.statusCode() == 200;
                        } catch (IOException e) {
                            last.set(e.toString());
                            return false;
                        }
                    });
        } catch (TerminalFailureException e) {
            throw new IllegalStateException(name + " exited with " + p.exitValue() + "; log: " + tail(name), e);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " not ready at " + url + " (" + last.get() + "); log: " + tail(name), e);
        }
    }

    /** Routing reads the catalog in the background: wait until a model resolves through the whole path. */
    private void waitRoutable(Duration timeout) {
        AtomicInteger last = new AtomicInteger(-1);
        try {
            await("models listed through the edge").atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(edgeUrl() + "/v1/models"))
                                .header("Authorization", "Bearer " + userKey).build(), HttpResponse.BodyHandlers.ofString());
                        last.set(r.statusCode());
                        return r.statusCode() == 200 && r.body().contains("fake/fake-chat");
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("models never listed through the edge (last status " + last.get() + ")", e);
        }
    }

    public String createKey(String user, List<String> roles) throws Exception {
        return createKey(user, roles, null).get("key").asText();
    }

    /**
     * Creates a key through admin-service's bootstrap {@code POST /internal/v1/keys}.
     *
     * @param expiresAt optional (must be in the future)
     * @return the answer: {@code key} (plaintext, shown once), {@code keyId}, {@code userId}, {@code roles}, ...
     */
    public JsonNode createKey(String user, List<String> roles, java.time.Instant expiresAt) throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("userId", user);
        fields.put("roles", roles);
        fields.put("name", "e2e");
        if (expiresAt != null) {
            fields.put("expiresAt", expiresAt.toString());
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("admin") + "/internal/v1/keys"))
                .header("Content-Type", "application/json")
                .header("X-Aigw-Internal-Token", internalToken)
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(fields))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("key bootstrap failed: " + r.statusCode() + " " + r.body());
        }
        return mapper.readTree(r.body());
    }

    /**
     * A second gateway-edge process (same configuration, its own port), started on first use and stopped with the
     * stack: for tests of what must hold on every edge instance (revocations).
     */
    public synchronized String secondEdgeUrl() throws Exception {
        if (secondEdgePort == 0) {
            secondEdgePort = startEdge("gateway-edge-2", Map.of());
        }
        return "http://127.0.0.1:" + secondEdgePort;
    }

    /** Another gateway-edge process with the stack's configuration plus {@code env}; stopped with the stack. */
    public synchronized int startEdge(String name, Map<String, String> env) throws Exception {
        int port = freePort();
        Map<String, String> all = new LinkedHashMap<>(common);
        all.putAll(env);
        startService(name, "gateway-edge", port, all, List.of());
        waitHttp(name, "http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(120));
        return port;
    }

    /** The Redis key prefix of this run's quota limits and counters (QuotaKeys). */
    public String quotaPrefix() {
        return "aigw:e2e:" + runId + ":q:";
    }

    /** PUT /_control/upstreams/{upstream} on the fake provider. */
    public void fakeControl(String upstream, Map<String, Object> knobs) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fakeUrl() + "/_control/upstreams/" + upstream))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(knobs))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("fake control failed: " + r.statusCode() + " " + r.body());
        }
    }

    /** Closes routing's circuit breakers (tests that make providers fail must not leak open breakers). */
    public void resetBreakers() throws Exception {
        for (String provider : List.of("fake", "fakeb")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create(url("routing") + "/internal/v1/breakers/" + provider + "/reset"))
                    .header("X-Aigw-Internal-Token", internalToken)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("breaker reset failed: " + r.statusCode() + " " + r.body());
            }
        }
    }

    public void fakeReset() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fakeUrl() + "/_control/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("fake reset failed: " + r.statusCode());
        }
    }

    public JsonNode fakeStats() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fakeUrl() + "/_control/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return mapper.readTree(r.body());
    }

    public String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(logs.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void stop() {
        List<String> names = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(names);
        for (String n : names) {
            processes.get(n).destroy();
        }
        for (String n : names) {
            Process p = processes.get(n);
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        if (otlp != null) {
            otlp.close(); // after the services: they flush their last spans when they stop
        }
    }

    private static final java.util.Set<Integer> GIVEN_PORTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port free now and never given before by this stack: the OS may hand the same ephemeral port to two
     * {@code ServerSocket(0)} calls in a row (a CI run once gave routing and usage the same port).
     */
    private static int freePort() throws IOException {
        for (int i = 0; i < 100; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                s.setReuseAddress(true);
                if (GIVEN_PORTS.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
        throw new IOException("no new free port after 100 tries");
    }
}
