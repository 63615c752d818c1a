package io.aigateway.routing.cache;

import io.aigateway.routing.pipeline.ChatOutcome;
import io.vertx.core.buffer.Buffer;

/**
 * What the cache needs to know about one request that goes upstream (a miss, a {@code no-cache} request or a
 * coalescing leader): its key, whether its answer may be stored and for how long, and the answer as it goes by
 * (a stream's chunks into the {@link StreamAssembler}). The outcome is reported once, in {@link #finish}. Used from
 * the request's context.
 */
final class CacheTicket {

    final ResponseCache cache;
    final String hash;
    final boolean store;
    final long ttlSeconds;
    final boolean stream;
    final String requestedModel;
    /** Non-null when this request leads a coalesced group. */
    final ResponseCache.InFlight leader;
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

    /** One relayed stream chunk ({@code data:} payload). */
    void chunk(String data) {
        if (!done && assembler != null) {
            try {
                assembler.add(data);
            } catch (RuntimeException e) {
                assembler = null;
            }
        }
    }

    /**
     * The request's outcome, once: a success ({@code outcome} non-null) with a complete answer is stored (when allowed)
     * and handed to coalesced followers; anything else (null: failed, cancelled, ended mid-stream) releases the
     * followers to route on their own.
     */
    void finish(ChatOutcome outcome, Buffer jsonBody) {
        if (done) {
            return;
        }
        done = true;
        try {
            if (outcome == null) {
                cache.abandon(this);
            } else {
                cache.finished(this, outcome, jsonBody, assembler);
            }
        } catch (RuntimeException e) {
            cache.abandon(this);
        }
        assembler = null;
    }
}
