package io.aigateway.edge.quota;

import io.aigateway.contracts.error.ApiError;
import io.vertx.core.MultiMap;

/**
 * The edge's answer to "may this request run?": admitted (with a reservation to settle, or none when no limit
 * applies), admitted by the local limit (Redis down), or refused; and the {@code x-ratelimit-*} values to report
 * (-1: no such limit applies).
 */
public record QuotaDecision(Kind kind, String reservation, Refusal refusal, long requestsLimit,
                            long requestsRemaining, long requestsResetMs, long tokensLimit, long tokensRemaining,
                            long tokensResetMs) {

    public enum Kind { RESERVED, UNLIMITED, LOCAL, REFUSED }

    /**
     * Why a request was refused: a per-minute window ({@code rate_limit_exceeded}) or a day/month budget; {@code window}
     * ({@code minute|day|month}) and {@code metric} ({@code requests|tokens|spendUsd}) of the refusing limit, the labels
     * of {@code aigw_quota_rejections_total}.
     */
    public record Refusal(boolean budget, long retryAfterMs, String what, String window, String metric) {

        /** A refusal by a per-minute request limit (the local limiter's). */
        public Refusal(boolean budget, long retryAfterMs, String what) {
            this(budget, retryAfterMs, what, "minute", "requests");
        }
    }

    static final QuotaDecision OFF = new QuotaDecision(Kind.UNLIMITED, null, null, -1, -1, -1, -1, -1, -1);

    /** This decision, carrying {@code id} to be settled (a reservation that may exist although Redis timed out). */
    QuotaDecision withReservation(String id) {
        return refused() ? this : new QuotaDecision(kind, id, refusal, requestsLimit, requestsRemaining, requestsResetMs,
                tokensLimit, tokensRemaining, tokensResetMs);
    }

    public boolean refused() {
        return kind == Kind.REFUSED;
    }

    /** OpenAI's rate-limit headers, for the limits that apply. */
    public void applyTo(MultiMap headers) {
        if (requestsLimit >= 0) {
            headers.set("x-ratelimit-limit-requests", Long.toString(requestsLimit));
            headers.set("x-ratelimit-remaining-requests", Long.toString(Math.max(0, requestsRemaining)));
            headers.set("x-ratelimit-reset-requests", duration(requestsResetMs));
        }
        if (tokensLimit >= 0) {
            headers.set("x-ratelimit-limit-tokens", Long.toString(tokensLimit));
            headers.set("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, tokensRemaining)));
            headers.set("x-ratelimit-reset-tokens", duration(tokensResetMs));
        }
    }

    /** The 429 of a refusal, in the OpenAI envelope, with {@code Retry-After} (whole seconds, at least 1). */
    public ApiError error() {
        long seconds = Math.max(1, (refusal.retryAfterMs() + 999) / 1000);
        ApiError e = refusal.budget()
                ? new ApiError(429, "insufficient_quota", "insufficient_quota", null,
                "You exceeded your quota (" + refusal.what() + "); it resets in " + duration(refusal.retryAfterMs())
                        + ". Ask an administrator for a higher limit.", null)
                : new ApiError(429, "requests", "rate_limit_exceeded", null,
                "Rate limit reached (" + refusal.what() + "); retry in " + duration(refusal.retryAfterMs()) + ".", null);
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        applyTo(h);
        for (var entry : h) {
            e = e.withHeader(entry.getKey(), entry.getValue());
        }
        return e.withHeader("retry-after", Long.toString(seconds));
    }

    /** A duration the way OpenAI writes its reset headers: {@code 250ms}, {@code 17s}, {@code 6m0s}, {@code 1h2m3s}. */
    static String duration(long ms) {
        if (ms < 0) {
            ms = 0;
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = (ms + 999) / 1000;
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            b.append(m).append('m');
        }
        return b.append(sec).append('s').toString();
    }
}
