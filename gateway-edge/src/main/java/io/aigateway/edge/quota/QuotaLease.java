package io.aigateway.edge.quota;

import io.aigateway.contracts.quota.QuotaSlot;

/**
 * A lease reserve.lua granted one edge: {@code slots} requests of one user and key, reserved in Redis with their
 * estimates (slot 1 was the request that asked). The edge admits the others itself while the lease is open (until
 * {@code usableNanos} after the grant, never past the minute it was granted in), each within what the lease still
 * holds, and then closes it: settle.lua releases what was not given out. A lease never lets more through than Redis
 * reserved, so concurrent requests on any number of edges still cannot overspend; it only saves the Redis call.
 * Thread-safe: the edge's event loops share it.
 */
final class QuotaLease {

    /** What closing returns: the part of the lease no request was given. */
    record Unissued(long requests, long tokens, long nanoUsd) {
    }

    private final String id;
    private final int slots;
    private final long tokens;
    private final long nanoUsd;
    private final long grantNanos;
    private final long endNanos;
    private final QuotaDecision first;
    private int issued = 1;
    private long issuedTokens;
    private long issuedNanoUsd;
    private boolean closed;

    /**
     * @param first the decision of slot 1 (its ratelimit values as Redis reported them with that request reserved)
     * @param perTokens the estimate reserved per slot, tokens; {@code perNanoUsd} the same in nano-USD
     */
    QuotaLease(String id, int slots, long perTokens, long perNanoUsd, long grantNanos, long usableNanos,
               QuotaDecision first) {
        this.id = id;
        this.slots = slots;
        this.tokens = perTokens * slots;
        this.nanoUsd = perNanoUsd * slots;
        this.issuedTokens = perTokens;
        this.issuedNanoUsd = perNanoUsd;
        this.grantNanos = grantNanos;
        this.endNanos = grantNanos + usableNanos;
        this.first = first;
    }

    String id() {
        return id;
    }

    /**
     * The next slot for a request estimated at {@code estTokens}/{@code estNanoUsd}, or null when the lease is closed,
     * past its time, given out, or does not hold that much any more (the caller then asks Redis).
     */
    synchronized QuotaDecision take(long estTokens, long estNanoUsd, long nowNanos) {
        if (closed || nowNanos - endNanos >= 0 || issued >= slots || issuedTokens + estTokens > tokens
                || issuedNanoUsd + estNanoUsd > nanoUsd) {
            return null;
        }
        issued++;
        issuedTokens += estTokens;
        issuedNanoUsd += estNanoUsd;
        long elapsedMs = (nowNanos - grantNanos) / 1_000_000;
        // the headers as Redis would have said them, as far as this edge knows: its own slots taken since the grant
        long rr = first.requestsRemaining() < 0 ? -1 : first.requestsRemaining() - (issued - 1);
        long tr = first.tokensRemaining() < 0 ? -1 : first.tokensRemaining() - (issuedTokens - tokens / slots);
        return new QuotaDecision(QuotaDecision.Kind.RESERVED, new QuotaSlot(id, issued, estTokens, estNanoUsd).header(),
                null, first.requestsLimit(), rr, reset(first.requestsResetMs(), elapsedMs), first.tokensLimit(), tr,
                reset(first.tokensResetMs(), elapsedMs));
    }

    private static long reset(long ms, long elapsedMs) {
        return ms < 0 ? ms : Math.max(0, ms - elapsedMs);
    }

    synchronized boolean givenOut() {
        return issued >= slots;
    }

    /** Closes the lease (no more slots); what it held beyond the slots given, or null when it was already closed. */
    synchronized Unissued close() {
        if (closed) {
            return null;
        }
        closed = true;
        return new Unissued(slots - issued, tokens - issuedTokens, nanoUsd - issuedNanoUsd);
    }
}
