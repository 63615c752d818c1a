package io.aigateway.routing.chat;

import io.aigateway.routing.adapter.AttemptFailure;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.routing.adapter.AdapterClient;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.routing.route.Candidate;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One non-streamed call to the adapter, bounded by the time left. Runs on the caller's event-loop
 * context; cancelling the Uni resets the HTTP request.
 */
final class JsonCall {

    private final Vertx vertx;
    private final AdapterClient adapter;
    private final ObjectMapper mapper;
    private final Candidate candidate;
    private final Buffer body;
    private final CallerHeaders caller;
    private final long timeoutMs;
    private UniEmitter<? super JsonResult> emitter;
    private HttpClientRequest request;
    private long timerId = -1;
    private boolean done;
    /** The whole answer was read: the connection is back in the pool and may already serve another request. */
    private boolean exchangeComplete;

    JsonCall(Vertx vertx, AdapterClient adapter, ObjectMapper mapper, Candidate candidate, Buffer body,
             CallerHeaders caller, long timeoutMs) {
        this.vertx = vertx;
        this.adapter = adapter;
        this.mapper = mapper;
        this.candidate = candidate;
        this.body = body;
        this.caller = caller;
        this.timeoutMs = timeoutMs;
    }

    Uni<JsonResult> uni() {
        return Uni.createFrom().emitter(em -> {
            this.emitter = em;
            em.onTermination(this::cleanup);
            timerId = vertx.setTimer(timeoutMs, id -> {
                timerId = -1;
                fail(ProviderErrors.timeout(candidate, "no answer from " + candidate.providerId() + " within " + timeoutMs + " ms"));
            });
            RequestOptions o = adapter.chatRequest(candidate.providerId(), false, caller);
            adapter.open(o).onComplete(ar -> {
                if (ar.failed()) {
                    fail(ProviderErrors.fromHop(candidate, ar.cause()));
                    return;
                }
                if (done) {
                    ar.result().reset();
                    return;
                }
                request = ar.result();
                request.send(body).onComplete(rar -> {
                    if (rar.failed()) {
                        fail(ProviderErrors.fromHop(candidate, rar.cause()));
                    } else {
                        onResponse(rar.result());
                    }
                });
            });
        });
    }

    private void onResponse(HttpClientResponse resp) {
        resp.body().onComplete(bar -> {
            exchangeComplete = bar.succeeded();
            if (bar.failed()) {
                fail(ProviderErrors.fromHop(candidate, bar.cause()));
                return;
            }
            int status = resp.statusCode();
            if (status >= 200 && status < 300) {
                succeed(new JsonResult(bar.result(), resp.getHeader(AigwHeaders.COST_USD),
                        resp.getHeader(AigwHeaders.USAGE_ESTIMATED), resp.getHeader(AigwHeaders.UPSTREAM_MS),
                        resp.getHeader(AigwHeaders.PROMPT_TOKENS), resp.getHeader(AigwHeaders.COMPLETION_TOKENS)));
            } else {
                fail(ProviderErrors.fromAnswer(mapper, candidate, status, bar.result()));
            }
        });
    }

    private void succeed(JsonResult r) {
        if (!done) {
            done = true;
            cancelTimer();
            emitter.complete(r);
        }
    }

    private void fail(AttemptFailure f) {
        if (!done) {
            done = true;
            cancelTimer();
            resetUnlessComplete();
            emitter.fail(f);
        }
    }

    private void cleanup() {
        cancelTimer();
        if (!done) {
            done = true;
            resetUnlessComplete();
        }
    }

    /**
     * Stops an exchange still in progress. Never after the answer was read: on HTTP/1.1 the reset would close
     * the pooled connection, which by then may carry another request (to another provider), failing it with
     * CONNECTION and counting that against the wrong breaker.
     */
    private void resetUnlessComplete() {
        if (request != null && !exchangeComplete) {
            request.reset();
        }
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }
}
