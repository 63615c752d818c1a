package io.aigateway.adapter.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.MultiMap;

import java.time.Instant;

/**
 * The provider's last {@code x-ratelimit-*} headers ({@code limit|remaining|reset}-{@code requests|tokens}).
 * Fields are null when the provider did not send them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimitSnapshot(Long limitRequests, Long remainingRequests, String resetRequests,
                                Long limitTokens, Long remainingTokens, String resetTokens, Instant observedAt) {

    public static final RateLimitSnapshot NONE = new RateLimitSnapshot(null, null, null, null, null, null, null);

    /** @return the snapshot in {@code headers}, or null when they carry none */
    public static RateLimitSnapshot from(MultiMap headers) {
        String lr = headers.get("x-ratelimit-limit-requests");
        String rr = headers.get("x-ratelimit-remaining-requests");
        String lt = headers.get("x-ratelimit-limit-tokens");
        String rt = headers.get("x-ratelimit-remaining-tokens");
        String resetR = headers.get("x-ratelimit-reset-requests");
        String resetT = headers.get("x-ratelimit-reset-tokens");
        if (lr == null && rr == null && lt == null && rt == null && resetR == null && resetT == null) {
            return null;
        }
        return new RateLimitSnapshot(parse(lr), parse(rr), resetR, parse(lt), parse(rt), resetT, Instant.now());
    }

    private static Long parse(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
