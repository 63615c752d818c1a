package io.aigateway.routing.chat;

import io.aigateway.contracts.text.LogSafe;
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
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.contracts.openai.Usage;
import io.aigateway.contracts.usage.StreamUsage;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.adapter.AdapterClient;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.routing.catalog.Catalog;
import io.aigateway.routing.catalog.CatalogService;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.metrics.RoutingMetrics;
import io.aigateway.routing.route.Candidate;
import io.aigateway.routing.route.ModelResolver;
import io.aigateway.routing.route.ModelRouter;
import io.aigateway.routing.route.PreferenceSource;
import io.aigateway.routing.route.RequestProfile;
import io.aigateway.routing.stats.RoutingStats;
import io.aigateway.routing.breaker.ProviderBreakers;
import io.aigateway.routing.cache.CacheTicket;
import io.aigateway.routing.usage.UsagePublisher;
import io.aigateway.support.http.ErrorWriter;
import io.aigateway.support.http.RequestIds;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /internal/v1/route/chat} (JSON and SSE) as a Vert.x route: status and headers of a stream
 * are decided only at its first content, and chunks are written as they arrive. The internal token and
 * the request ID are handled by {@link io.aigateway.routing.web.InternalAuthFilter} before this runs.
 */
@ApplicationScoped
public class ChatRouteHandler {

    public static final String PATH = "/internal/v1/route/chat";

    private static final Logger LOG = Logger.getLogger(ChatRouteHandler.class);
    private static final Pattern CONTEXT = Pattern.compile(AigwHeaders.CONTEXT_PATTERN);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

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
    private final RoutePolicy defaultPolicy;
    private final String defaultPolicyName;

    public ChatRouteHandler(Vertx vertx, ObjectMapper mapper, AdapterClient adapter, CatalogService catalog,
                            FallbackExecutor executor, UsagePublisher usage, RoutingMetrics metrics, RoutingConfig config,
                            RoutingStats stats, ProviderBreakers breakers, PreferenceSource preferences) {
        this.vertx = vertx;
        this.mapper = mapper;
        this.adapter = adapter;
        this.catalog = catalog;
        this.executor = executor;
        this.usage = usage;
        this.metrics = metrics;
        this.config = config;
        this.resolver = new ModelResolver(config.groups(), config.noCandidateRetryAfterSeconds());
        this.defaultPolicy = RoutePolicy.fromWire(config.defaultPolicy());
        if (defaultPolicy == null) {
            throw new IllegalStateException("aigw.routing.default-policy: unknown policy '" + config.defaultPolicy() + "'");
        }
        this.defaultPolicyName = defaultPolicy.wireName();
        // user preferences: preferences/PreferenceService (Redis mirror + local cache; PostgreSQL only on a miss)
        this.router = new ModelRouter(stats.latency(), stats.roundRobin(), breakers, preferences,
                config.noCandidateRetryAfterSeconds());
    }

    public ModelRouter router() {
        return router;
    }

    public ModelResolver resolver() {
        return resolver;
    }

    void register(@Observes Router router) {
        router.post(PATH)
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(this::handle)
                .failureHandler(this::failure);
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        ApiError error = status == 413 ? ApiError.tooLarge(config.maxBodyBytes())
                : status < 500 ? ApiError.badRequest("Invalid request.", null)
                : ApiError.internal("Internal error.");
        if (ctx.failure() != null && status >= 500) {
            LOG.errorf("chat route failed: %s", LogSafe.escape(ctx.failure()));
        }
        ErrorWriter.write(ctx.response(), error);
    }

