package io.aigateway.edge.auth;

import io.aigateway.edge.config.EdgeConfig;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Listens to admin-service's revocation channel ({@code aigw.edge.auth.revocations.channel}, Redis pub/sub): each
 * message is the SHA-256 hash of a revoked key (or of a key whose rights were reduced), which
 * {@link ApiKeyService#revoked(String)} drops from the local cache at once.
 * <p>
 * The subscription has a connection of its own (Redis client {@code revocations}, so that it never holds one of
 * the key lookups' pooled connections). Whether it still delivers is checked, not assumed: every
 * {@code heartbeat-interval} this instance publishes {@code hb:<instance>:<n>} on the channel (through the main
 * client), and when none of its own heartbeats has come back for {@code heartbeat-timeout} — or the connection
 * ends or fails — the subscription counts as lost: the key cache is dropped, positive answers are kept at most
 * {@code degraded-positive-ttl} (1 s), and a new subscription is tried every {@code retry-interval} until one is
 * confirmed (an attempt that hangs is abandoned after {@code subscribe-timeout}). So a revocation takes effect within about 1 s whether or not the messages arrive.
 */
@ApplicationScoped
public class KeyRevocationListener {

    private static final Logger LOG = Logger.getLogger(KeyRevocationListener.class);
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    static final String HEARTBEAT = "hb:";

    private final ReactivePubSubCommands<String> subscriptions;
    private final ReactivePubSubCommands<String> publisher;
    private final ApiKeyService apiKeys;
    private final Vertx vertx;
    private final String channel;
    private final String ownHeartbeat = HEARTBEAT + UUID.randomUUID() + ":";
    private final long intervalMs;
    private final long heartbeatTimeoutNanos;
    private final long retryNanos;
    private final long subscribeTimeoutNanos;
    private final Duration closeTimeout;

    /** Bumped by every subscribe attempt and every loss: callbacks of an older subscription are ignored. */
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private volatile ReactiveRedisSubscriber subscriber;
    private volatile boolean subscribing;
    private volatile long attemptStartedNanos;
    private volatile long nextAttemptNanos;
    private volatile long lastHeartbeatNanos;
    private volatile boolean failureLogged;
    private volatile long timerId = -1;

    public KeyRevocationListener(@RedisClientName("revocations") ReactiveRedisDataSource subscriptionRedis,
                                 ReactiveRedisDataSource redis, ApiKeyService apiKeys, Vertx vertx, EdgeConfig config) {
        EdgeConfig.Revocations cfg = config.auth().revocations();
        this.subscriptions = subscriptionRedis.pubsub(String.class);
        this.publisher = redis.pubsub(String.class);
        this.apiKeys = apiKeys;
        this.vertx = vertx;
        this.channel = cfg.channel();
        this.intervalMs = Math.max(10, cfg.heartbeatInterval().toMillis());
        this.heartbeatTimeoutNanos = cfg.heartbeatTimeout().toNanos();
        this.retryNanos = cfg.retryInterval().toNanos();
        this.subscribeTimeoutNanos = cfg.subscribeTimeout().toNanos();
        this.closeTimeout = cfg.retryInterval();
    }

    void start(@Observes StartupEvent ev) {
        timerId = vertx.setPeriodic(intervalMs, id -> tick());
        subscribe();
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        generation.incrementAndGet();
        close(subscriber);
        subscriber = null;
    }

    /** Whether the subscription is confirmed and its heartbeats come back. */
    public boolean live() {
        return subscriber != null;
    }

    private void tick() {
        long now = System.nanoTime();
        if (subscriber != null) {
            if (now - lastHeartbeatNanos > heartbeatTimeoutNanos) {
                lost(generation.get(), "no heartbeat came back for "
                        + (now - lastHeartbeatNanos) / 1_000_000 + " ms");
                return;
            }
            publisher.publish(channel, ownHeartbeat + heartbeats.incrementAndGet()).subscribe().with(
                    ok -> {
                    },
                    t -> LOG.debugf("Revocation heartbeat not published: %s", t.getClass().getSimpleName()));
            return;
        }
        if (subscribing && now - attemptStartedNanos > subscribeTimeoutNanos) {
            // A subscribe that does not answer (Redis hangs): abandon it; if it ever completes it is closed.
            long gen = generation.get();
            if (generation.compareAndSet(gen, gen + 1)) {
                subscribing = false;
                nextAttemptNanos = now;
                logFailure("subscribing took longer than " + subscribeTimeoutNanos / 1_000_000 + " ms");
            }
        }
        if (!subscribing && now - nextAttemptNanos >= 0) {
            subscribe();
        }
    }

    private void subscribe() {
        subscribing = true;
        attemptStartedNanos = System.nanoTime();
        long gen = generation.incrementAndGet();
        subscriptions.subscribe(channel, msg -> onMessage(gen, msg), () -> onEnd(gen, "connection closed"),
                        t -> onEnd(gen, t.getClass().getSimpleName()))
                .subscribe().with(s -> {
                    if (generation.get() != gen) {
                        close(s);
                        return;
                    }
                    lastHeartbeatNanos = System.nanoTime();
                    subscriber = s;
                    subscribing = false;
                    failureLogged = false;
                    apiKeys.revocationFeed(true);
                    LOG.infof("Subscribed to key revocations on %s", channel);
                }, t -> {
                    if (generation.get() == gen) {
                        subscribing = false;
                        nextAttemptNanos = System.nanoTime() + retryNanos;
                        logFailure(t.getClass().getSimpleName() + ": " + t.getMessage());
                    }
                });
    }

    private void onMessage(long gen, String message) {
        if (message == null) {
            return;
        }
        if (message.startsWith(HEARTBEAT)) {
            if (message.startsWith(ownHeartbeat) && generation.get() == gen) {
                lastHeartbeatNanos = System.nanoTime();
            }
            return;
        }
        if (HASH.matcher(message).matches()) {
            // Even from an older subscription: a revocation is never wrong to apply.
            apiKeys.revoked(message);
            LOG.debugf("Key revocation received for hash %s…", message.substring(0, 8));
        }
    }

    private void onEnd(long gen, String reason) {
        if (subscriber != null) {
            lost(gen, reason);
        }
    }

    private void lost(long gen, String reason) {
        if (!generation.compareAndSet(gen, gen + 1)) {
            return;
        }
        ReactiveRedisSubscriber old = subscriber;
        subscriber = null;
        subscribing = false;
        nextAttemptNanos = System.nanoTime();
        apiKeys.revocationFeed(false);
        LOG.warnf("Key revocation subscription lost (%s): local key cache dropped, positive answers kept at most "
                + "the degraded TTL until resubscribed", reason);
        close(old);
    }

    private void logFailure(String what) {
        if (!failureLogged) {
            failureLogged = true;
            LOG.warnf("Cannot subscribe to key revocations on %s (%s); retrying, positive key answers kept at most "
                    + "the degraded TTL meanwhile", channel, what);
        } else {
            LOG.debugf("Key revocation subscribe failed again: %s", what);
        }
    }

    private void close(ReactiveRedisSubscriber s) {
        if (s != null) {
            s.unsubscribe().ifNoItem().after(closeTimeout).fail().subscribe().with(
                    ok -> {
                    },
                    t -> LOG.debugf("Closing an old revocation subscription failed: %s", t.getClass().getSimpleName()));
        }
    }
}
