package io.aigateway.adapter.provider;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses a provider's retry hint: {@code retry-after-ms} wins, then {@code retry-after} (seconds or HTTP date). */
public final class RetryAfter {

    /** Hints longer than this are capped (a provider asking for hours is as good as "not now"). */
    static final long MAX_MS = Duration.ofHours(1).toMillis();

    private RetryAfter() {
    }

    /** @return milliseconds to wait, or null when neither header is usable */
    public static Long parse(String retryAfterMs, String retryAfter, Instant now) {
        Long ms = parseMs(retryAfterMs);
        if (ms != null) {
            return ms;
        }
        return parseRetryAfter(retryAfter, now);
    }

    static Long parseMs(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double v = Double.parseDouble(value.trim());
            if (Double.isNaN(v) || v < 0) {
                return null;
            }
            return Math.min(MAX_MS, (long) Math.ceil(v));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Long parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            if (Double.isNaN(seconds) || seconds < 0) {
                return null;
            }
            return Math.min(MAX_MS, (long) Math.ceil(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.min(MAX_MS, Math.max(0, Duration.between(now, at).toMillis()));
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