    void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        String requestId = ctx.get(RequestIds.CONTEXT_KEY);
        if (requestId == null) {
            requestId = RequestIds.resolve(ctx.request().getHeader(AigwHeaders.REQUEST_ID));
        }
        var h = ctx.request().headers();
        CallerHeaders caller = new CallerHeaders(requestId, h.get(AigwHeaders.CALLER_USER),
                h.get(AigwHeaders.CALLER_KEY), h.get(AigwHeaders.CALLER_ROLES));
        String context = h.get(AigwHeaders.CONTEXT);
        String policyHeader = h.get(AigwHeaders.POLICY);
        RouteContext rc = null;
        try {
            if (context == null || context.isEmpty()) {
                context = AigwHeaders.DEFAULT_CONTEXT;
            } else if (!CONTEXT.matcher(context).matches()) {
                throw ApiError.badRequest("X-Aigw-Context must match " + AigwHeaders.CONTEXT_PATTERN, null, "invalid_context").exception();
            }
            RoutePolicy policy = defaultPolicy;
            if (policyHeader != null && !policyHeader.isEmpty()) {
                policy = RoutePolicy.fromWire(policyHeader);
                if (policy == null) {
                    throw ApiError.badRequest("Unknown routing policy in X-Aigw-Policy; expected one of "
                            + "user-preference, cost, latency, quality, round-robin.", null, "invalid_policy").exception();
                }
            }
            ChatCompletionRequest request = parse(ctx.body().buffer());
            rc = new RouteContext(caller, context, policy.wireName(), request, start);
            rc.cacheTicket(ctx.get(CacheTicket.CONTEXT_KEY));
            ApiError invalid = request.validate();
            if (invalid != null) {
                throw invalid.exception();
            }
            Catalog cat = catalog.current();
            if (cat == null) {
                throw ApiError.noCandidate("The provider catalog is not loaded yet.", config.noCandidateRetryAfterSeconds()).exception();
            }
            RequestProfile profile = RequestProfile.of(request, config.defaultMaxTokens());
            RouteContext routed = rc;
            // user-preference loads the caller's preferences asynchronously; the other policies route synchronously
            router.routeAsync(resolver.resolve(request.model(), cat), profile, policy, caller.userId(), context)
                    .subscribe().with(route -> dispatch(ctx, routed, route), t -> failure(ctx.response(), routed, t));
        } catch (ApiException e) {
            if (rc == null) {
                rc = new RouteContext(caller, context == null ? AigwHeaders.DEFAULT_CONTEXT : context,
                        defaultPolicyName, null, start);
            }
            fail(ctx.response(), rc, e.error());
        } catch (RuntimeException e) {
            LOG.errorf("routing failed unexpectedly: %s", LogSafe.escape(e));
            if (rc == null) {
                rc = new RouteContext(caller, AigwHeaders.DEFAULT_CONTEXT, defaultPolicyName, null, start);
            }
            fail(ctx.response(), rc, ApiError.internal("Internal error."));
        }
    }

    private void dispatch(RoutingContext ctx, RouteContext rc, ModelRouter.Route route) {
        try {
            metrics.decision(route.policy().wireName());
            rc.resolution(route.resolution());
            if (LOG.isDebugEnabled()) {
                LOG.debugf("route decision: model=%s policy=%s candidates=%s reason=%s", LogSafe.escape(rc.requestedModel()),
                        route.policy().wireName(), route.resolution().candidates(), route.resolution().reason());
            }
            if (rc.stream()) {
                stream(ctx, rc);
            } else {
                json(ctx, rc);
            }
        } catch (ApiException e) {
            fail(ctx.response(), rc, e.error());
        } catch (RuntimeException e) {
            LOG.errorf("routing failed unexpectedly: %s", LogSafe.escape(e));
            fail(ctx.response(), rc, ApiError.internal("Internal error."));
        }
    }

    private ChatCompletionRequest parse(Buffer body) {
        if (body == null || body.length() == 0) {
            throw ApiError.badRequest("The request body is empty; expected a JSON chat completion request.", null).exception();
        }
        JsonNode node;
        try {
            node = mapper.readTree(body.getBytes());
        } catch (Exception e) {
            throw ApiError.badRequest("The request body is not valid JSON.", null, "invalid_json").exception();
        }
        if (!(node instanceof ObjectNode obj)) {
            throw ApiError.badRequest("The request body must be a JSON object.", null, "invalid_json").exception();
        }
        return new ChatCompletionRequest(obj);
    }

    /** The body for one candidate: the request with {@code model} set to the candidate's model id. */
    private Buffer bodyFor(RouteContext rc, Candidate c) {
        ChatCompletionRequest request = rc.request();
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(request.withModel(c.modelId()).body()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialize request", e);
        }
    }

    // ---------------------------------------------------------------- JSON

    private void json(RoutingContext ctx, RouteContext rc) {
        long deadline = rc.startNanos() + config.deadline().toNanos();
        HttpServerResponse response = ctx.response();
        Cancellable sub = executor.execute(rc, deadline,
                        (c, remainingMs) -> new JsonCall(vertx, adapter, mapper, c, bodyFor(rc, c), rc.caller(), remainingMs).uni())
                .subscribe().with(result -> jsonSuccess(response, rc, result), t -> failure(response, rc, t));
        response.closeHandler(v -> {
            if (!response.ended()) {
                sub.cancel();
                finish(rc, UsageEvent.Outcome.ERROR, "CLIENT_DISCONNECTED", null, null, false, null);
            }
        });
    }

    private void jsonSuccess(HttpServerResponse response, RouteContext rc, JsonResult r) {
        Candidate c = rc.served();
        successHeaders(response, rc, c);
        if (r.upstreamMs() != null) {
            response.putHeader(AigwHeaders.UPSTREAM_MS, r.upstreamMs());
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        response.setStatusCode(200).end(r.body());
        CacheTicket.onJson(rc.cacheTicket(), r.body());
        Usage u = usageOf(r.body());
        finish(rc, UsageEvent.Outcome.SUCCESS, null, u == null ? null : u.promptTokens(),
                u == null ? null : u.completionTokens(), "true".equalsIgnoreCase(r.usageEstimated()), decimal(r.costUsd()));
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

    private static BigDecimal decimal(String s) {
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

    private void stream(RoutingContext ctx, RouteContext rc) {
        long deadline = rc.startNanos() + config.streamFirstTokenTimeout().toNanos();
        long idleMs = config.streamIdleTimeout().toMillis();
        HttpServerResponse response = ctx.response();
        StreamAttempt[] current = new StreamAttempt[1];
        Cancellable sub = executor.execute(rc, deadline, (c, remainingMs) -> {
                    StreamAttempt a = new StreamAttempt(vertx, adapter, mapper, c, bodyFor(rc, c), rc.caller(), remainingMs, idleMs);
                    current[0] = a;
                    return a.start();
                })
                .subscribe().with(a -> new Relay(response, rc, a).begin(), t -> failure(response, rc, t));
        response.closeHandler(v -> {
            if (!response.ended()) {
                sub.cancel();
                StreamAttempt a = current[0];
                if (a != null) {
                    a.abort();
                }
                StreamUsage su = a == null ? null : a.usage();
                finish(rc, rc.served() != null ? UsageEvent.Outcome.PARTIAL : UsageEvent.Outcome.ERROR, "CLIENT_DISCONNECTED",
                        su == null ? null : su.promptTokens(), su == null ? null : su.completionTokens(),
                        su != null && su.usageEstimated(), su == null ? null : su.costUsd());
            }
        });
    }

    /** The client side of a started stream. */
    private final class Relay implements StreamAttempt.Sink {
        private final HttpServerResponse response;
        private final RouteContext rc;
        private final StreamAttempt attempt;
        private Long ttftMs;

        Relay(HttpServerResponse response, RouteContext rc, StreamAttempt attempt) {
            this.response = response;
            this.rc = rc;
            this.attempt = attempt;
        }

        void begin() {
            if (response.closed()) {
                attempt.abort();
                return;
            }
            ttftMs = rc.elapsedMs();
            successHeaders(response, rc, attempt.candidate());
            response.setStatusCode(200)
                    .setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            response.drainHandler(v -> attempt.resume());
            attempt.attach(this);
        }

        @Override
        public boolean chunk(String data) {
            CacheTicket.onChunk(rc.cacheTicket(), data);
            if (response.closed()) {
                return false;
            }
            Buffer b = Buffer.buffer(data.length() + 8).appendString("data: ").appendString(data).appendString("\n\n");
            response.write(b);
            return response.writeQueueFull();
        }

        @Override
        public void done() {
            if (!response.closed()) {
                response.end(DONE.copy());
            }
            StreamUsage su = attempt.usage();
            finish(rc, UsageEvent.Outcome.SUCCESS, null, su == null ? null : su.promptTokens(),
                    su == null ? null : su.completionTokens(), su != null && su.usageEstimated(),
                    su == null ? null : su.costUsd(), ttftMs);
        }

        @Override
        public void error(ProviderError error) {
            rc.markServedAttemptFailed(error);
            LOG.infof("stream from %s failed after first content: %s", attempt.candidate(), error.errorClass());
            if (!response.closed()) {
                ErrorEnvelope env = ErrorEnvelope.of(
                        "The provider " + attempt.candidate().providerId() + " failed mid-stream: " + error.message(),
                        error.errorClass().openAiType(), null, error.errorClass().openAiCode());
                String json;
                try {
                    json = mapper.writeValueAsString(env);
                } catch (Exception e) {
                    json = "{\"error\":{\"message\":\"stream failed\",\"type\":\"api_error\",\"param\":null,\"code\":\"upstream_error\"}}";
                }
                response.end(Buffer.buffer("data: " + json + "\n\n"));
            }
            StreamUsage su = attempt.usage();
            finish(rc, UsageEvent.Outcome.PARTIAL, error.errorClass().name(), su == null ? null : su.promptTokens(),
                    su == null ? null : su.completionTokens(), su != null && su.usageEstimated(),
                    su == null ? null : su.costUsd(), ttftMs);
        }
    }

    // ---------------------------------------------------------------- common

    private void successHeaders(HttpServerResponse response, RouteContext rc, Candidate c) {
        response.putHeader("x-request-id", rc.requestId())
                .putHeader(AigwHeaders.PROVIDER, c.providerId())
                .putHeader(AigwHeaders.MODEL, c.modelId())
                .putHeader(AigwHeaders.POLICY_USED, rc.policy())
                .putHeader(AigwHeaders.ATTEMPTS, Integer.toString(rc.attempts().size()))
                .putHeader(AigwHeaders.ROUTE_REASON, rc.routeReason());
    }

    private void failure(HttpServerResponse response, RouteContext rc, Throwable t) {
        ApiError error;
        if (t instanceof ApiException e) {
            error = e.error();
        } else {
            LOG.errorf("routing failed unexpectedly: %s", LogSafe.escape(t));
            error = ApiError.internal("Internal error.");
        }
        fail(response, rc, error);
    }

    private void fail(HttpServerResponse response, RouteContext rc, ApiError error) {
        if (!error.headers().containsKey(AigwHeaders.ATTEMPTS)) {
            error = error.withHeader(AigwHeaders.ATTEMPTS, Integer.toString(rc.attempts().size()));
        }
        if (rc.policy() != null) {
            response.putHeader(AigwHeaders.POLICY_USED, rc.policy());
        }
        ErrorWriter.write(response, error);
        List<AttemptRecord> attempts = rc.attempts();
        String errorClass = attempts.isEmpty() ? error.code()
                : String.valueOf(attempts.get(attempts.size() - 1).errorClass());
        finish(rc, UsageEvent.Outcome.ERROR, errorClass, null, null, false, null);
    }

    private void finish(RouteContext rc, UsageEvent.Outcome outcome, String errorClass, Integer prompt, Integer completion,
                        boolean estimated, BigDecimal cost) {
        finish(rc, outcome, errorClass, prompt, completion, estimated, cost, null);
    }

    private void finish(RouteContext rc, UsageEvent.Outcome outcome, String errorClass, Integer prompt, Integer completion,
                        boolean estimated, BigDecimal cost, Long ttftMs) {
        if (!rc.finish()) {
            return;
        }
        Candidate served = rc.served();
        CacheTicket.onFinish(rc.cacheTicket(), served == null ? null : served.providerId(),
                served == null ? null : served.modelId(), outcome, prompt, completion, estimated, cost);
        List<AttemptRecord> attempts = rc.attempts();
        Candidate reported = served != null ? served
                : attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).candidate();
        List<UsageEvent.Attempt> list = new ArrayList<>(attempts.size());
        for (AttemptRecord a : attempts) {
            list.add(a.toUsage());
        }
        int p = prompt == null ? 0 : prompt;
        int c = completion == null ? 0 : completion;
        CallerHeaders caller = rc.caller();
        UsageEvent event = new UsageEvent(UUID.randomUUID(), caller.requestId(), Instant.now(),
                caller.userId(), caller.keyId(), rc.context(), rc.requestedModel(),
                reported == null ? null : reported.providerId(), reported == null ? null : reported.modelId(),
                rc.policy(), p, c, p + c, estimated, cost == null ? BigDecimal.ZERO : cost, null,
                rc.elapsedMs(), ttftMs, rc.stream(), false, outcome, errorClass, list);
        metrics.routed(reported == null ? null : reported.providerId(), outcome.name());
        LOG.debugf("request finished: outcome=%s provider=%s attempts=%d", outcome,
                reported == null ? "-" : reported.providerId(), attempts.size());
        usage.publish(event);
    }
}
