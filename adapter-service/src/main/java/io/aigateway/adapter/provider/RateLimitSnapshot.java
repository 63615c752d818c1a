package io.aigateway.adapter.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.MultiMap;

import java.time.Instant;

/**
 * The provider's last {@code x-ratelimit-*} (or Anthropic {@code anthropic-ratelimit-*}) headers ({@code limit|remaining|reset}-{@code requests|tokens}).
 * Fields are null when the provider did not send them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RateLimitSnapshot(Long limitRequests, Long remainingRequests, String resetRequests,
                                Long limitTokens, Long remainingTokens, String resetTokens, Instant observedAt) {

    public static final RateLimitSnapshot NONE = new RateLimitSnapshot(null, null, null, null, null, null, null);

    /** @return the snapshot in {@code headers}, or null when they carry none */
    public static RateLimitSnapshot from(MultiMap headers) {
        String lr = header(headers, "x-ratelimit-limit-requests", "anthropic-ratelimit-requests-limit");
        String rr = header(headers, "x-ratelimit-remaining-requests", "anthropic-ratelimit-requests-remaining");
        String lt = header(headers, "x-ratelimit-limit-tokens", "anthropic-ratelimit-tokens-limit");
        String rt = header(headers, "x-ratelimit-remaining-tokens", "anthropic-ratelimit-tokens-remaining");
        String resetR = header(headers, "x-ratelimit-reset-requests", "anthropic-ratelimit-requests-reset");
        String resetT = header(headers, "x-ratelimit-reset-tokens", "anthropic-ratelimit-tokens-reset");
        if (lr == null && rr == null && lt == null && rt == null && resetR == null && resetT == null) {
            return null;
        }
        return new RateLimitSnapshot(parse(lr), parse(rr), resetR, parse(lt), parse(rt), resetT, Instant.now());
    }

    /** OpenAI's header, else Anthropic's equivalent ({@code anthropic-ratelimit-*}). */
    private static String header(MultiMap headers, String openAi, String anthropic) {
        String v = headers.get(openAi);
        return v != null ? v : headers.get(anthropic);
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
