package io.aigateway.usage.analytics.service;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.usage.UsageEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Strict parsing of the analytics query parameters; every bad value is a 400 envelope naming its parameter. */
public final class AnalyticsParams {

    public static final Duration DEFAULT_RANGE = Duration.ofDays(30);
    /** Longest accepted range (a wider one is almost surely a typo and would scan everything). */
    public static final Duration MAX_RANGE = Duration.ofDays(3660);
    private static final int MAX_FILTER_LENGTH = 1024;

    public static final Map<String, Duration> WINDOWS = Map.of(
            "15m", Duration.ofMinutes(15), "1h", Duration.ofHours(1), "24h", Duration.ofHours(24));

    private AnalyticsParams() {
    }

    /** [from, to): both instants; {@code to} defaults to now, {@code from} to {@code to} − 30 days. */
    public record TimeRange(Instant from, Instant to) {
    }

    /** Equality filters; null = no filter. */
    public record Filters(String userId, String keyId, String provider, String model, String context,
                          String outcome) {
        public static final Filters NONE = new Filters(null, null, null, null, null, null);

        /** The rollup has neither user nor key: a filter on them must read raw rows. */
        public boolean needsRawRows() {
            return userId != null || keyId != null;
        }
    }

    public static TimeRange range(String from, String to, Instant now) {
        Instant end = to == null || to.isBlank() ? now.truncatedTo(ChronoUnit.MICROS) : instant(to, "to");
        Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_RANGE) : instant(from, "from");
        if (!start.isBefore(end)) {
            throw ApiError.badRequest("'from' must be before 'to'.", "from").exception();
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw ApiError.badRequest("The range from 'from' to 'to' may span at most " + MAX_RANGE.toDays()
                    + " days.", "from").exception();
        }
        return new TimeRange(start, end);
    }

    /** An ISO-8601 instant ({@code 2026-12-03T10:00:00Z}, offsets allowed) or a date (start of that UTC day). */
    public static Instant instant(String value, String param) {
        String v = value.trim();
        if (v.length() <= 40) {
            try {
                return OffsetDateTime.parse(v).toInstant().truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeParseException e) {
                // not an instant, maybe a date
            }
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                // neither
            }
        }
        throw ApiError.badRequest("'" + param + "' must be an ISO-8601 instant (2026-12-03T10:00:00Z) or date "
                + "(2026-12-03).", param).exception();
    }

    /** Repeated and/or comma-separated values; duplicates are refused, order is kept. */
    public static List<GroupBy> groupBy(List<String> values, Set<GroupBy> allowed) {
        List<GroupBy> out = new ArrayList<>();
        if (values == null) {
            return out;
        }
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String part : value.split(",", -1)) {
                if (part.isBlank() && value.isBlank()) {
                    continue;
                }
                GroupBy g = part.isBlank() ? null : GroupBy.of(part);
                if (g == null || !allowed.contains(g)) {
                    throw ApiError.badRequest("'groupBy' must be one or more of " + names(allowed) + ".", "groupBy")
                            .exception();
                }
                if (out.contains(g)) {
                    throw ApiError.badRequest("'groupBy' names '" + g.param() + "' twice.", "groupBy").exception();
                }
                out.add(g);
            }
        }
        return out;
    }

    public static int limit(String value, int defaultLimit, int maxLimit) {
        if (value == null || value.isBlank()) {
            return defaultLimit;
        }
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 1 || v > maxLimit) {
            throw ApiError.badRequest("'limit' must be an integer from 1 to " + maxLimit + ".", "limit").exception();
        }
        return v;
    }

    public static Filters filters(String userId, String keyId, String provider, String model, String context,
                                  String outcome) {
        String o = text(outcome, "outcome");
        if (o != null) {
            try {
                o = UsageEvent.Outcome.valueOf(o.toUpperCase(Locale.ROOT)).name();
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("'outcome' must be one of SUCCESS, ERROR, PARTIAL.", "outcome").exception();
            }
        }
        return new Filters(text(userId, "userId"), text(keyId, "keyId"), text(provider, "provider"),
                text(model, "model"), text(context, "context"), o);
    }

    public static Duration window(String value) {
        Duration d = value == null ? null : WINDOWS.get(value.trim());
        if (d == null) {
            throw ApiError.badRequest("'window' must be one of 15m, 1h, 24h.", "window").exception();
        }
        return d;
    }

    private static String text(String value, String param) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_FILTER_LENGTH) {
            throw ApiError.badRequest("'" + param + "' is longer than " + MAX_FILTER_LENGTH + " characters.", param)
                    .exception();
        }
        return value;
    }

    private static String names(Set<GroupBy> allowed) {
        List<String> names = new ArrayList<>();
        for (GroupBy g : GroupBy.values()) {
            if (allowed.contains(g)) {
                names.add(g.param());
            }
        }
        return String.join(", ", names);
    }
}
