package io.aigateway.edge.models;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.edge.auth.ApiKeyService;
import io.aigateway.edge.config.EdgeConfig;
import io.aigateway.edge.http.Contexts;
import io.aigateway.edge.http.ErrorResponder;
import io.aigateway.edge.http.PublicRequests;
import io.aigateway.edge.routing.RoutingClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * {@code GET /v1/models} (authenticated): routing's {@code GET /internal/v1/models} relayed. Successful answers
 * are reused for a few seconds ({@link #invalidate()} drops them early); concurrent requests share one upstream call.
 */
@ApplicationScoped
public class ModelsHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(ModelsHandler.class);

    /** One routing answer. */
    record Answer(int status, String contentType, Buffer body) {
    }

    private record Slot(Uni<Answer> answer, long createdNanos) {
    }

    private final ApiKeyService apiKeys;
    private final RoutingClient routing;
    private final ErrorResponder errors;
    private final PublicRequests publicRequests;
    private final long ttlNanos;
    private volatile Slot slot;

    public ModelsHandler(ApiKeyService apiKeys, RoutingClient routing, ErrorResponder errors,
                         PublicRequests publicRequests, EdgeConfig config) {
        this.apiKeys = apiKeys;
        this.routing = routing;
        this.errors = errors;
        this.publicRequests = publicRequests;
        this.ttlNanos = config.modelsCacheTtl().toNanos();
    }

    @Override
    public void handle(RoutingContext rc) {
        String rid = publicRequests.begin(rc, "models");
        apiKeys.authenticate(rc.request().getHeader("Authorization"))
                .flatMap(caller -> models(rid))
                .emitOn(Contexts.of(Vertx.currentContext()))
                .subscribe().with(answer -> {
                    HttpServerResponse resp = rc.response();
                    if (resp.closed() || resp.ended()) {
                        return;
                    }
                    resp.setStatusCode(answer.status())
                            .putHeader("content-type", answer.contentType())
                            .end(answer.body());
                }, failure -> errors.send(rc, errors.toError(failure)));
    }

    /** Drops the reused answer: the next request reads routing's list (after a provider or group change). */
    public void invalidate() {
        slot = null;
    }

    private Uni<Answer> models(String rid) {
        long now = System.nanoTime();
        Slot s = slot;
        if (s != null && now - s.createdNanos() < ttlNanos) {
            return s.answer();
        }
        Slot[] self = new Slot[1];
        Uni<Answer> fetch = fetch(rid)
                .onItemOrFailure().invoke((a, t) -> {
                    if ((t != null || a.status() != 200) && slot == self[0]) {
                        slot = null; // only successes are reused
                    }
                })
                .memoize().indefinitely();
        self[0] = new Slot(fetch, now);
        slot = self[0];
        return fetch;
    }

    private Uni<Answer> fetch(String rid) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap()
                .set(AigwHeaders.REQUEST_ID, rid)
                .set("accept", "application/json");
        return Uni.createFrom().emitter(em -> routing.call(HttpMethod.GET, RoutingClient.MODELS, h, null).send()
                .compose(resp -> resp.body().map(body -> new Answer(resp.statusCode(),
                        resp.getHeader("content-type") != null ? resp.getHeader("content-type") : "application/json",
                        body)))
                .onComplete(res -> {
                    if (res.succeeded()) {
                        em.complete(res.result());
                    } else {
                        LOG.warnf("routing-service models call failed: %s", LogSafe.escape(res.cause()));
                        em.fail(RoutingClient.transportError(res.cause()).exception());
                    }
                }));
    }
}
