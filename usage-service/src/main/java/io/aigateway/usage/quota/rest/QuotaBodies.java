package io.aigateway.usage.quota.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.quota.QuotaKeys.Window;
import io.aigateway.contracts.quota.QuotaLimits;
import io.aigateway.contracts.text.LogSafe;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the quota API's request bodies strictly, so a typo never silently becomes "unlimited": unknown fields,
 * negative or fractional counts, non-numeric money and bad window names are 400s in the envelope with the
 * offending field as {@code param} (e.g. {@code limits.spendUsdPerDay}). Money is read exactly (decimal strings or
 * JSON numbers, never through double) and must fit PostgreSQL's numeric(20,10).
 */
final class QuotaBodies {

    record UserBody(String tier, QuotaLimits limits) {
    }

    private static final Set<String> LIMIT_FIELDS = Set.of("requestsPerMinute", "tokensPerMinute", "requestsPerDay",
            "tokensPerDay", "tokensPerMonth", "spendUsdPerDay", "spendUsdPerMonth");
    /** numeric(20,10): at most 10 digits before the point. */
    private static final BigDecimal MAX_USD = new BigDecimal("1e10");
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private final ObjectReader reader;

    QuotaBodies(ObjectMapper mapper) {
        this.reader = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    }

    /** {@code {"limits":{..}}} (tier or key). */
    QuotaLimits limitsBody(String body) {
        JsonNode root = object(body, true);
        allowOnly(root, Set.of("limits"), "");
        return limits(root.get("limits"));
    }

    /** {@code {"tier":"pro","limits":{..}}}; no tier = the default tier. */
    UserBody userBody(String body) {
        JsonNode root = object(body, true);
        allowOnly(root, Set.of("tier", "limits"), "");
        JsonNode tier = root.get("tier");
        String name = null;
        if (tier != null && !tier.isNull()) {
            if (!tier.isTextual()) {
                throw bad("'tier' must be a tier name (a string).", "tier");
            }
            name = tier.asText();
        }
        return new UserBody(name, limits(root.get("limits")));
    }

    /** {@code {"windows":["minute","day","month"]}}; an empty body = every window. */
    List<Window> windowsBody(String body) {
        JsonNode root = object(body, false);
        if (root == null) {
            return List.of(Window.values());
        }
        allowOnly(root, Set.of("windows"), "");
        JsonNode windows = root.get("windows");
        if (windows == null || windows.isNull()) {
            return List.of(Window.values());
        }
        if (!windows.isArray() || windows.isEmpty()) {
            throw bad("'windows' must be a non-empty array of \"minute\", \"day\", \"month\".", "windows");
        }
        Set<Window> out = new LinkedHashSet<>();
        for (int i = 0; i < windows.size(); i++) {
            JsonNode w = windows.get(i);
            Window window = w.isTextual() ? Window.fromWire(w.asText()) : null;
            if (window == null) {
                throw bad("'windows[" + i + "]' must be one of \"minute\", \"day\", \"month\".", "windows[" + i + "]");
            }
            out.add(window);
        }
        return new ArrayList<>(out);
    }

    private JsonNode object(String body, boolean required) {
        if (body == null || body.isBlank()) {
            if (required) {
                throw ApiError.badRequest("A JSON object body is required.", null, "invalid_json").exception();
            }
            return null;
        }
        JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("The request body is not valid JSON.", null, "invalid_json").exception();
        }
        if (root == null || !root.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object.", null, "invalid_json").exception();
        }
        return root;
    }

    private static QuotaLimits limits(JsonNode node) {
        if (node == null || node.isNull()) {
            return QuotaLimits.NONE;
        }
        if (!node.isObject()) {
            throw bad("'limits' must be an object.", "limits");
        }
        allowOnly(node, LIMIT_FIELDS, "limits.");
        return new QuotaLimits(count(node, "requestsPerMinute"), count(node, "tokensPerMinute"),
                count(node, "requestsPerDay"), count(node, "tokensPerDay"), count(node, "tokensPerMonth"),
                usd(node, "spendUsdPerDay"), usd(node, "spendUsdPerMonth"));
    }

    private static Long count(JsonNode limits, String field) {
        JsonNode v = limits.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String param = "limits." + field;
        BigInteger n;
        if (v.isIntegralNumber()) {
            n = v.bigIntegerValue();
        } else if (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0) {
            n = v.decimalValue().toBigIntegerExact();
        } else {
            throw bad("'" + param + "' must be a whole number of at least 0, or null for unlimited.", param);
        }
        if (n.signum() < 0 || n.compareTo(MAX_LONG) > 0) {
            throw bad("'" + param + "' must be a whole number of at least 0, or null for unlimited.", param);
        }
        return n.longValueExact();
    }

    private static BigDecimal usd(JsonNode limits, String field) {
        JsonNode v = limits.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String param = "limits." + field;
        BigDecimal d;
        if (v.isNumber()) {
            d = v.decimalValue();
        } else if (v.isTextual()) {
            try {
                d = new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                throw bad("'" + param + "' must be an amount in USD (a decimal string such as \"5.00\").", param);
            }
        } else {
            throw bad("'" + param + "' must be an amount in USD (a decimal string such as \"5.00\").", param);
        }
        d = d.stripTrailingZeros();
        if (d.signum() < 0 || d.compareTo(MAX_USD) >= 0 || d.scale() > 10) {
            throw bad("'" + param + "' must be at least 0, below 10000000000, with at most 10 decimals.", param);
        }
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    private static void allowOnly(JsonNode node, Set<String> allowed, String path) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!allowed.contains(name)) {
                String param = LogSafe.escape(path + name, 128);
                throw bad("Unknown field '" + param + "'.", param);
            }
        }
    }

    private static RuntimeException bad(String message, String param) {
        return ApiError.badRequest(message, param).exception();
    }
}
