package io.aigateway.admin.providers.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.text.LogSafe;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON merge patch (RFC 7396) of a provider's override: what it may hold, checked field by field (400 with
 * {@code param} naming the field, before anything is stored), and the merge itself. Pure: no I/O.
 * <p>
 * Patchable: {@code enabled}, {@code priority}, {@code qualityScore} (0..1), {@code models: {<id>: {enabled,
 * promptPricePer1k, completionPricePer1k, contextWindow, qualityScore}}}, {@code timeouts: {connectMs, firstByteMs,
 * betweenChunksMs, totalMs}}, {@code poolMaxConnections}, {@code rateLimitPerMinute}. {@code null} removes the
 * field (the configuration file's value applies again). Secrets and URLs are never accepted: they stay in the
 * environment / secret store.
 */
public final class ProviderPatch {

    static final Set<String> FIELDS = Set.of("enabled", "priority", "qualityScore", "models", "timeouts",
            "poolMaxConnections", "rateLimitPerMinute");
    static final Set<String> MODEL_FIELDS = Set.of("enabled", "promptPricePer1k", "completionPricePer1k",
            "contextWindow", "qualityScore");
    static final Set<String> TIMEOUT_FIELDS = Set.of("connectMs", "firstByteMs", "betweenChunksMs", "totalMs");
    /** Names that look like a secret or an address: refused with a message saying where they belong. */
    private static final Pattern SECRET = Pattern.compile(
            ".*(key|secret|token|password|passwd|credential|auth|url|uri|host|endpoint).*");
    private static final BigDecimal MAX_PRICE = new BigDecimal("1000000");

    private ProviderPatch() {
    }

    /**
     * Checks {@code patch} against the provider's catalog models. Nothing else is looked at: the merge of a valid
     * patch over a valid override is valid.
     */
    public static void validate(JsonNode patch, Set<String> modelIds) {
        if (patch == null || !patch.isObject()) {
            throw bad("The request body must be a JSON object (a JSON merge patch).", null);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            checkName(name, name, FIELDS);
            if (v.isNull()) {
                continue;
            }
            switch (name) {
                case "enabled" -> bool(v, name);
                case "priority" -> integer(v, name, -1_000_000, 1_000_000);
                case "qualityScore" -> unit(v, name);
                case "poolMaxConnections" -> integer(v, name, 1, 100_000);
                case "rateLimitPerMinute" -> integer(v, name, 0, 100_000_000);
                case "timeouts" -> timeouts(v);
                case "models" -> models(v, modelIds);
                default -> throw new IllegalStateException(name);
            }
        }
    }

    private static void timeouts(JsonNode v) {
        object(v, "timeouts");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String param = "timeouts." + e.getKey();
            checkName(e.getKey(), param, TIMEOUT_FIELDS);
            if (!e.getValue().isNull()) {
                longValue(e.getValue(), param, 1, 86_400_000L);
            }
        }
    }

    private static void models(JsonNode v, Set<String> modelIds) {
        object(v, "models");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String model = e.getKey();
            String param = "models." + model;
            if (!modelIds.contains(model)) {
                throw bad("Unknown model '" + LogSafe.echo(model) + "' for this provider (adapter-service's catalog).", param);
            }
            JsonNode m = e.getValue();
            if (m.isNull()) {
                continue;
            }
            object(m, param);
            for (Iterator<Map.Entry<String, JsonNode>> f = m.fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> fe = f.next();
                String fp = param + "." + fe.getKey();
                checkName(fe.getKey(), fp, MODEL_FIELDS);
                JsonNode fv = fe.getValue();
                if (fv.isNull()) {
                    continue;
                }
                switch (fe.getKey()) {
                    case "enabled" -> bool(fv, fp);
                    case "promptPricePer1k", "completionPricePer1k" -> price(fv, fp);
                    case "contextWindow" -> integer(fv, fp, 1, Integer.MAX_VALUE);
                    case "qualityScore" -> unit(fv, fp);
                    default -> throw new IllegalStateException(fe.getKey());
                }
            }
        }
    }

    /** RFC 7396: {@code patch} merged over {@code target}; empty objects left by removals are dropped. */
    public static ObjectNode merge(JsonNode target, JsonNode patch) {
        ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                out.remove(e.getKey());
            } else if (v.isObject()) {
                ObjectNode merged = merge(out.get(e.getKey()), v);
                if (merged.isEmpty()) {
                    out.remove(e.getKey());
                } else {
                    out.set(e.getKey(), merged);
                }
            } else {
                out.set(e.getKey(), normalised(e.getKey(), v));
            }
        }
        return out;
    }

    /** Prices given as strings ("0.0015") are stored as exact decimal numbers. */
    private static JsonNode normalised(String name, JsonNode v) {
        if ((name.equals("promptPricePer1k") || name.equals("completionPricePer1k")) && v.isTextual()) {
            return JsonNodeFactory.instance.numberNode(new BigDecimal(v.asText().trim()));
        }
        return v;
    }

    // ------------------------------------------------------------------ checks

    private static void checkName(String name, String param, Set<String> allowed) {
        if (allowed.contains(name)) {
            return;
        }
        if (SECRET.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
            throw bad("'" + LogSafe.echo(name) + "' cannot be set through the admin API: provider API keys and URLs stay "
                    + "in the environment or secret store (AIGW_PROVIDERS_<ID>_API_KEY, AIGW_PROVIDERS_<ID>_BASE_URL).", param);
        }
        throw bad("Unknown field '" + LogSafe.echo(name) + "'; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed))
                + ".", param);
    }

    private static void object(JsonNode v, String param) {
        if (!v.isObject()) {
            throw bad("'" + param + "' must be an object or null.", param);
        }
    }

    private static void bool(JsonNode v, String param) {
        if (!v.isBoolean()) {
            throw bad("'" + param + "' must be true, false or null.", param);
        }
    }

    private static void integer(JsonNode v, String param, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw bad("'" + param + "' must be an integer between " + min + " and " + max + ", or null.", param);
        }
    }

    private static void longValue(JsonNode v, String param, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw bad("'" + param + "' must be a whole number of milliseconds greater than 0 (at most " + max
                    + "), or null.", param);
        }
    }

    private static void unit(JsonNode v, String param) {
        if (!v.isNumber() || v.decimalValue().compareTo(BigDecimal.ZERO) < 0 || v.decimalValue().compareTo(BigDecimal.ONE) > 0) {
            throw bad("'" + param + "' must be a number between 0 and 1, or null.", param);
        }
    }

    private static void price(JsonNode v, String param) {
        BigDecimal p;
        if (v.isNumber()) {
            p = v.decimalValue();
        } else if (v.isTextual()) {
            try {
                p = new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                throw bad("'" + param + "' must be a decimal number (USD per 1K tokens), or null.", param);
            }
        } else {
            throw bad("'" + param + "' must be a decimal number (USD per 1K tokens), or null.", param);
        }
        if (p.signum() < 0 || p.compareTo(MAX_PRICE) > 0) {
            throw bad("'" + param + "' must be between 0 and " + MAX_PRICE.toPlainString() + " (USD per 1K tokens).", param);
        }
    }

    static ApiException bad(String message, String param) {
        return ApiError.badRequest(message, param).exception();
    }
}
