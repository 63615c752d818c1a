package io.aigateway.routing.chat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.error.ErrorEnvelope;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.openai.Usage;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.usage.StreamUsage;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.adapter.AdapterClient;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.routing.catalog.Catalog;
import io.aigateway.routing.catalog.CatalogService;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.metrics.RoutingMetrics;
import io.aigateway.routing.pipeline.ChatChunk;
import io.aigateway.routing.pipeline.ChatOutcome;
import io.aigateway.routing.pipeline.ChatPipeline;
import io.aigateway.routing.pipeline.ChatReply;
import io.aigateway.routing.pipeline.ChatRequest;
import io.aigateway.routing.pipeline.UsageEvents;
import io.aigateway.support.tracing.GenAiSpan;
import io.aigateway.routing.route.Candidate;
import io.aigateway.routing.route.ModelResolver;
import io.aigateway.routing.route.ModelRouter;
import io.aigateway.routing.route.RequestProfile;
import io.aigateway.routing.usage.UsagePublisher;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routed {@link ChatPipeline}: validates, resolves the model to candidates, routes by policy, and tries the
 * candidates through {@link FallbackExecutor} (breakers, retries, fallback, one deadline). A JSON answer is relayed as
 * the adapter's bytes, its usage taken from the adapter's headers; a stream is held until its first content (so a
 * failing candidate can still be replaced), then relayed chunk by chunk without parsing. Emits exactly one usage
 * event per request. Knows nothing of HTTP on the client side nor of the cache that may wrap it.
 */
@ApplicationScoped
public class RoutedChatPipeline implements ChatPipeline {

    private static final Logger LOG = Logger.getLogger(RoutedChatPipeline.class);
    static final String CLIENT_DISCONNECTED = "CLIENT_DISCONNECTED";
    static final String ROUTE_SPAN = "aigw.route";
    static final AttributeKey<String> ROUTE_POLICY = AttributeKey.stringKey("aigw.route.policy");
    static final AttributeKey<String> ROUTE_REASON = AttributeKey.stringKey("aigw.route.reason");
    static final AttributeKey<String> ROUTE_MODEL = AttributeKey.stringKey("aigw.route.requested_model");
    static final AttributeKey<java.util.List<String>> ROUTE_CANDIDATES = AttributeKey.stringArrayKey("aigw.route.candidates");

    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final AdapterClient adapter;
    private final CatalogService catalog;
    private final FallbackExecutor executor;
    private final UsagePublisher usage;
    private final RoutingMetrics metrics;
    private final RoutingConfig config;
    private final ModelResolver resolver;
    private final ModelRouter router;
    private final Tracer tracer;

    public RoutedChatPipeline(Vertx vertx, ObjectMapper mapper, AdapterClient adapter, CatalogService catalog,
                              FallbackExecutor executor, UsagePublisher usage, RoutingMetrics metrics, RoutingConfig config,
                              ModelResolver resolver, ModelRouter router, Tracer tracer) {
        this.tracer = tracer;
        this.vertx = vertx;
        this.mapper = mapper;
        this.adapter = adapter;
        this.catalog = catalog;
        this.executor = executor;
        this.usage = usage;
        this.metrics = metrics;
        this.config = config;
        this.resolver = resolver;
        this.router = router;
    }

    @Override
    public Uni<ChatReply> chat(ChatRequest request) {
        RouteContext rc = new RouteContext(request.caller(), request.context(), request.policy().wireName(),
                request.chat(), request.startNanos());
        Uni<ChatReply> reply;
        // the route decision as its own span (policy, requested model, candidates in order, reason)
        Span routeSpan = tracer.spanBuilder(ROUTE_SPAN).setParent(rc.trace())
                .setAttribute(ROUTE_POLICY, request.policy().wireName())
                .setAttribute(ROUTE_MODEL, request.model())
                .startSpan();
        try {
            ApiError invalid = request.chat().validate();
            if (invalid != null) {
                throw invalid.exception();
            }
            Catalog cat = catalog.current();
            if (cat == null) {
                throw ApiError.noCandidate("The provider catalog is not loaded yet.", config.noCandidateRetryAfterSeconds()).exception();
            }
            RequestProfile profile = RequestProfile.of(request.chat(), config.defaultMaxTokens());
            // user-preference loads the caller's preferences asynchronously; the other policies route synchronously
            reply = router.routeAsync(resolver.resolve(request.model(), cat), profile, request.policy(),
                            request.caller().userId(), request.context())
                    .onFailure().invoke(t -> endRoute(routeSpan, null, t))
                    .chain(route -> {
                        endRoute(routeSpan, route, null);
                        return dispatch(request, rc, route);
                    });
        } catch (RuntimeException e) {
            endRoute(routeSpan, null, e);
            reply = Uni.createFrom().failure(e);
        }
        return reply
                .onFailure().transform(t -> failed(rc, t))
                .onCancellation().invoke(() -> {
                    if (rc.resolution() == null) { // gone while routing; once dispatched, json/stream account for it
                        finish(rc, UsageEvent.Outcome.ERROR, CLIENT_DISCONNECTED, null, null);
                    }
                });
    }

