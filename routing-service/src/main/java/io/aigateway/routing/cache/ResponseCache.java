package io.aigateway.routing.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.pipeline.ChatChunk;
import io.aigateway.routing.pipeline.ChatOutcome;
import io.aigateway.routing.pipeline.ChatPipeline;
import io.aigateway.routing.pipeline.ChatReply;
import io.aigateway.routing.pipeline.ChatRequest;
import io.aigateway.routing.pipeline.UsageEvents;
import io.aigateway.routing.route.PreferenceSource;
import io.aigateway.routing.route.UserPreferences;
import io.aigateway.routing.usage.UsagePublisher;
import io.aigateway.support.redis.RedisOutageGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The response cache around a {@link ChatPipeline} ({@link CachingChatPipeline} hands each request here with the
 * pipeline below). It computes the key ({@link CacheKeys}) from the request as parsed, reads the request's cache
 * directives, coalesces identical requests in flight on this instance, answers hits (JSON or SSE replay) with a usage
 * event ({@code cached=true}, cost 0, cost saved), and otherwise calls the pipeline below, capturing its answer
 * ({@link CacheTicket}) so it is stored once complete.
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

    private static final String CLIENT_DISCONNECTED = "CLIENT_DISCONNECTED";
    private static final Logger LOG = Logger.getLogger(ResponseCache.class);

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

    /** A waiting follower: delivered at most once (answer, release, timeout), unless its client went away first. */
    private final class Follower {
        final UniEmitter<? super ChatReply> emitter;
        final Context context;
        final Request req;
        final ChatPipeline upstream;
        final AtomicBoolean delivered = new AtomicBoolean();
        long timerId = -1;
        /** What was delivered, still running (a follower released upstream): cancelled if the client goes away. */
        private Cancellable running;

        Follower(UniEmitter<? super ChatReply> emitter, Context context, Request req, ChatPipeline upstream) {
            this.emitter = emitter;
            this.context = context;
            this.req = req;
            this.upstream = upstream;
        }

        void answer(CachedAnswer a, boolean fromCache) {
            if (fromCache && req.maxAgeSeconds() != null
                    && a.ageSeconds(System.currentTimeMillis()) > req.maxAgeSeconds()) {
                release(); // older than this follower accepts: it routes on its own
                return;
            }
            deliver(() -> {
                if (fromCache) {
                    metrics.hit();
                } else {
                    metrics.coalesced();
                }
                return replay(req, a, fromCache ? HIT : COALESCED, upstream);
            });
        }

        /** The leader failed or gave up: route on our own (not coalesced again). */
        void release() {
            deliver(() -> proceedAlone(req, upstream));
        }

        private void deliver(java.util.function.Supplier<Uni<ChatReply>> answer) {
            if (delivered.compareAndSet(false, true)) {
                context.runOnContext(v -> {
                    cancelTimer();
                    running = answer.get().subscribe().with(emitter::complete, emitter::fail);
                });
            }
        }

        /** The emitter terminated: after a delivery nothing to do; else the client went away. */
        void terminated() {
            if (delivered.compareAndSet(false, true)) {
                cancelTimer();
            } else if (running != null) {
                running.cancel();
            }
        }

        private void cancelTimer() {
            if (timerId >= 0) {
                vertx.cancelTimer(timerId);
            }
        }
    }

    /** The parts of one request the cache needs. */
    record Request(ChatRequest chat, String hash, boolean read, boolean write, Long maxAgeSeconds, long ttlSeconds) {
    }

    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final CacheConfig config;
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
        this.usage = usage;
        this.metrics = new CacheMetrics(registry);
        this.gate = new RedisOutageGate("cache", redis, config.redisFailureThreshold(), config.redisBackoff(), config.redisTimeout(),
                config.redisConfirmTimeout(), metrics::error);
        metrics.gate(gate);
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

    // ------------------------------------------------------------------ request path

    /** Answers {@code request} from the cache, or through {@code upstream} (storing what it answers). */
    Uni<ChatReply> serve(ChatRequest request, ChatPipeline upstream) {
        if (!config.enabled()) {
            return upstream.chat(request);
        }
        Handover below = new Handover(upstream);
        Uni<ChatReply> answer;
        String user = request.caller().userId();
        if (user != null && !user.isEmpty() && request.policy() == RoutePolicy.USER_PREFERENCE) {
            // the caller's stored preference decides the provider: it is part of the key (never the user id, so
            // callers with the same preference, or none, still share answers)
            Context c = Vertx.currentContext();
            answer = Uni.createFrom().<UserPreferences>emitter(em -> preferences.load(user).subscribe().with(
                            p -> c.runOnContext(v -> em.complete(p)),
                            t -> c.runOnContext(v -> em.complete(UserPreferences.NONE))))
                    .chain(p -> serve(request, p, below));
        } else {
            answer = serve(request, UserPreferences.NONE, below);
        }
        // The client left while the cache still held the request (loading preferences, looking the key up, waiting
        // as a follower): neither the pipeline below nor a replay accounts for it, so the cache does.
        return answer.onCancellation().invoke(() -> {
            if (below.handedOver.compareAndSet(false, true)) {
                usage.publish(UsageEvents.of(request).outcome(UsageEvent.Outcome.ERROR, CLIENT_DISCONNECTED).build(),
                        request.caller().reservation());
            }
        });
    }

    /** The pipeline below, noting whether the request was handed to it (or answered by a replay). */
    private static final class Handover implements ChatPipeline {
        final AtomicBoolean handedOver = new AtomicBoolean();
        private final ChatPipeline upstream;

        Handover(ChatPipeline upstream) {
            this.upstream = upstream;
        }

        @Override
        public Uni<ChatReply> chat(ChatRequest request) {
            handedOver.set(true);
            return upstream.chat(request);
        }

        @Override
        public ApiError rejected(CallerHeaders caller, String context, String policy, long startNanos, ApiError error) {
            return upstream.rejected(caller, context, policy, startNanos, error);
        }

        static void replayed(ChatPipeline upstream) {
            if (upstream instanceof Handover h) {
                h.handedOver.set(true);
            }
        }
    }

    private Uni<ChatReply> serve(ChatRequest request, UserPreferences prefs, ChatPipeline upstream) {
        Request req;
        try {
            req = request(request, prefs);
        } catch (RuntimeException e) {
            LOG.debugf("cache: request not cacheable (%s)", LogSafe.escape(e));
            req = null;
        }
        if (req == null) {
            return upstream.chat(request); // the pipeline answers invalid requests
        }
        if (!req.read()) {
            boolean write = req.write() && gate.available();
            if (write) {
                metrics.miss();
            } else {
                metrics.bypass();
            }
            return proceed(req, write, null, write ? MISS : BYPASS, upstream);
        }
        Context context = Vertx.currentContext();
        while (true) {
            InFlight existing = inFlight.get(req.hash());
            if (existing != null) {
                Request r = req;
                return Uni.createFrom().emitter(em -> {
                    Follower f = new Follower(em, context, r, upstream);
                    em.onTermination(f::terminated);
                    if (existing.join(f)) {
                        long wait = Math.max(1, config.coalesceMaxWait().toMillis());
                        f.timerId = vertx.setTimer(wait, id -> f.release());
                    } else {
                        // the group finished meanwhile: look again
                        inFlight.remove(r.hash(), existing);
                        f.deliver(() -> serve(request, prefs, upstream));
                    }
                });
            }
            InFlight mine = new InFlight(req.hash());
            if (inFlight.putIfAbsent(req.hash(), mine) == null) {
                return lead(req, mine, upstream);
            }
        }
    }

    private Uni<ChatReply> lead(Request req, InFlight group, ChatPipeline upstream) {
        if (!gate.available()) {
            metrics.bypass();
            return proceed(req, false, group, BYPASS, upstream);
        }
        Context context = Vertx.currentContext();
        // Set once the lookup is decided; from then on the ticket or the replay owns the group.
        AtomicBoolean decided = new AtomicBoolean();
        return Uni.createFrom().<CachedAnswer>emitter(em -> store.get(req.hash()).subscribe().with(
                        a -> context.runOnContext(v -> em.complete(a)),
                        t -> context.runOnContext(v -> em.fail(t))))
                .onItemOrFailure().transformToUni((a, t) -> {
                    decided.set(true);
                    if (t != null) {
                        LOG.debugf("cache: lookup failed (%s); serving uncached", t.toString());
                        metrics.bypass();
                        return proceed(req, false, group, BYPASS, upstream);
                    }
                    long now = System.currentTimeMillis();
                    if (a != null && (req.maxAgeSeconds() == null || a.ageSeconds(now) <= req.maxAgeSeconds())) {
                        metrics.hit();
                        release(group, a, true);
                        return replay(req, a, HIT, upstream);
                    }
                    metrics.miss();
                    return proceed(req, req.write(), group, MISS, upstream);
                })
                // The leader's client went away during the lookup: nothing else would ever close its group, and the
                // key would coalesce onto it (and wait coalesce-max-wait) for good. Its followers route on their own.
                .onCancellation().invoke(() -> {
                    if (decided.compareAndSet(false, true)) {
                        release(group, null, false);
                    }
                });
    }

    /** On to the pipeline below, with a ticket when the answer is to be stored or shared. */
    private Uni<ChatReply> proceed(Request req, boolean write, InFlight group, String header, ChatPipeline upstream) {
        CacheTicket t = write || group != null
                ? new CacheTicket(this, req.hash(), write, req.ttlSeconds(), req.chat().stream(), req.chat().model(), group,
                        req.chat().stream() ? new StreamAssembler(mapper, config.maxEntryBytes()) : null)
                : null;
        Uni<ChatReply> answer;
        try {
            answer = upstream.chat(req.chat());
        } catch (RuntimeException e) {
            answer = Uni.createFrom().failure(e);
        }
        return answer
                .map(reply -> {
                    reply.header(KEY_HEADER, req.hash()).header(AigwHeaders.CACHE, header);
                    return t == null ? reply : capture(t, reply);
                })
                .onFailure().transform(e -> {
                    if (t != null) {
                        t.finish(null, null);
                    }
                    return e instanceof ApiException ae
                            ? ae.error().withHeader(KEY_HEADER, req.hash()).withHeader(AigwHeaders.CACHE, header).exception()
                            : e;
                })
                .onCancellation().invoke(() -> {
                    if (t != null) {
                        t.finish(null, null);
                    }
                });
    }

    /** The ticket sees the JSON answer now, a stream's chunks as they go by; either way it learns the outcome. */
    private ChatReply capture(CacheTicket t, ChatReply reply) {
        if (!reply.isStream()) {
            t.finish(reply.outcome(), reply.body());
            return reply;
        }
        return reply.mapChunks(chunks -> chunks
                .onItem().invoke(c -> {
                    switch (c.kind()) {
                        case DATA -> t.chunk(c.data());
                        case END -> t.finish(c.outcome(), null);
                        default -> t.finish(null, null);
                    }
                })
                .onTermination().invoke(() -> t.finish(null, null)));
    }

    /** A follower whose leader failed: upstream on its own, storing its answer (if allowed). */
    private Uni<ChatReply> proceedAlone(Request req, ChatPipeline upstream) {
        boolean write = req.write() && gate.available();
        metrics.miss();
        return proceed(req, write, null, write ? MISS : BYPASS, upstream);
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

    /** What the cache needs of a request; null when the request is not for the cache (the pipeline decides). */
    private Request request(ChatRequest request, UserPreferences prefs) {
        ChatCompletionRequest chat = request.chat();
        if (chat.validate() != null) {
            return null;
        }
        Directives d = Directives.parse(request.cacheControl(), request.cacheTtl(),
                config.ttl().toSeconds(), config.maxTtl().toSeconds());
        String policy = request.policy().wireName();
        String steering = null;
        if (request.policy() == RoutePolicy.USER_PREFERENCE) {
            steering = prefs.forContext(request.context());
            if (steering == null) {
                steering = prefs.forContext(AigwHeaders.DEFAULT_CONTEXT);
            }
        }
        String user = request.caller().userId();
        String hash = CacheKeys.hash(chat.body(), userScope ? (user == null ? "" : user) : null,
                CacheKeys.route(policy, steering));
        return new Request(request, hash, d.read(), d.write(), d.maxAgeSeconds(), d.ttlSeconds());
    }

    // ------------------------------------------------------------------ replay

    private Uni<ChatReply> replay(Request req, CachedAnswer a, String header, ChatPipeline upstream) {
        Handover.replayed(upstream); // the replay records its own usage
        ChatRequest r = req.chat();
        List<String> chunks = null;
        if (r.stream()) {
            try {
                chunks = SseReplay.chunks(mapper, mapper.readTree(a.body()), r.chat().includeUsage());
            } catch (Exception e) {
                LOG.warnf("cache: stored answer %s not replayable (%s); routing instead", req.hash(), LogSafe.escape(e));
                return proceed(req, req.write(), null, MISS, upstream);
            }
        }
        long age = HIT.equals(header) ? a.ageSeconds(System.currentTimeMillis()) : 0;
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put(KEY_HEADER, req.hash());
        headers.put(AigwHeaders.PROVIDER, a.provider());
        headers.put(AigwHeaders.MODEL, a.model());
        headers.put(AigwHeaders.POLICY_USED, r.policy().wireName());
        headers.put(AigwHeaders.ATTEMPTS, "0");
        headers.put(AigwHeaders.ROUTE_REASON, "cache");
        headers.put(AigwHeaders.CACHE, header);
        headers.put(AigwHeaders.UPSTREAM_MS, "0"); // the edge's x-aigw-overhead-ms is then the whole time
        headers.put("age", Long.toString(age));
        ChatOutcome outcome = new ChatOutcome(a.provider(), a.model(), a.promptTokens(), a.completionTokens(),
                a.usageEstimated(), BigDecimal.ZERO);
        ChatReply reply;
        Long ttft = null;
        if (chunks != null) {
            List<ChatChunk> items = new ArrayList<>(chunks.size() + 1);
            for (String c : chunks) {
                items.add(ChatChunk.data(c));
            }
            items.add(ChatChunk.end(outcome));
            ttft = r.elapsedMs();
            reply = ChatReply.stream(headers, Multi.createFrom().iterable(items));
        } else {
            reply = ChatReply.json(headers, Buffer.buffer(a.body().getBytes(StandardCharsets.UTF_8)), outcome);
        }
        usage.publish(UsageEvents.of(r)
                .servedBy(a.provider(), a.model())
                .usage(a.promptTokens(), a.completionTokens(), a.usageEstimated(), BigDecimal.ZERO)
                .cached(a.costUsd())
                .ttftMs(ttft)
                .outcome(UsageEvent.Outcome.SUCCESS, null)
                .build(), r.caller().reservation());
        return Uni.createFrom().item(reply);
    }

    // ------------------------------------------------------------------ outcome of a ticket

    void finished(CacheTicket t, ChatOutcome outcome, Buffer jsonBody, StreamAssembler assembler) {
        String provider = outcome.provider();
        String model = outcome.model();
        int prompt = outcome.promptTokens();
        int completion = outcome.completionTokens();
        boolean estimated = outcome.usageEstimated();
        BigDecimal cost = outcome.costUsd();
        if (provider == null) {
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
