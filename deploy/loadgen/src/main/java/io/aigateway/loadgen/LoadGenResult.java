package io.aigateway.loadgen;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.Map;

/**
 * Outcome of a run: throughput, latency percentiles (ms), responses by status, transport errors by kind, and the
 * {@link Extras} of {@code --check-content}, {@code --stream} and the prompt mix.
 */
public record LoadGenResult(LoadGenArgs args, double elapsedSeconds, Histogram latency, Histogram ttfb,
                            Map<Integer, Long> statuses, Map<String, Long> errors, Extras extras) {

    /**
     * @param ok          {@code --check-content}: 200s with non-empty content
     * @param noContent   {@code --check-content}: 200s without it
     * @param firstToken  {@code --stream}: time to the first content token (µs)
     * @param streams     {@code --stream}: streams by outcome ({@link StreamScanner.Outcome} keys), else empty
     * @param promptsVary whether prompts were varied (the body had a user message)
     * @param repeated    requests sent with a pool prompt during the window
     * @param unique      requests sent with a unique prompt during the window
     */
    public record Extras(long ok, long noContent, Histogram firstToken, Map<String, Long> streams,
                         boolean promptsVary, long repeated, long unique) {
    }

    /** Requests that got an answer or a transport error. */
    public long attempts() {
        return responses() + transportErrors();
    }

    /** Successes: clean streams ({@code --stream}), 200s with content ({@code --check-content}), else 2xx. */
    public long successes() {
        if (args.stream()) {
            return extras.streams().getOrDefault(StreamScanner.Outcome.CLEAN.key(), 0L);
        }
        if (args.checkContent()) {
            return extras.ok();
        }
        return responses() - non2xx();
    }

    /** Successes in percent of {@link #attempts()} (100 when there were none). */
    public double successRatePercent() {
        return attempts() == 0 ? 100 : successes() * 100.0 / attempts();
    }

    /** Responses received (any status). */
    public long responses() {
        return latency.getTotalCount();
    }

    public long non2xx() {
        return statuses.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() > 299)
                .mapToLong(Map.Entry::getValue).sum();
    }

    public long transportErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Completed responses per second over the measured window. */
    public double requestsPerSecond() {
        return elapsedSeconds > 0 ? responses() / elapsedSeconds : 0;
    }

    public double percentileMs(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    public JsonObject toJson() {
        JsonObject statusJson = new JsonObject();
        statuses.forEach((k, v) -> statusJson.put(String.valueOf(k), v));
        JsonObject errorJson = new JsonObject();
        errors.forEach(errorJson::put);
        JsonObject json = new JsonObject()
                .put("url", args.url().toString())
                .put("method", args.method())
                .put("concurrency", args.concurrency())
                .put("durationSeconds", round(elapsedSeconds, 3))
                .put("warmupSeconds", args.warmupMs() / 1000.0)
                .put("requests", responses())
                .put("rps", round(requestsPerSecond(), 1))
                .put("latencyMs", percentiles(latency))
                .put("ttfbMs", percentiles(ttfb))
                .put("status", statusJson)
                .put("non2xx", non2xx())
                .put("errors", errorJson)
                .put("errorsTotal", transportErrors() + non2xx());
        if (args.checkContent() || args.stream()) {
            json.put("attempts", attempts()).put("successes", successes())
                .put("successRate", successRatePercent());
        }
        if (args.checkContent() && !args.stream()) {
            json.put("noContent", extras.noContent());
        }
        if (args.stream()) {
            JsonObject streams = new JsonObject();
            extras.streams().forEach(streams::put);
            json.put("streams", streams).put("firstTokenMs", percentiles(extras.firstToken()));
        }
        if (extras.promptsVary()) {
            json.put("prompts", new JsonObject().put("repeatFraction", args.repeatFraction())
                    .put("pool", args.promptPool()).put("repeated", extras.repeated()).put("unique", extras.unique()));
        }
        return json;
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "loadgen: %s %s  concurrency=%d  measured=%.1fs  warmup=%.1fs%n",
                args.method(), args.url(), args.concurrency(), elapsedSeconds, args.warmupMs() / 1000.0));
        sb.append(String.format(Locale.ROOT, "requests    %d  (%.1f req/s)%n", responses(), requestsPerSecond()));
        sb.append(String.format(Locale.ROOT,
                "latency ms  p50 %.3f  p90 %.3f  p95 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f%n",
                ms(latency, 50), ms(latency, 90), ms(latency, 95), ms(latency, 99), ms(latency, 99.9),
                latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0,
                latency.getTotalCount() == 0 ? 0 : latency.getMean() / 1000.0));
        sb.append(String.format(Locale.ROOT, "headers ms  p50 %.3f  p99 %.3f%n", ms(ttfb, 50), ms(ttfb, 99)));
        StringBuilder status = new StringBuilder();
        statuses.forEach((k, v) -> status.append(k).append('=').append(v).append("  "));
        sb.append("status      ").append(status.length() == 0 ? "-" : status.toString().trim()).append('\n');
        StringBuilder errs = new StringBuilder();
        errors.forEach((k, v) -> errs.append(k).append('=').append(v).append("  "));
        sb.append("non-2xx     ").append(non2xx()).append('\n');
        sb.append("errors      ").append(errs.length() == 0 ? "0" : errs.toString().trim()).append('\n');
        if (args.checkContent() && !args.stream()) {
            sb.append(String.format(Locale.ROOT, "no content  %d  (200s without choices[0].message.content)%n",
                    extras.noContent()));
        }
        if (args.stream()) {
            StringBuilder st = new StringBuilder();
            extras.streams().forEach((k, v) -> st.append(k).append('=').append(v).append("  "));
            sb.append("streams     ").append(st.toString().trim()).append('\n');
            sb.append(String.format(Locale.ROOT, "1st token   p50 %.3f  p99 %.3f ms%n", ms(extras.firstToken(), 50),
                    ms(extras.firstToken(), 99)));
        }
        if (args.checkContent() || args.stream()) {
            sb.append(String.format(Locale.ROOT, "success     %d / %d  (%s%%)%n", successes(), attempts(),
                    percent(successRatePercent())));
        }
        if (extras.promptsVary()) {
            sb.append(String.format(Locale.ROOT, "prompts     %d repeated (pool of %d), %d unique%n",
                    extras.repeated(), args.promptPool(), extras.unique()));
        }
        return sb.toString();
    }

    private static JsonObject percentiles(Histogram h) {
        boolean empty = h.getTotalCount() == 0;
        return new JsonObject()
                .put("p50", ms(h, 50)).put("p90", ms(h, 90)).put("p95", ms(h, 95)).put("p99", ms(h, 99))
                .put("p999", ms(h, 99.9))
                .put("max", empty ? 0 : h.getMaxValue() / 1000.0)
                .put("mean", empty ? 0 : round(h.getMean() / 1000.0, 3));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** A percentage with enough digits to show one failure in a million (99.9987). */
    static String percent(double p) {
        return new java.math.BigDecimal(p).setScale(4, java.math.RoundingMode.DOWN).stripTrailingZeros()
                .toPlainString();
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