    @Override
    public ApiError rejected(CallerHeaders caller, String context, String policy, long startNanos, ApiError error) {
        return failed(new RouteContext(caller, context, policy, null, startNanos), error.exception()).error();
    }

    private static void endRoute(Span span, ModelRouter.Route route, Throwable failure) {
        if (route != null) {
            List<Candidate> candidates = route.resolution().candidates();
            List<String> keys = new ArrayList<>(candidates.size());
            for (Candidate c : candidates) {
                keys.add(c.providerId() + "/" + c.modelId());
            }
            span.setAttribute(ROUTE_POLICY, route.policy().wireName());
            span.setAttribute(ROUTE_CANDIDATES, keys);
            if (route.resolution().reason() != null) {
                span.setAttribute(ROUTE_REASON, route.resolution().reason());
            }
        }
        if (failure != null) {
            span.setAttribute(GenAiSpan.ERROR_TYPE, failure instanceof ApiException e ? e.error().code() : failure.getClass().getSimpleName());
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    private Uni<ChatReply> dispatch(ChatRequest request, RouteContext rc, ModelRouter.Route route) {
        metrics.decision(route.policy().wireName());
        rc.resolution(route.resolution());
        if (LOG.isDebugEnabled()) {
            LOG.debugf("route decision: model=%s policy=%s candidates=%s reason=%s", LogSafe.escape(rc.requestedModel()),
                    route.policy().wireName(), route.resolution().candidates(), route.resolution().reason());
        }
        CandidateBodies bodies = new CandidateBodies(mapper, request.chat().body());
        return rc.stream() ? stream(rc, bodies) : json(rc, bodies);
    }

    // ---------------------------------------------------------------- JSON

    private Uni<ChatReply> json(RouteContext rc, CandidateBodies bodies) {
        long deadline = rc.startNanos() + config.deadline().toNanos();
        return executor.execute(rc, deadline,
                        (c, remainingMs) -> new JsonCall(vertx, adapter, mapper, c, bodies.forModel(c.modelId()), rc.caller(),
                                remainingMs).uni())
                .map(r -> jsonReply(rc, r))
                .onCancellation().invoke(() -> finish(rc, UsageEvent.Outcome.ERROR, CLIENT_DISCONNECTED, null, null));
    }

    private ChatReply jsonReply(RouteContext rc, JsonResult r) {
        Candidate c = rc.served();
        Map<String, String> headers = successHeaders(rc, c);
        if (r.upstreamMs() != null) {
            headers.put(AigwHeaders.UPSTREAM_MS, r.upstreamMs());
        }
        Integer prompt = integer(r.promptTokens());
        Integer completion = integer(r.completionTokens());
        if (prompt == null || completion == null) { // an adapter that does not send the token headers yet
            Usage u = usageOf(r.body());
            prompt = u == null ? null : u.promptTokens();
            completion = u == null ? null : u.completionTokens();
        }
        boolean estimated = "true".equalsIgnoreCase(r.usageEstimated());
        BigDecimal cost = decimal(r.costUsd());
        ChatOutcome outcome = new ChatOutcome(c.providerId(), c.modelId(), prompt == null ? 0 : prompt,
                completion == null ? 0 : completion, estimated, cost);
        if (cost != null) {
            headers.put(AigwHeaders.COST_USD, cost.toPlainString()); // edge only
        }
        finish(rc, UsageEvent.Outcome.SUCCESS, null, outcome, null);
        return ChatReply.json(headers, r.body(), outcome);
    }

    /** Reads only the top-level {@code usage} member of the body (streaming parse, no full tree). */
    private Usage usageOf(Buffer body) {
        try (JsonParser p = mapper.getFactory().createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("usage".equals(name)) {
                    JsonNode u = mapper.readTree(p);
                    ObjectNode wrapper = mapper.createObjectNode();
                    wrapper.set("usage", u);
                    return Usage.from(wrapper);
                }
                p.skipChildren();
            }
        } catch (Exception e) {
            LOG.debugf("adapter body has no readable usage: %s", LogSafe.escape(e.getMessage()));
        }
        return null;
    }

    static Integer integer(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            int v = Integer.parseInt(s.trim());
            return v < 0 ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static BigDecimal decimal(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- streams

    private Uni<ChatReply> stream(RouteContext rc, CandidateBodies bodies) {
        long deadline = rc.startNanos() + config.streamFirstTokenTimeout().toNanos();
        long idleMs = config.streamIdleTimeout().toMillis();
        StreamAttempt[] current = new StreamAttempt[1];
        return executor.execute(rc, deadline, (c, remainingMs) -> {
                    StreamAttempt a = new StreamAttempt(vertx, adapter, mapper, c, bodies.forModel(c.modelId()), rc.caller(),
                            remainingMs, idleMs);
                    current[0] = a;
                    return a.start();
                })
                .map(a -> streamReply(rc, a))
                .onCancellation().invoke(() -> {
                    StreamAttempt a = current[0];
                    if (a != null) {
                        a.abort();
                    }
                    finish(rc, rc.served() != null ? UsageEvent.Outcome.PARTIAL : UsageEvent.Outcome.ERROR,
                            CLIENT_DISCONNECTED, a == null ? null : outcomeOf(a), null);
                });
    }

    private ChatReply streamReply(RouteContext rc, StreamAttempt attempt) {
        long ttftMs = rc.elapsedMs();
        Multi<ChatChunk> chunks = Multi.createFrom().emitter(em -> new Relay(rc, attempt, em, ttftMs).start());
        return ChatReply.stream(successHeaders(rc, attempt.candidate()), chunks);
    }

    /** A started stream as a Multi: chunks as they arrive; the upstream is paused while nobody asks for more. */
    private final class Relay implements StreamAttempt.Sink {
        private final RouteContext rc;
        private final StreamAttempt attempt;
        private final MultiEmitter<? super ChatChunk> emitter;
        private final long ttftMs;
        private boolean paused;

        Relay(RouteContext rc, StreamAttempt attempt, MultiEmitter<? super ChatChunk> emitter, long ttftMs) {
            this.rc = rc;
            this.attempt = attempt;
            this.emitter = emitter;
            this.ttftMs = ttftMs;
        }

        void start() {
            emitter.onRequest(n -> {
                if (paused) {
                    paused = false;
                    attempt.resume();
                }
            });
            // completion finishes the request before it completes the emitter: what remains here is a cancellation
            emitter.onTermination(() -> {
                attempt.abort();
                finish(rc, UsageEvent.Outcome.PARTIAL, CLIENT_DISCONNECTED, outcomeOf(attempt), null);
            });
            attempt.attach(this);
        }

        @Override
        public boolean chunk(String data) {
            emitter.emit(ChatChunk.data(data));
            if (emitter.requested() <= 0) {
                paused = true;
                return true;
            }
            return false;
        }

        @Override
        public void done() {
            ChatOutcome outcome = outcomeOf(attempt);
            Candidate c = attempt.candidate();
            emitter.emit(ChatChunk.end(outcome != null ? outcome
                    : new ChatOutcome(c.providerId(), c.modelId(), 0, 0, false, null)));
            finish(rc, UsageEvent.Outcome.SUCCESS, null, outcome, ttftMs);
            emitter.complete();
        }

        @Override
        public void error(ProviderError error) {
            rc.markServedAttemptFailed(error);
            LOG.infof("stream from %s failed after first content: %s", attempt.candidate(), error.errorClass());
            ErrorEnvelope env = ErrorEnvelope.of(
                    "The provider " + attempt.candidate().providerId() + " failed mid-stream: " + error.message(),
                    error.errorClass().openAiType(), null, error.errorClass().openAiCode());
            String json;
            try {
                json = mapper.writeValueAsString(env);
            } catch (Exception e) {
                json = "{\"error\":{\"message\":\"stream failed\",\"type\":\"api_error\",\"param\":null,\"code\":\"upstream_error\"}}";
            }
            emitter.emit(ChatChunk.failed(json));
            finish(rc, UsageEvent.Outcome.PARTIAL, error.errorClass().name(), outcomeOf(attempt), ttftMs);
            emitter.complete();
        }
    }

    // ---------------------------------------------------------------- common

    private static Map<String, String> successHeaders(RouteContext rc, Candidate c) {
        Map<String, String> h = new LinkedHashMap<>(8);
        h.put(AigwHeaders.PROVIDER, c.providerId());
        h.put(AigwHeaders.MODEL, c.modelId());
        h.put(AigwHeaders.POLICY_USED, rc.policy());
        h.put(AigwHeaders.ATTEMPTS, Integer.toString(rc.attempts().size()));
        h.put(AigwHeaders.ROUTE_REASON, rc.routeReason());
        h.put(AigwHeaders.ATTEMPT_LOG, AttemptLog.header(rc.attempts())); // edge only
        return h;
    }

    /** The final error with the headers the client gets (attempts, policy used); the request is accounted. */
    private ApiException failed(RouteContext rc, Throwable t) {
        ApiError error;
        if (t instanceof ApiException e) {
            error = e.error();
        } else {
            LOG.errorf("routing failed unexpectedly: %s", LogSafe.escape(t));
            error = ApiError.internal("Internal error.");
        }
        if (!error.headers().containsKey(AigwHeaders.ATTEMPTS)) {
            error = error.withHeader(AigwHeaders.ATTEMPTS, Integer.toString(rc.attempts().size()));
        }
        if (rc.policy() != null) {
            error = error.withHeader(AigwHeaders.POLICY_USED, rc.policy());
        }
        List<AttemptRecord> attempts = rc.attempts();
        String errorClass = attempts.isEmpty() ? error.code()
                : String.valueOf(attempts.get(attempts.size() - 1).errorClass());
        finish(rc, UsageEvent.Outcome.ERROR, errorClass, null, null);
        return error.exception();
    }

    /** The adapter's {@code aigw-usage} of a stream, or null when it did not arrive. */
    private static ChatOutcome outcomeOf(StreamAttempt a) {
        StreamUsage su = a.usage();
        return su == null ? null : new ChatOutcome(a.candidate().providerId(), a.candidate().modelId(), su.promptTokens(),
                su.completionTokens(), su.usageEstimated(), su.costUsd());
    }

    private void finish(RouteContext rc, UsageEvent.Outcome outcome, String errorClass, ChatOutcome usageOf, Long ttftMs) {
        if (!rc.finish()) {
            return;
        }
        List<AttemptRecord> attempts = rc.attempts();
        Candidate served = rc.served();
        Candidate reported = served != null ? served
                : attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).candidate();
        List<UsageEvent.Attempt> list = new ArrayList<>(attempts.size());
        for (AttemptRecord a : attempts) {
            list.add(a.toUsage());
        }
        UsageEvents event = UsageEvents.of(rc.caller(), rc.context(), rc.policy(), rc.requestedModel(), rc.stream(),
                        rc.startNanos())
                .outcome(outcome, errorClass)
                .attempts(list)
                .ttftMs(ttftMs)
                .traceId(rc.traceId());
        if (reported != null) {
            event.servedBy(reported.providerId(), reported.modelId());
        }
        if (usageOf != null) {
            event.usage(usageOf.promptTokens(), usageOf.completionTokens(), usageOf.usageEstimated(), usageOf.costUsd());
        }
        GenAiSpan serving = rc.servingSpan();
        if (serving != null) {
            if (outcome == UsageEvent.Outcome.SUCCESS) {
                serving.succeeded(served == null ? null : served.modelId(),
                        usageOf == null ? null : usageOf.promptTokens(), usageOf == null ? null : usageOf.completionTokens());
            } else {
                serving.failed(errorClass, "request ended " + outcome);
            }
        }
        metrics.routed(reported == null ? null : reported.providerId(), outcome.name());
        LOG.debugf("request finished: outcome=%s provider=%s attempts=%d", outcome,
                reported == null ? "-" : reported.providerId(), attempts.size());
        // publish within the request's trace: the Kafka record's traceparent links usage-service's span to it
        try (io.opentelemetry.context.Scope ignored = rc.trace().makeCurrent()) {
            usage.publish(event.build(), rc.caller().reservation());
        }
    }
}
