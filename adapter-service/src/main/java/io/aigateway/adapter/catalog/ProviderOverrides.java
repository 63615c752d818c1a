package io.aigateway.adapter.catalog;

import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.contracts.config.ProviderOverride;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pure part of run-time configuration: a provider's file settings plus the {@link ProviderOverride} published on
 * {@code ai.config.v1} give its effective settings. A null override field keeps the file's value; a null override
 * (tombstone) is the file's settings.
 */
public final class ProviderOverrides {

    /** Why a provider an admin switched off is disabled. */
    public static final String ADMIN_OFF = "disabled by an administrator";

    private ProviderOverrides() {
    }

    /** What is wrong with an override (empty: it can be applied). Checked before anything is applied. */
    public static List<String> problems(ProviderOverride o) {
        List<String> problems = new ArrayList<>();
        if (o.priority() != null && Math.abs(o.priority()) > 1_000_000) {
            problems.add("priority " + o.priority() + " is out of range");
        }
        quality(problems, "qualityScore", o.qualityScore());
        for (Map.Entry<String, ProviderOverride.ModelOverride> e : o.models().entrySet()) {
            ProviderOverride.ModelOverride m = e.getValue();
            String at = "models." + e.getKey() + ".";
            if (m == null) {
                problems.add(at + " is null");
                continue;
            }
            price(problems, at + "promptPricePer1k", m.promptPricePer1k());
            price(problems, at + "completionPricePer1k", m.completionPricePer1k());
            if (m.contextWindow() != null && m.contextWindow() < 1) {
                problems.add(at + "contextWindow " + m.contextWindow() + " must be at least 1");
            }
            quality(problems, at + "qualityScore", m.qualityScore());
        }
        ProviderOverride.Timeouts t = o.timeouts();
        if (t != null) {
            positive(problems, "timeouts.connectMs", t.connectMs());
            positive(problems, "timeouts.firstByteMs", t.firstByteMs());
            positive(problems, "timeouts.betweenChunksMs", t.betweenChunksMs());
            positive(problems, "timeouts.totalMs", t.totalMs());
        }
        if (o.poolMaxConnections() != null && o.poolMaxConnections() < 1) {
            problems.add("poolMaxConnections " + o.poolMaxConnections() + " must be at least 1");
        }
        if (o.rateLimitPerMinute() != null && o.rateLimitPerMinute() < 0) {
            problems.add("rateLimitPerMinute " + o.rateLimitPerMinute() + " must not be negative");
        }
        return problems;
    }

    /**
     * The effective settings: the switch (a provider without its required API key stays disabled with that reason),
     * per-model enabled, prices, context window and quality (and the provider-wide quality), priority, timeouts, pool
     * size and request limit from the override, everything else from the file.
     */
    public static ProviderSettings effective(ProviderSettings file, ProviderOverride o) {
        if (o == null) {
            return file;
        }
        boolean on = o.enabled() != null ? o.enabled() : file.switchedOn();
        String offReason = Boolean.FALSE.equals(o.enabled()) ? ADMIN_OFF
                : file.switchedOn() ? ProviderCatalog.FILE_OFF : file.disabledReason();
        return file.with(on, offReason, o.applyTo(file.models()), pool(file, o), timeouts(file, o),
                o.priority() != null ? o.priority() : file.priority(),
                o.rateLimitPerMinute() != null ? o.rateLimitPerMinute() : file.rateLimitPerMinute());
    }

    /**
     * The settings an adapter is built from: the file's catalog (the override's catalog fields are applied on top of
     * whatever the adapter serves, discovered models included) with the effective connection settings.
     */
    public static ProviderSettings connection(ProviderSettings file, ProviderSettings effective) {
        return file.with(file.switchedOn(), file.disabledReason(), file.models(), effective.pool(), effective.timeouts(),
                file.priority(), file.rateLimitPerMinute());
    }

    /** Whether two settings need the same adapter (same timeouts and pool); otherwise it is rebuilt. */
    public static boolean sameConnection(ProviderSettings a, ProviderSettings b) {
        return ProviderSettings.TimeoutValues.of(a.timeouts()).equals(ProviderSettings.TimeoutValues.of(b.timeouts()))
                && ProviderSettings.PoolValues.of(a.pool()).equals(ProviderSettings.PoolValues.of(b.pool()));
    }

    private static ProviderSettings.PoolValues pool(ProviderSettings file, ProviderOverride o) {
        ProviderSettings.PoolValues p = ProviderSettings.PoolValues.of(file.pool());
        return o.poolMaxConnections() == null ? p
                : new ProviderSettings.PoolValues(o.poolMaxConnections(), p.keepAlive(), p.keepAliveTimeout());
    }

    private static ProviderSettings.TimeoutValues timeouts(ProviderSettings file, ProviderOverride o) {
        ProviderSettings.TimeoutValues t = ProviderSettings.TimeoutValues.of(file.timeouts());
        ProviderOverride.Timeouts ot = o.timeouts();
        if (ot == null) {
            return t;
        }
        return new ProviderSettings.TimeoutValues(ms(ot.connectMs(), t.connect()), ms(ot.firstByteMs(), t.firstByte()),
                ms(ot.betweenChunksMs(), t.betweenChunks()), ms(ot.totalMs(), t.total()));
    }

    private static Duration ms(Long value, Duration otherwise) {
        return value == null ? otherwise : Duration.ofMillis(value);
    }

    private static void price(List<String> problems, String field, BigDecimal price) {
        if (price != null && price.signum() < 0) {
            problems.add(field + " " + price.toPlainString() + " must not be negative");
        }
    }

    private static void quality(List<String> problems, String field, Double q) {
        if (q != null && (q.isNaN() || q < 0 || q > 1)) {
            problems.add(field + " " + q + " must be between 0 and 1");
        }
    }

    private static void positive(List<String> problems, String field, Long ms) {
        if (ms != null && ms < 1) {
            problems.add(field + " " + ms + " must be positive");
        }
    }
}
