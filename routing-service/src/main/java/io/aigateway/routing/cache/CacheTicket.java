package io.aigateway.routing.cache;

import io.aigateway.contracts.usage.UsageEvent;
import io.vertx.core.buffer.Buffer;

import java.math.BigDecimal;

/**
 * What the cache needs to know about one request that goes upstream (a miss, a {@code no-cache} request
 * or a coalescing leader): its key, whether its answer may be stored and for how long, and the answer as
 * it goes by. The chat route calls the static hooks (null-safe); the outcome is reported once, in
 * {@link #finished}. Used from the request's event-loop context.
 */
public final class CacheTicket {

    /** RoutingContext data key under which the cache pre-handler leaves the ticket. */
    public static final String CONTEXT_KEY = "aigw.cache.ticket";

    final ResponseCache cache;
    final String hash;
    final boolean store;
    final long ttlSeconds;
    final boolean stream;
    final String requestedModel;
    /** Non-null when this request leads a coalesced group. */
    final ResponseCache.InFlight leader;
    private Buffer jsonBody;
    private StreamAssembler assembler;
    private boolean done;

    CacheTicket(ResponseCache cache, String hash, boolean store, long ttlSeconds, boolean stream, String requestedModel,
                ResponseCache.InFlight leader, StreamAssembler assembler) {
        this.cache = cache;
        this.hash = hash;
        this.store = store;
        this.ttlSeconds = ttlSeconds;
        this.stream = stream;
        this.requestedModel = requestedModel;
        this.leader = leader;
        this.assembler = assembler;
    }

    /** The successful JSON answer (before the usage event). */
    public static void onJson(CacheTicket t, Buffer body) {
        if (t != null && !t.done) {
            t.jsonBody = body;
        }
    }

    /** One relayed stream chunk ({@code data:} payload). */
    public static void onChunk(CacheTicket t, String data) {
        if (t != null && !t.done && t.assembler != null) {
            try {
                t.assembler.add(data);
            } catch (RuntimeException e) {
                t.assembler = null;
            }
        }
    }

    /**
     * The request's outcome, once: a SUCCESS with a complete answer is stored (when allowed) and handed to
     * coalesced followers; anything else releases the followers to route on their own.
     */
    public static void onFinish(CacheTicket t, String provider, String model, UsageEvent.Outcome outcome,
                                Integer prompt, Integer completion, boolean estimated, BigDecimal cost) {
        if (t == null || t.done) {
            return;
        }
        t.done = true;
        try {
            t.cache.finished(t, outcome == UsageEvent.Outcome.SUCCESS ? provider : null, model, outcome,
                    prompt == null ? 0 : prompt, completion == null ? 0 : completion, estimated, cost,
                    t.jsonBody, t.assembler);
        } catch (RuntimeException e) {
            t.cache.abandon(t);
        }
        t.jsonBody = null;
        t.assembler = null;
    }

    /** Safety net at the end of the response: a leader that never reported releases its followers. */
    void endOfResponse() {
        if (!done) {
            done = true;
            cache.abandon(this);
        }
    }
}
