package io.aigateway.support.client;

import io.aigateway.support.security.ServiceAuthConfig;
import io.aigateway.support.security.ServiceCredentials;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Internal requests carry the W3C {@code traceparent} of the span current when they are built, on the wire, once;
 * without a span they carry none.
 */
class InternalTracePropagationTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    static Vertx vertx;
    static HttpServer server;
    static volatile CompletableFuture<MultiMap> received;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> {
            received.complete(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
            req.response().end("ok");
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static ServiceCredentials credentials() {
        return new ServiceCredentials(new ServiceAuthConfig() {
            @Override
            public Optional<String> token() {
                return Optional.of("own-secret-0123456789");
            }

            @Override
            public boolean acceptCallers() {
                return true;
            }

            @Override
            public Map<String, Caller> callers() {
                return Map.of();
            }
        });
    }

    private static Context withSpan() {
        return Context.root().with(Span.wrap(SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault())));
    }

    private MultiMap send(Context trace) throws Exception {
        InternalEndpoint endpoint = InternalEndpoint.of("routing", "http://127.0.0.1:" + server.actualPort(), credentials());
        InternalHttpClient client = new InternalHttpClient(vertx, endpoint, 2, Duration.ofSeconds(2), Duration.ofSeconds(30), () -> { });
        received = new CompletableFuture<>();
        InternalCall call;
        try (Scope ignored = trace.makeCurrent()) {
            call = client.call(HttpMethod.GET, "/x", MultiMap.caseInsensitiveMultiMap(), null, 5000);
        }
        // sent after the span's scope closed (as when the connection comes later): the header was fixed at build time
        call.send().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            return received.get(10, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }

    @Test
    void theCurrentSpanGoesOnTheWire() throws Exception {
        MultiMap headers = send(withSpan());
        assertEquals(List.of("00-" + TRACE + "-" + SPAN + "-01"), headers.getAll("traceparent"));
    }

    @Test
    void noSpanNoHeader() throws Exception {
        assertNull(send(Context.root()).get("traceparent"));
    }

    @Test
    void optionsBuiltForOtherClientsCarryItToo() {
        InternalEndpoint endpoint = InternalEndpoint.of("admin", "http://127.0.0.1:1", credentials());
        RequestOptions o;
        try (Scope ignored = withSpan().makeCurrent()) {
            o = endpoint.request(HttpMethod.GET, "/internal/v1/keys/x");
        }
        assertEquals("00-" + TRACE + "-" + SPAN + "-01", o.getHeaders().get("traceparent"));
        // and the Vert.x client's own tracing stays out (it would add a second traceparent)
        assertEquals(TracingPolicy.IGNORE, endpoint.clientOptions(Duration.ofSeconds(1), Duration.ofSeconds(1)).getTracingPolicy());
        assertFalse(endpoint.request(HttpMethod.GET, "/y").getHeaders().contains("traceparent"));
    }
}
