package io.aigateway.edge.routing;

import io.aigateway.edge.support.ClosingRoutingStub;
import io.aigateway.edge.support.ClosingRoutingStub.Arrival;
import io.aigateway.edge.support.Keys;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge → routing hop over pooled keep-alive connections whose server side closes them (see
 * {@link ClosingRoutingStub}): between requests (an idle close racing the edge's next request on that connection) and
 * during requests (an answer cut after its first bytes). Clients speak HTTP/1.1 and HTTP/2 (on HTTP/2 the edge's
 * response close handler also runs after every normal end, which must not reset a finished routing exchange).
 */
@QuarkusTest
@TestProfile(RoutingConnectionTest.Profile.class)
class RoutingConnectionTest {

    private static final Logger LOG = Logger.getLogger(RoutingConnectionTest.class);
    static final ClosingRoutingStub STUB = new ClosingRoutingStub();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a small pool: under 20 clients every connection is reused at once, right when the stub may close it
            return Map.of("aigw.routing.url", STUB.url(), "aigw.routing.pool-size", "8");
        }
    }

    @TestHTTPResource("/v1/chat/completions")
    URI chatUri;

    private final Vertx vertx = Vertx.vertx();
    private Keys.TestKey key;

    @BeforeEach
    void setUp() {
        key = Keys.atAdmin("conn-user", "user");
        STUB.reset();
    }

    @AfterAll
    static void stopStub() {
        STUB.close();
    }

    record Outcome(String rid, int status, boolean complete, String detail) {
    }

    @Test
    void closingPooledConnectionsUnderLoadFailsOnlyRequestsRoutingReceivedAndCut() throws Exception {
        STUB.chaos(new ClosingRoutingStub.Chaos(0.3, 3, 0.02));
        int clients = 20;
        int perClient = 30;
        double retriesBefore = retries();
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        // an idle close racing the edge's next request is a matter of timing: load rounds go on (at most 5) until
        // the race has happened at least once (a request sent again) and an answer was cut
        int rounds = 0;
        while (rounds < 5 && (rounds == 0 || retries() - retriesBefore == 0 || STUB.cut().isEmpty())) {
            List<Future<Void>> done = new ArrayList<>();
            List<HttpClient> https = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                HttpClient http = client(c % 2 == 0 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_2);
                https.add(http);
                done.add(run(http, c, 0, perClient, outcomes));
            }
            Future.all(done).toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
            https.forEach(HttpClient::close);
            rounds++;
        }

        assertEquals(rounds * clients * perClient, outcomes.size());
        Map<String, Long> arrivals = STUB.received().stream()
                .collect(Collectors.groupingBy(Arrival::requestId, Collectors.counting()));
        List<Outcome> failed = outcomes.values().stream().filter(o -> !o.complete()).toList();
        List<Outcome> notCut = failed.stream().filter(o -> !STUB.cut().contains(o.rid())).toList();
        List<Outcome> neverReceived = notCut.stream().filter(o -> !arrivals.containsKey(o.rid())).toList();
        Map<String, Long> duplicates = new TreeMap<>(arrivals.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        double retries = retries() - retriesBefore;
        String summary = String.format("%d rounds, %d requests, %d complete, %d failed (%d cut by routing "
                        + "mid-answer, %d not cut of which %d never reached routing), routing idle-closed %d "
                        + "connections, the edge sent %.0f again on a new connection, %d duplicate arrivals; "
                        + "failures not cut: %s", rounds, outcomes.size(),
                outcomes.size() - failed.size(), failed.size(), failed.size() - notCut.size(), notCut.size(),
                neverReceived.size(), STUB.idleCloses(), retries, duplicates.size(),
                notCut.stream().limit(10).map(Outcome::toString).toList());
        LOG.info(summary);

        // the chaos really happened: connections closed under requests in flight, and answers cut
        assertTrue(STUB.idleCloses() >= 50, summary);
        assertTrue(retries > 0, summary);
        assertTrue(!STUB.cut().isEmpty(), summary);
        // the only failures are requests routing received and then cut mid-answer
        assertTrue(notCut.isEmpty(), summary);
        // and no request reached routing twice (a retry only follows a failure routing never answered at all)
        assertTrue(duplicates.isEmpty(), summary);
    }

    @Test
    void aRequestLostOnAReusedConnectionIsSentAgainOnANewConnectionWithTheSameRequestId() throws Exception {
        HttpClient http = client(HttpVersion.HTTP_1_1);
        assertEquals(200, call(http, rid(), "m-ok", false).status());
        String rid = rid();
        Outcome o = call(http, rid, "m-drop-once", false);
        assertEquals(200, o.status(), o.toString());
        assertTrue(o.complete(), o.toString());
        List<Arrival> seen = arrivals(rid);
        assertEquals(2, seen.size(), seen.toString());
        assertTrue(seen.get(0).connectionRequestNo() > 1, "first try on a reused connection: " + seen);
        assertNotEquals(seen.get(0).connectionId(), seen.get(1).connectionId(), seen.toString());
        assertEquals(1, seen.get(1).connectionRequestNo(), "retry on a new connection: " + seen);
        assertEquals("close", seen.get(1).connectionHeader(), "the retry's connection is not pooled: " + seen);
        http.close();
    }

    @Test
    void aRequestLostOnANewConnectionIsNotRetried() throws Exception {
        STUB.closeIdleConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> STUB.openConnections() == 0);
        HttpClient http = client(HttpVersion.HTTP_1_1);
        String rid = rid();
        Outcome o = call(http, rid, "m-drop", false);
        assertEquals(502, o.status(), o.toString());
        assertEquals(1, arrivals(rid).size(), STUB.received().toString());
        http.close();
    }

    @Test
    void anAnswerCutAfterItsFirstBytesIsNotRetried() throws Exception {
        HttpClient http = client(HttpVersion.HTTP_1_1);
        assertEquals(200, call(http, rid(), "m-ok", false).status());
        String rid = rid();
        Outcome o = call(http, rid, "m-half", false);
        assertEquals(502, o.status(), o.toString());
        assertEquals(1, arrivals(rid).size(), STUB.received().toString());
        http.close();
    }

    @Test
    void aFinishedExchangeIsNotResetWhenTheClientStreamCloses() throws Exception {
        // HTTP/2: the response's close handler runs after every normal end; the routing connection must survive it
        STUB.closeIdleConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> STUB.openConnections() == 0);
        HttpClient http = client(HttpVersion.HTTP_2);
        for (boolean stream : new boolean[]{false, true}) {
            String first = rid();
            String second = rid();
            assertTrue(call(http, first, "m-ok", stream).complete());
            assertTrue(call(http, second, "m-ok", stream).complete());
            assertEquals(arrivals(first).get(0).connectionId(), arrivals(second).get(0).connectionId(),
                    "one pooled routing connection serves both: " + STUB.received());
        }
        http.close();
    }

    @Test
    void aClientGoneAwayResetsTheRoutingRequestInFlight() {
        HttpClient http = client(HttpVersion.HTTP_1_1);
        String rid = rid();
        http.request(requestOptions(rid)).onSuccess(req -> req.send(body("m-slow", false)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !arrivals(rid).isEmpty());
        http.close(); // the client goes away while routing works on its request
        await().atMost(Duration.ofSeconds(10)).until(() -> STUB.closedBeforeAnswer().contains(rid));
    }

    // ---- helpers

    private Future<Void> run(HttpClient http, int client, int i, int n, Map<String, Outcome> outcomes) {
        if (i == n) {
            return Future.succeededFuture();
        }
        String rid = "c" + client + "-" + i + "-" + UUID.randomUUID();
        boolean stream = (client + i) % 4 == 0;
        return send(http, rid, "m-load", stream)
                .onSuccess(o -> outcomes.put(rid, o))
                .compose(o -> run(http, client, i + 1, n, outcomes));
    }

    private Outcome call(HttpClient http, String rid, String model, boolean stream) throws Exception {
        return send(http, rid, model, stream).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Future<Outcome> send(HttpClient http, String rid, String model, boolean stream) {
        return http.request(requestOptions(rid))
                .compose(req -> req.send(body(model, stream)))
                .compose(resp -> resp.body().map(b -> {
                    String text = b.toString();
                    boolean complete = resp.statusCode() == 200
                            && (stream ? text.endsWith("data: [DONE]\n\n") : text.contains("answer to " + rid));
                    return new Outcome(rid, resp.statusCode(), complete,
                            complete ? "" : text.substring(0, Math.min(200, text.length())));
                }))
                .recover(t -> Future.succeededFuture(new Outcome(rid, -1, false, t.toString())));
    }

    private RequestOptions requestOptions(String rid) {
        return new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(chatUri.toString())
                .putHeader("Authorization", key.bearer())
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Request-Id", rid);
    }

    private static Buffer body(String model, boolean stream) {
        return Buffer.buffer("{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    private HttpClient client(HttpVersion version) {
        HttpClientOptions o = new HttpClientOptions().setKeepAlive(true).setProtocolVersion(version);
        if (version == HttpVersion.HTTP_2) {
            o.setHttp2ClearTextUpgrade(false); // h2c with prior knowledge
        }
        return vertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(1).setHttp2MaxSize(1));
    }

    /** {@code aigw_edge_routing_retries_total}, 0 before the first retry. */
    private static double retries() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("aigw_edge_routing_retries_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static List<Arrival> arrivals(String rid) {
        return STUB.received().stream().filter(a -> rid.equals(a.requestId())).toList();
    }

    private static String rid() {
        return "rid-" + UUID.randomUUID();
    }
}
