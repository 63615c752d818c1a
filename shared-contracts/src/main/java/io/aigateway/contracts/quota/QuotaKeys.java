package io.aigateway.contracts.quota;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * The Redis layout of quota limits and counters, shared by gateway-edge (reserve.lua), routing-service (settle.lua)
 * and usage-service (which owns the data: it writes limits and rebuilds counters from PostgreSQL). {@code P} is the
 * prefix ({@link #DEFAULT_PREFIX}); a subject is {@code u:{userId}} or {@code k:{keyId}}.
 * <ul>
 * <li>{@code P ready} — string; present once usage-service has loaded every limit. Absent (e.g. after a flush): the
 * edge applies its local limit until usage-service has rebuilt limits and counters.</li>
 * <li>{@code P l:d} — hash: the default tier's limits (users without a quota row); {@code P l:u:{userId}} — hash:
 * a user's effective limits (tier overlaid with the user's overrides); {@code P l:k:{keyId}} — hash: a key's own
 * limits. Fields {@code <window>:<metric>} ({@link #field}) and {@code tier}; a missing field is unlimited.</li>
 * <li>{@code P c:<subject>:<window id>} — hash of one window's used amounts {@code req tok usd}; money in nano-USD
 * (integers). Window ids: {@code m<epoch minute>}, {@code d<epoch day>}, {@code M<yyyyMM>} (UTC).</li>
 * <li>{@code P c:<subject>:r} — hash of what the subject's open reservations hold, {@code rreq rtok rusd}; it
 * counts against every window.</li>
 * <li>{@code P p:<subject>} — sorted set of open reservations (score: expiry, epoch ms);
 * {@code P r:<reservation id>} — hash of one reservation (subjects and their members of the sorted sets).</li>
 * </ul>
 */
public final class QuotaKeys {

    public static final String DEFAULT_PREFIX = "aigw:q:";
    /** Money in Redis: integer nano-USD (1e-9), exact for the 10-decimal costs of usage events up to ~$9M a window. */
    public static final int USD_SCALE = 9;

    private QuotaKeys() {
    }

    public enum Window {
        MINUTE("m", "minute"), DAY("d", "day"), MONTH("M", "month");

        public final String code;
        public final String wire;

        Window(String code, String wire) {
            this.code = code;
            this.wire = wire;
        }

        public static Window fromWire(String wire) {
            for (Window w : values()) {
                if (w.wire.equals(wire)) {
                    return w;
                }
            }
            return null;
        }

        /** The id of the window holding {@code at}, as reserve.lua makes it. */
        public String id(Instant at) {
            long ms = at.toEpochMilli();
            return switch (this) {
                case MINUTE -> code + Math.floorDiv(ms, 60_000L);
                case DAY -> code + Math.floorDiv(ms, 86_400_000L);
                case MONTH -> {
                    YearMonth ym = YearMonth.from(at.atOffset(ZoneOffset.UTC));
                    yield code + String.format("%04d%02d", ym.getYear(), ym.getMonthValue());
                }
            };
        }

        public Instant start(Instant at) {
            long ms = at.toEpochMilli();
            return switch (this) {
                case MINUTE -> Instant.ofEpochMilli(Math.floorDiv(ms, 60_000L) * 60_000L);
                case DAY -> Instant.ofEpochMilli(Math.floorDiv(ms, 86_400_000L) * 86_400_000L);
                case MONTH -> YearMonth.from(at.atOffset(ZoneOffset.UTC)).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            };
        }

        /** When the window holding {@code at} ends (the next one starts): {@code resetsAt}. */
        public Instant end(Instant at) {
            return switch (this) {
                case MINUTE -> start(at).plusSeconds(60);
                case DAY -> start(at).plusSeconds(86_400);
                case MONTH -> {
                    LocalDate first = YearMonth.from(at.atOffset(ZoneOffset.UTC)).plusMonths(1).atDay(1);
                    yield first.atStartOfDay().toInstant(ZoneOffset.UTC);
                }
            };
        }
    }

    public enum Metric {
        REQUESTS("req", "requests"), TOKENS("tok", "tokens"), SPEND("usd", "spendUsd");

        public final String code;
        public final String wire;

        Metric(String code, String wire) {
            this.code = code;
            this.wire = wire;
        }

        /** The reserved-amount field of a counter hash. */
        public String reservedField() {
            return "r" + code;
        }
    }

    public static String field(Window w, Metric m) {
        return w.code + ":" + m.code;
    }

    public static String ready(String prefix) {
        return prefix + "ready";
    }

    public static String defaultLimits(String prefix) {
        return prefix + "l:d";
    }

    public static String userLimits(String prefix, String userId) {
        return prefix + "l:u:{" + userId + "}";
    }

    public static String keyLimits(String prefix, String keyId) {
        return prefix + "l:k:{" + keyId + "}";
    }

    public static String userSubject(String userId) {
        return "u:{" + userId + "}";
    }

    public static String keySubject(String keyId) {
        return "k:{" + keyId + "}";
    }

    public static String counter(String prefix, String subject, Window w, Instant at) {
        return prefix + "c:" + subject + ":" + w.id(at);
    }

    /** The subject's reserved amounts ({@code rreq rtok rusd}), counted against each of its windows. */
    public static String reserved(String prefix, String subject) {
        return prefix + "c:" + subject + ":r";
    }

    public static String pending(String prefix, String subject) {
        return prefix + "p:" + subject;
    }

    public static String reservation(String prefix, String id) {
        return prefix + "r:" + id;
    }

    /** reserve.lua, the script the edge runs per request. */
    public static String reserveScript() {
        return script("reserve.lua");
    }

    /** settle.lua, the script that settles a reservation with what the request's usage event says. */
    public static String settleScript() {
        return script("settle.lua");
    }

    private static String script(String name) {
        try (InputStream in = QuotaKeys.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
