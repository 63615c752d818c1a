package io.aigateway.routing.cache;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.support.redis.RedisOutageGate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.chat.ChatRouteHandler;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.route.PreferenceSource;
import io.aigateway.routing.route.UserPreferences;
import io.aigateway.routing.usage.UsagePublisher;
import io.aigateway.support.http.RequestIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The response cache in front of the chat route: a Vert.x handler on {@link ChatRouteHandler#PATH} that
 * runs before the router. It computes the key ({@link CacheKeys}), reads the request's cache directives,
 * coalesces identical requests in flight on this instance, answers hits (JSON or SSE replay) with a usage
 * event ({@code cached=true}, cost 0, cost saved), and otherwise passes the request on with a
 * {@link CacheTicket} so the answer is stored once complete.
 *
 * <p>{@code x-aigw-cache}: {@code HIT} (from the cache, with {@code age}), {@code MISS} (went upstream; a
 * complete answer is stored unless {@code no-store}), {@code COALESCED} (shared the answer of an identical
 * request in flight on this instance), {@code BYPASS} (the cache was neither read nor written: {@code no-cache}
 * with {@code no-store}, or Redis unavailable).
 */
@ApplicationScoped
public class ResponseCache {

    public static final String HIT = "HIT";
    public static final String MISS = "MISS";
    public static final String BYPASS = "BYPASS";
    public static final String COALESCED = "COALESCED";
    /** The cache key (hex SHA-256) of the request, for invalidation by key. */
    public static final String KEY_HEADER = "x-aigw-cache-key";

    private static final Logger LOG = Logger.getLogger(ResponseCache.class);
    private static final Pattern CONTEXT = Pattern.compile(AigwHeaders.CONTEXT_PATTERN);
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    /** Identical requests in flight: the leader's result is handed to every follower. */
    static final class InFlight {
        final String hash;
        private final List<Follower> followers = new ArrayList<>(2);
        private boolean done;

        InFlight(String hash) {
            this.hash = hash;
        }

        /** @return false when the group already finished (the caller looks again) */
        synchronized boolean join(Follower f) {
            if (done) {
                return false;
            }
            followers.add(f);
            return true;
        }

        synchronized List<Follower> close() {
            done = true;
            return new ArrayList<>(followers);
        }
    }

    /** A waiting follower: delivered at most once (answer, release or timeout). */
    private final class Follower {
        final RoutingContext ctx;
        final Context context;
        final Request req;
        final AtomicBoolean delivered = new AtomicBoolean();
        long timerId = -1;

        Follower(RoutingContext ctx, Context context, Request req) {
            this.ctx = ctx;
            this.context = context;
            this.req = req;
        }

        void answer(CachedAnswer a, boolean fromCache) {
            if (fromCache && req.maxAgeSeconds() != null
                    && a.ageSeconds(System.currentTimeMillis()) > req.maxAgeSeconds()) {
                release(); // older than this follower accepts: it routes on its own
                return;
            }
            if (delivered.compareAndSet(false, true)) {
                context.runOnContext(v -> {
                    cancelTimer();
                    if (fromCache) {
                        metrics.hit();
                        replay(ctx, req, a, HIT);
                    } else {
                        metrics.coalesced();
                        replay(ctx, req, a, COALESCED);
                    }
                });
            }
        }

        /** The leader failed or gave up: route on our own (not coalesced again). */
        void release() {
            if (delivered.compareAndSet(false, true)) {
                context.runOnContext(v -> {
                    cancelTimer();
                    proceedAlone(ctx, req);
                });
            }
        }

        private void cancelTimer() {
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
            }
        }
    }

    /** The parts of one request the cache needs. */
    record Request(ChatCompletionRequest chat, String hash, boolean read, boolean write, Long maxAgeSeconds,
                   long ttlSeconds, String requestId, String userId, String keyId, String context, String policy,
                   long startNanos) {
    }

    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final CacheConfig config;
    private final RoutingConfig routing;
    private final UsagePublisher usage;
    private final CacheMetrics metrics;
    private final RedisOutageGate gate;
    private final CacheStore store;
    private final ReactiveRedisDataSource redis;
    private final boolean userScope;
    private final String defaultPolicy;
    private final ConcurrentHashMap<String, InFlight> inFlight = new ConcurrentHashMap<>();

    private final PreferenceSource preferences;

    public ResponseCache(Vertx vertx, ObjectMapper mapper, ReactiveRedisDataSource redis, CacheConfig config,
                         RoutingConfig routing, UsagePublisher usage, MeterRegistry registry,
                         PreferenceSource preferences) {
        this.vertx = vertx;
        this.preferences = preferences;
        this.mapper = mapper;
        this.config = config;
        this.routing = routing;
        this.usage = usage;
        this.metrics = new CacheMetrics(registry);
        this.gate = new RedisOutageGate("cache", redis, config.redisFailureThreshold(), config.redisBackoff(), config.redisTimeout(),
                config.redisConfirmTimeout(), metrics::error);
        this.redis = redis;
        this.store = new CacheStore(redis, mapper, gate, config.redisTimeout(), config.keyPrefix(),
                config.maxTtl().toSeconds() + 86400);
        String scope = config.scope().trim().toLowerCase(Locale.ROOT);
        if (!scope.equals("global") && !scope.equals("user")) {
            throw new IllegalStateException("aigw.cache.scope: expected global or user, got '" + config.scope() + "'");
        }
        this.userScope = scope.equals("user");
        RoutePolicy p = RoutePolicy.fromWire(routing.defaultPolicy());
        this.defaultPolicy = p == null ? routing.defaultPolicy() : p.wireName();
    }

    public CacheStore store() {
        return store;
    }

    public CacheMetrics metrics() {
        return metrics;
    }

    public RedisOutageGate gate() {
        return gate;
    }

    public CacheConfig config() {
        return config;
    }

    public boolean userScope() {
        return userScope;
    }

    /** Requests currently leading a coalesced group on this instance. */
    public int inFlight() {
        return inFlight.size();
    }

    void register(@Observes Router router) {
        if (!config.enabled()) {
            return;
        }
        // Runs after the internal-token filter (a Quarkus Filter of priority 100 = route order -100, added after
        // this observer: at an equal order it would run after us and cached answers would skip the token check)
        // and before the chat route's own handlers (default orders from 0), which see the body already read.
        router.post(ChatRouteHandler.PATH).order(-99)
                .handler(BodyHandler.create(false).setBodyLimit(routing.maxBodyBytes()))
                .handler(this::handle);
    }

    // ------------------------------------------------------------------ request path

    void handle(RoutingContext ctx) {
        String user = ctx.request().getHeader(AigwHeaders.CALLER_USER);
        if (user != null && !user.isEmpty() && preferenceSteered(ctx.request().getHeader(AigwHeaders.POLICY))) {
            // the caller's stored preference decides the provider: it is part of the key (never the user id, so
            // callers with the same preference, or none, still share answers)
            Context c = Vertx.currentContext();
            preferences.load(user).subscribe().with(
                    p -> c.runOnContext(v -> handle(ctx, p)),
                    t -> c.runOnContext(v -> handle(ctx, UserPreferences.NONE)));
            return;
        }
        handle(ctx, UserPreferences.NONE);
    }

    private boolean preferenceSteered(String policyHeader) {
        String policy = policyHeader == null || policyHeader.isEmpty() ? defaultPolicy : policyHeader;
        RoutePolicy p = RoutePolicy.fromWire(policy);
        return p == RoutePolicy.USER_PREFERENCE;
    }

    private void handle(RoutingContext ctx, UserPreferences prefs) {
        Request req;
        try {
            req = request(ctx, prefs);
        } catch (RuntimeException e) {
            LOG.debugf("cache: request not cacheable (%s)", LogSafe.escape(e));
            req = null;
        }
        if (req == null) {
            ctx.next(); // the chat route answers invalid requests
            return;
        }
        ctx.response().putHeader(KEY_HEADER, req.hash());
        if (!req.read()) {
            boolean write = req.write() && gate.available();
            if (write) {
                metrics.miss();
            } else {
                metrics.bypass();
            }
            proceed(ctx, req, write, null, write ? MISS : BYPASS);
            return;
        }
        Context context = Vertx.currentContext();
        while (true) {
            InFlight existing = inFlight.get(req.hash());
            if (existing != null) {
                Follower f = new Follower(ctx, context, req);
                if (existing.join(f)) {
                    long wait = Math.max(1, config.coalesceMaxWait().toMillis());
                    f.timerId = vertx.setTimer(wait, id -> f.release());
                    return;
                }
                inFlight.remove(req.hash(), existing);
                continue;
            }
            InFlight mine = new InFlight(req.hash());
            if (inFlight.putIfAbsent(req.hash(), mine) == null) {
                lead(ctx, context, req, mine);
                return;
            }
        }
    }

    private void lead(RoutingContext ctx, Context context, Request req, InFlight group) {
        if (!gate.available()) {
            metrics.bypass();
            proceed(ctx, req, false, group, BYPASS);
            return;
        }
        store.get(req.hash()).subscribe().with(a -> context.runOnContext(v -> {
            long now = System.currentTimeMillis();
            if (a != null && (req.maxAgeSeconds() == null || a.ageSeconds(now) <= req.maxAgeSeconds())) {
                metrics.hit();
                release(group, a, true);
                replay(ctx, req, a, HIT);
            } else {
                metrics.miss();
                proceed(ctx, req, req.write(), group, MISS);
            }
        }), t -> context.runOnContext(v -> {
            LOG.debugf("cache: lookup failed (%s); serving uncached", t.toString());
            metrics.bypass();
            proceed(ctx, req, false, group, BYPASS);
        }));
    }

    /** On to the router with a ticket (the answer is captured for the store and the followers). */
    private void proceed(RoutingContext ctx, Request req, boolean write, InFlight group, String header) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            if (group != null) {
                release(group, null, false);
            }
            return;
        }
        response.putHeader(AigwHeaders.CACHE, header);
        boolean stream = req.chat().stream();
        if (write || group != null) {
            CacheTicket t = new CacheTicket(this, req.hash(), write, req.ttlSeconds(), stream, req.chat().model(), group,
                    stream ? new StreamAssembler(mapper, config.maxEntryBytes()) : null);
            ctx.put(CacheTicket.CONTEXT_KEY, t);
            if (group != null) {
                Context c = Vertx.currentContext();
                ctx.addEndHandler(ar -> c.runOnContext(v -> t.endOfResponse()));
            }
        }
        ctx.next();
    }

    /** A follower whose leader failed: upstream on its own, storing its answer (if allowed). */
    private void proceedAlone(RoutingContext ctx, Request req) {
        boolean write = req.write() && gate.available();
        metrics.miss();
        proceed(ctx, req, write, null, write ? MISS : BYPASS);
    }

    private void release(InFlight group, CachedAnswer a, boolean fromCache) {
        inFlight.remove(group.hash, group);
        for (Follower f : group.close()) {
            if (a != null) {
                f.answer(a, fromCache);
            } else {
                f.release();
            }
        }
    }

    /** Parses what the cache needs; null when the request is not for the cache (the chat route decides). */
    private Request request(RoutingContext ctx, UserPreferences prefs) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return null;
        }
        JsonNode node;
        try {
            node = mapper.readTree(body.getBytes());
        } catch (Exception e) {
            return null;
        }
        if (!(node instanceof ObjectNode obj)) {
            return null;
        }
        ChatCompletionRequest chat = new ChatCompletionRequest(obj);
        if (chat.validate() != null) {
            return null;
        }
        var h = ctx.request().headers();
        String context = h.get(AigwHeaders.CONTEXT);
        if (context == null || context.isEmpty()) {
            context = AigwHeaders.DEFAULT_CONTEXT;
        } else if (!CONTEXT.matcher(context).matches()) {
            return null;
        }
        String policy = defaultPolicy;
        String ph = h.get(AigwHeaders.POLICY);
        if (ph != null && !ph.isEmpty()) {
            RoutePolicy p = RoutePolicy.fromWire(ph);
            if (p == null) {
                return null;
            }
            policy = p.wireName();
        }
        Directives d = Directives.parse(h.getAll(AigwHeaders.CACHE_CONTROL), h.get(AigwHeaders.CACHE_TTL),
                config.ttl().toSeconds(), config.maxTtl().toSeconds());
        String user = h.get(AigwHeaders.CALLER_USER);
        String steering = null;
        if (RoutePolicy.USER_PREFERENCE.wireName().equals(policy)) {
            steering = prefs.forContext(context);
            if (steering == null) {
                steering = prefs.forContext(AigwHeaders.DEFAULT_CONTEXT);
            }
        }
        String hash = CacheKeys.hash(obj, userScope ? (user == null ? "" : user) : null,
                CacheKeys.route(policy, steering));
        String requestId = ctx.get(RequestIds.CONTEXT_KEY);
        if (requestId == null) {
            requestId = RequestIds.resolve(h.get(AigwHeaders.REQUEST_ID));
        }
        return new Request(chat, hash, d.read(), d.write(), d.maxAgeSeconds(), d.ttlSeconds(), requestId, user,
                h.get(AigwHeaders.CALLER_KEY), context, policy, System.nanoTime());
    }

    // ------------------------------------------------------------------ replay

    private void replay(RoutingContext ctx, Request req, CachedAnswer a, String header) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            return;
        }
        List<String> chunks = null;
        if (req.chat().stream()) {
            try {
                chunks = SseReplay.chunks(mapper, mapper.readTree(a.body()), req.chat().includeUsage());
            } catch (Exception e) {
                LOG.warnf("cache: stored answer %s not replayable (%s); routing instead", req.hash(), LogSafe.escape(e));
                proceed(ctx, req, req.write(), null, MISS);
                return;
            }
        }
        long age = HIT.equals(header) ? a.ageSeconds(System.currentTimeMillis()) : 0;
        response.putHeader("x-request-id", req.requestId())
                .putHeader(AigwHeaders.PROVIDER, a.provider())
                .putHeader(AigwHeaders.MODEL, a.model())
                .putHeader(AigwHeaders.POLICY_USED, req.policy())
                .putHeader(AigwHeaders.ATTEMPTS, "0")
                .putHeader(AigwHeaders.ROUTE_REASON, "cache")
                .putHeader(AigwHeaders.CACHE, header)
                .putHeader(AigwHeaders.UPSTREAM_MS, "0") // the edge's x-aigw-overhead-ms is then the whole time
                .putHeader("age", Long.toString(age));
        Long ttft = null;
        if (chunks != null) {
            Buffer out = Buffer.buffer(a.body().length() + 512);
            for (String c : chunks) {
                out.appendString("data: ").appendString(c).appendString("\n\n");
            }
            out.appendBuffer(DONE);
            ttft = (System.nanoTime() - req.startNanos()) / 1_000_000;
            response.setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .end(out);
        } else {
            response.setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Buffer.buffer(a.body().getBytes(StandardCharsets.UTF_8)));
        }
        long latencyMs = (System.nanoTime() - req.startNanos()) / 1_000_000;
        usage.publish(new UsageEvent(UUID.randomUUID(), req.requestId(), Instant.now(), req.userId(), req.keyId(),
                req.context(), req.chat().model(), a.provider(), a.model(), req.policy(), a.promptTokens(),
                a.completionTokens(), a.promptTokens() + a.completionTokens(), a.usageEstimated(), BigDecimal.ZERO,
                a.costUsd() == null ? BigDecimal.ZERO : a.costUsd(), latencyMs, ttft, req.chat().stream(), true,
                UsageEvent.Outcome.SUCCESS, null, List.of()));
    }

    // ------------------------------------------------------------------ outcome of a ticket

    void finished(CacheTicket t, String provider, String model, UsageEvent.Outcome outcome, int prompt, int completion,
                  boolean estimated, BigDecimal cost, Buffer jsonBody, StreamAssembler assembler) {
        if (outcome != UsageEvent.Outcome.SUCCESS || provider == null) {
            abandon(t);
            return;
        }
        String body;
        JsonNode tree;
        try {
            if (t.stream) {
                ObjectNode c = assembler == null ? null : assembler.completion();
                if (c != null && !c.has("usage") && (prompt > 0 || completion > 0)) {
                    c.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                            .put("total_tokens", prompt + completion);
                }
                tree = c;
                body = c == null ? null : mapper.writeValueAsString(c);
            } else {
                body = jsonBody == null ? null : jsonBody.toString(StandardCharsets.UTF_8);
                tree = body == null ? null : mapper.readTree(body);
            }
        } catch (Exception e) {
            body = null;
            tree = null;
        }
        if (tree == null || !CachedAnswer.complete(tree)) {
            metrics.skipped("incomplete");
            abandon(t);
            return;
        }
        CachedAnswer a = new CachedAnswer(CachedAnswer.VERSION, provider, model, cost == null ? BigDecimal.ZERO : cost,
                prompt, completion, estimated, System.currentTimeMillis(), t.stream, body);
        if (t.leader != null) {
            release(t.leader, a, false);
        }
        if (!t.store) {
            return;
        }
        if (!gate.available()) {
            metrics.skipped("redis-unavailable");
            return;
        }
        byte[] value = store.serialise(a);
        if (value.length > config.maxEntryBytes()) {
            metrics.skipped("too-large");
            return;
        }
        Set<String> models = new LinkedHashSet<>();
        models.add(t.requestedModel);
        models.add(model);
        models.add(provider + "/" + model);
        store.put(t.hash, value, t.ttlSeconds, models, provider).subscribe().with(
                ok -> metrics.stored(),
                e -> LOG.debugf("cache: answer not stored (%s)", LogSafe.escape(e)));
    }

    /** The leader did not produce a storable answer: followers route on their own. */
    void abandon(CacheTicket t) {
        if (t.leader != null) {
            release(t.leader, null, false);
        }
    }

    // ------------------------------------------------------------------ background

    /** Opens the Redis connection at start so the first request does not pay for it. */
    void onStart(@Observes io.quarkus.runtime.StartupEvent ev) {
        if (config.enabled()) {
            redis.execute("PING").subscribe().with(ok -> { }, t -> LOG.infof("cache: Redis not reachable at start (%s)", LogSafe.escape(t)));
        }
    }

    /** Counts expired entries (lazily, from the expiry index) and adds this instance's counts to Redis. */
    @Scheduled(identity = "cache-stats-sync", every = "${aigw.cache.stats-sync-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> syncStats() {
        if (!config.enabled() || !gate.available()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Long> pending = metrics.drainPending();
        return store.addCounts(pending)
                .onFailure().invoke(t -> metrics.restorePending(pending))
                .chain(() -> store.shared())
                .invoke(s -> {
                    metrics.sharedEntries.set(s.getOrDefault("keys", 0L));
                    metrics.sharedBytes.set(s.getOrDefault("bytes", 0L));
                    metrics.sharedExpirations.set(s.getOrDefault("expirations", 0L));
                })
                .replaceWithVoid()
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    @Scheduled(identity = "cache-prune", every = "${aigw.cache.prune-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        if (!config.enabled() || !gate.available()) {
            return Uni.createFrom().voidItem();
        }
        return store.pruneRounds(config.pruneMaxRounds()).replaceWithVoid().onFailure().recoverWithNull().replaceWithVoid();
    }
}
