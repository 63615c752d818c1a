package io.aigateway.usage.records.service;

import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.config.UsageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes the text of a usage event storable, so that a record is never sent to the DLQ (and lost) because of
 * characters a client chose: PostgreSQL {@code text} cannot hold U+0000 and {@code jsonb} (the attempts)
 * rejects it and unpaired surrogates, so both become U+FFFD; over-long values are cut (model names at
 * {@code aigw.usage.limits.max-model-length}, other text at {@code max-text-length}) without splitting a
 * surrogate pair. A {@code traceId} that is not a W3C trace id (32 lowercase hex digits, not all zero) is dropped.
 * Everything else is stored as sent. An event that needs none of this is returned as is.
 */
@ApplicationScoped
public class UsageEventSanitizer {

    static final char REPLACEMENT = '\uFFFD';

    private final int maxModel;
    private final int maxText;

    @Inject
    public UsageEventSanitizer(UsageConfig config) {
        this(config.limits().maxModelLength(), config.limits().maxTextLength());
    }

    public UsageEventSanitizer(int maxModelLength, int maxTextLength) {
        if (maxModelLength < 1 || maxTextLength < 1) {
            throw new IllegalArgumentException("limits must be at least 1");
        }
        this.maxModel = maxModelLength;
        this.maxText = maxTextLength;
    }

    /** The event with storable text; the same instance when nothing had to change. */
    public UsageEvent sanitize(UsageEvent e) {
        String requestId = clean(e.requestId(), maxText);
        String userId = clean(e.userId(), maxText);
        String keyId = clean(e.keyId(), maxText);
        String context = clean(e.context(), maxText);
        String requestedModel = clean(e.requestedModel(), maxModel);
        String provider = clean(e.provider(), maxText);
        String model = clean(e.model(), maxModel);
        String policy = clean(e.policy(), maxText);
        String errorClass = clean(e.errorClass(), maxText);
        String traceId = traceId(e.traceId());
        List<UsageEvent.Attempt> attempts = e.attempts();
        List<UsageEvent.Attempt> cleanAttempts = null;
        for (int i = 0; i < attempts.size(); i++) {
            UsageEvent.Attempt a = attempts.get(i);
            UsageEvent.Attempt c = new UsageEvent.Attempt(clean(a.provider(), maxText), clean(a.model(), maxModel),
                    clean(a.errorClass(), maxText), a.status(), a.latencyMs());
            if (cleanAttempts == null && !sameText(a, c)) {
                cleanAttempts = new ArrayList<>(attempts.subList(0, i));
            }
            if (cleanAttempts != null) {
                cleanAttempts.add(c);
            }
        }
        if (cleanAttempts == null && same(requestId, e.requestId()) && same(userId, e.userId())
                && same(keyId, e.keyId()) && same(context, e.context()) && same(requestedModel, e.requestedModel())
                && same(provider, e.provider()) && same(model, e.model()) && same(policy, e.policy())
                && same(errorClass, e.errorClass()) && same(traceId, e.traceId())) {
            return e;
        }
        return new UsageEvent(e.eventId(), requestId, e.occurredAt(), userId, keyId, context, requestedModel,
                provider, model, policy, e.promptTokens(), e.completionTokens(), e.totalTokens(), e.usageEstimated(),
                e.costUsd(), e.costSavedUsd(), e.latencyMs(), e.ttftMs(), e.streamed(), e.cached(), e.outcome(),
                errorClass, cleanAttempts == null ? attempts : cleanAttempts, traceId);
    }

    /** {@code id} when it is a valid W3C trace id (32 lowercase hex digits, not all zero), else null. */
    static String traceId(String id) {
        if (id == null || id.length() != 32) {
            return null;
        }
        boolean nonZero = false;
        for (int i = 0; i < 32; i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
            nonZero |= c != '0';
        }
        return nonZero ? id : null;
    }

    /** {@code s} without NUL and unpaired surrogates, at most {@code max} characters; {@code s} itself when clean. */
    static String clean(String s, int max) {
        if (s == null) {
            return null;
        }
        int end = s.length();
        if (end > max) {
            end = max;
            if (Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
                end--;
            }
        }
        StringBuilder out = null;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            boolean bad;
            if (c == '\u0000') {
                bad = true;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                    if (out != null) {
                        out.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                bad = true;
            } else {
                bad = Character.isLowSurrogate(c);
            }
            if (bad && out == null) {
                out = new StringBuilder(end).append(s, 0, i);
            }
            if (out != null) {
                out.append(bad ? REPLACEMENT : c);
            }
        }
        if (out != null) {
            return out.toString();
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    private static boolean same(String a, String b) {
        return a == b;
    }

    private static boolean sameText(UsageEvent.Attempt a, UsageEvent.Attempt b) {
        return a.provider() == b.provider() && a.model() == b.model() && a.errorClass() == b.errorClass();
    }
}
