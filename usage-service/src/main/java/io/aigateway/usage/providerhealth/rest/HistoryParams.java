package io.aigateway.usage.providerhealth.rest;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.usage.providerhealth.config.HealthHistoryConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * The query parameters shared by the history routes ({@code /internal/v1/health/history}, {@code /internal/v1/alerts}):
 * a time window, a page size and a keyset cursor. Every bad value is a 400 envelope naming its parameter.
 */
@ApplicationScoped
public class HistoryParams {

    /** Longest filter value accepted (provider ids, types, subjects). */
    static final int MAX_FILTER_LENGTH = 512;

    private final HealthHistoryConfig.Query config;
    private final Clock clock;

    public HistoryParams(HealthHistoryConfig config) {
        this.config = config.query();
        this.clock = Clock.systemUTC();
    }

    /** {@code [from, to)}: {@code to} defaults to now, {@code from} to {@code to} minus the default window (30 days). */
    public record TimeRange(Instant from, Instant to) {
    }

    /** A position in a newest-first listing: the last row served (its time and its row id). */
    public record Cursor(Instant occurredAt, long id) {

        public String encode() {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
        }
    }

    public TimeRange range(String from, String to) {
        Instant end = to == null || to.isBlank() ? clock.instant() : instant(to, "to");
        Instant start = from == null || from.isBlank() ? end.minus(config.defaultWindow()) : instant(from, "from");
        if (!start.isBefore(end)) {
            throw ApiError.badRequest("Query parameter 'from' must be before 'to'.", "from").exception();
        }
        return new TimeRange(start, end);
    }

    public int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return config.defaultLimit();
        }
        int value;
        try {
            value = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1 || value > config.maxLimit()) {
            throw ApiError.badRequest("Query parameter 'limit' must be an integer from 1 to " + config.maxLimit() + ".",
                    "limit").exception();
        }
        return value;
    }

    /** Null when absent. */
    public Cursor cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.US_ASCII);
            int colon = text.indexOf(':');
            long micros = Long.parseLong(text.substring(0, colon));
            long id = Long.parseLong(text.substring(colon + 1));
            return new Cursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id);
        } catch (RuntimeException e) {
            throw ApiError.badRequest("Query parameter 'cursor' is not a cursor from a previous page.", "cursor")
                    .exception();
        }
    }

    /** An optional exact-match filter: null when absent, 400 when over-long. */
    public String filter(String value, String param) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_FILTER_LENGTH || value.indexOf('\0') >= 0) {
            throw ApiError.badRequest("Query parameter '" + param + "' is not a valid value.", param).exception();
        }
        return value;
    }

    /** An ISO-8601 instant ({@code 2026-12-01T10:00:00Z}, or with an offset) or a date (start of that UTC day). */
    static Instant instant(String value, String param) {
        String v = value.trim();
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("Query parameter '" + param
                    + "' must be an ISO-8601 instant (2026-12-01T10:00:00Z) or date (2026-12-01).", param).exception();
        }
    }
}
