package io.aigateway.loadgen;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line options of the load generator.
 *
 * @param url         target URL (http or https)
 * @param method      HTTP method (POST when a body is given, else GET, unless {@code --method})
 * @param headers     extra request headers, in order
 * @param body        request body or null
 * @param concurrency number of concurrent closed-loop clients
 * @param connections connection pool size (default = concurrency)
 * @param durationMs  measured duration
 * @param warmupMs    unrecorded warm-up before the measured window
 * @param timeoutMs   per-request idle timeout
 * @param eventLoops  event loops (each with its own client and share of the clients)
 * @param json        machine-readable output
 * @param checkContent a 200 counts as a success only with a non-empty {@code choices[0].message.content}
 * @param stream      read answers as SSE streams and classify how each ended (sets {@code "stream": true})
 * @param repeatFraction fraction (0..1) of requests that reuse a prompt from a fixed pool; the rest get unique ones
 * @param promptPool  size of that pool
 */
public record LoadGenArgs(URI url, String method, List<Map.Entry<String, String>> headers, byte[] body,
                          int concurrency, int connections, long durationMs, long warmupMs, long timeoutMs,
                          int eventLoops, boolean json, boolean checkContent, boolean stream, double repeatFraction,
                          int promptPool) {

    public static final String USAGE = """
            usage: java -jar loadgen.jar --url URL [options]
              --url URL              target (http:// or https://)
              --method M             HTTP method (default POST with a body, GET without)
              --header 'Name: value' request header, repeatable
              --body TEXT | --body-file FILE   request body (Content-Type defaults to application/json)
              --concurrency N        concurrent closed-loop clients (default 100)
              --connections N        connection pool size (default = concurrency)
              --duration D           measured time, e.g. 20s, 500ms, 2m (default 20s)
              --warmup D             unrecorded warm-up before measuring (default 0s)
              --timeout D            per-request idle timeout (default 30s)
              --event-loops N        client event loops (default 1)
              --json                 print one JSON object instead of text
              --check-content        a 200 is a success only with non-empty choices[0].message.content
              --stream               SSE answers ("stream": true is set in a JSON body); counts clean streams,
                                     error chunks after/before the first token, silent ends and hung streams
              --repeat-fraction F    0..1: fraction of requests reusing a prompt from a fixed pool, the rest
                                     get unique prompts (default 0: every prompt unique)
              --prompt-pool N        size of that pool (default 8)""";

    /** Thrown for invalid command lines; the message is meant for the user. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }

    public static LoadGenArgs parse(String... args) throws UsageException {
        String url = null;
        String method = null;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String bodyText = null;
        String bodyFile = null;
        int concurrency = 100;
        Integer connections = null;
        long duration = 20_000;
        long warmup = 0;
        long timeout = 30_000;
        int loops = 1;
        boolean json = false;
        boolean checkContent = false;
        boolean stream = false;
        double repeatFraction = 0;
        int promptPool = 8;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            String inline = eq > 0 ? arg.substring(eq + 1) : null;
            if (name.equals("--json")) {
                json = true;
                continue;
            }
            if (name.equals("--check-content")) {
                checkContent = true;
                continue;
            }
            if (name.equals("--stream")) {
                stream = true;
                continue;
            }
            if (name.equals("--help") || name.equals("-h")) {
                throw new UsageException("");
            }
            String value;
            if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("missing value for " + name);
            }
            switch (name) {
                case "--url" -> url = value;
                case "--method" -> method = value.toUpperCase(Locale.ROOT);
                case "--header", "-H" -> {
                    int colon = value.indexOf(':');
                    if (colon <= 0) {
                        throw new UsageException("--header must look like 'Name: value', got '" + value + "'");
                    }
                    headers.add(Map.entry(value.substring(0, colon).trim(), value.substring(colon + 1).trim()));
                }
                case "--body" -> bodyText = value;
                case "--body-file" -> bodyFile = value;
                case "--concurrency", "-c" -> concurrency = positiveInt(name, value);
                case "--connections" -> connections = positiveInt(name, value);
                case "--duration", "-d" -> duration = durationMs(name, value);
                case "--warmup" -> warmup = durationMs(name, value);
                case "--timeout" -> timeout = durationMs(name, value);
                case "--event-loops" -> loops = positiveInt(name, value);
                case "--repeat-fraction" -> repeatFraction = fraction(name, value);
                case "--prompt-pool" -> promptPool = positiveInt(name, value);
                default -> throw new UsageException("unknown option " + name);
            }
        }
        if (url == null) {
            throw new UsageException("--url is required");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid --url: " + url);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new UsageException("--url must be an absolute http(s) URL, got '" + url + "'");
        }
        if (bodyText != null && bodyFile != null) {
            throw new UsageException("use either --body or --body-file, not both");
        }
        byte[] body = null;
        if (bodyText != null) {
            body = bodyText.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else if (bodyFile != null) {
            try {
                body = Files.readAllBytes(Path.of(bodyFile));
            } catch (IOException e) {
                throw new UsageException("cannot read --body-file " + bodyFile + ": " + e.getMessage());
            }
        }
        if (duration <= 0) {
            throw new UsageException("--duration must be > 0");
        }
        if (method == null) {
            method = body != null ? "POST" : "GET";
        }
        if (body != null && headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("content-type"))) {
            headers.add(Map.entry("Content-Type", "application/json"));
        }
        if (loops > concurrency) {
            loops = concurrency;
        }
        return new LoadGenArgs(uri, method, List.copyOf(headers), body, concurrency,
                connections != null ? connections : concurrency, duration, warmup, timeout, loops, json, checkContent,
                stream, repeatFraction, promptPool);
    }

    /** "20s", "500ms", "2m", "1.5s", "1h", or a bare number of seconds. */
    static long durationMs(String name, String value) throws UsageException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        double factor;
        String number;
        if (v.endsWith("ms")) {
            factor = 1;
            number = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            factor = 1000;
            number = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            factor = 60_000;
            number = v.substring(0, v.length() - 1);
        } else if (v.endsWith("h")) {
            factor = 3_600_000;
            number = v.substring(0, v.length() - 1);
        } else {
            factor = 1000;
            number = v;
        }
        try {
            double n = Double.parseDouble(number);
            if (n < 0 || Double.isNaN(n) || Double.isInfinite(n)) {
                throw new NumberFormatException();
            }
            return Math.round(n * factor);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a duration like 20s, 500ms or 2m, got '" + value + "'");
        }
    }

    private static double fraction(String name, String value) throws UsageException {
        try {
            double f = Double.parseDouble(value.trim());
            if (!(f >= 0 && f <= 1)) {
                throw new NumberFormatException();
            }
            return f;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number from 0 to 1, got '" + value + "'");
        }
    }

    private static int positiveInt(String name, String value) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a positive integer, got '" + value + "'");
        }
    }
}
