package io.aigateway.routing.cache;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Cache keys: SHA-256 (hex) of a canonical JSON of the request. Canonical = object keys sorted, no
 * insignificant whitespace, numbers normalised ({@code 1}, {@code 1.0}, {@code 1e0} are the same number).
 * Every top-level member of the request is part of the key (model as requested, messages with the
 * system prompt, every generation option and provider extra) except the ones that do not change the
 * answer: {@link #EXCLUDED}. In {@code user} scope the caller's user id is added.
 */
public final class CacheKeys {

    /** Members that never change the answer (docs/internal-contracts.md, "Response cache"). */
    public static final Set<String> EXCLUDED = Set.of("stream", "stream_options", "user", "metadata", "store",
            "request_id");

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private CacheKeys() {
    }

    /** The hex SHA-256 of {@link #canonical} without a route discriminator. */
    public static String hash(ObjectNode request, String userIdOrNull) {
        return hash(request, userIdOrNull, null);
    }

    /**
     * The hex SHA-256 of {@link #canonical}; {@code route} ({@link #route}) says how routing would steer the request,
     * so that answers chosen under one policy or one stored preference are not served to requests steered elsewhere.
     */
    public static String hash(ObjectNode request, String userIdOrNull, String route) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(canonical(request, userIdOrNull, route).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code {"request":<canonical request without excluded members>,"scope":"global"}} or, with a user id,
     * {@code {"request":…,"scope":"user","user":"<id>"}}.
     */
    public static String canonical(ObjectNode request, String userIdOrNull) {
        return canonical(request, userIdOrNull, null);
    }

    /**
     * The route discriminator of a request: the policy, and under {@code user-preference} the caller's effective
     * stored preference ({@code provider/model}; never the user id, so callers with equal preferences share).
     */
    public static String route(String policy, String preferredOrNull) {
        return preferredOrNull == null ? policy : policy + ":" + preferredOrNull;
    }

    /** As {@link #canonical(ObjectNode, String)}, with {@code ,"route":"<route>"} before the scope when given. */
    public static String canonical(ObjectNode request, String userIdOrNull, String route) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"request\":{");
        List<String> names = new ArrayList<>(request.size());
        request.fieldNames().forEachRemaining(names::add);
        Collections.sort(names);
        boolean first = true;
        for (String name : names) {
            if (EXCLUDED.contains(name)) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, name);
            sb.append(':');
            write(sb, request.get(name));
        }
        sb.append('}');
        if (route != null) {
            sb.append(",\"route\":");
            string(sb, route);
        }
        sb.append(",\"scope\":");
        if (userIdOrNull == null) {
            sb.append("\"global\"}");
        } else {
            sb.append("\"user\",\"user\":");
            string(sb, userIdOrNull);
            sb.append('}');
        }
        return sb.toString();
    }

    static void write(StringBuilder sb, JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isObject()) {
            List<String> names = new ArrayList<>(n.size());
            n.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            sb.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(sb, names.get(i));
                sb.append(':');
                write(sb, n.get(names.get(i)));
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            Iterator<JsonNode> it = n.elements();
            boolean first = true;
            while (it.hasNext()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(sb, it.next());
            }
            sb.append(']');
        } else if (n.isNumber()) {
            sb.append(number(n));
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else if (n.isTextual()) {
            string(sb, n.textValue());
        } else {
            // binary/POJO nodes do not come out of a parser; their text form is stable enough
            string(sb, n.asText());
        }
    }

    /** One spelling per number value: {@code 1 == 1.0 == 1e0 → "1"}, {@code 100 → "1E+2"}, {@code 0.50 → "0.5"}. */
    static String number(JsonNode n) {
        BigDecimal d;
        if (n.isBigDecimal() || n.isIntegralNumber()) {
            d = n.decimalValue();
        } else {
            double v = n.doubleValue();
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                return Double.toString(v);
            }
            d = BigDecimal.valueOf(v);
        }
        if (d.signum() == 0) {
            return "0";
        }
        return d.stripTrailingZeros().toString();
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        ENCODER.quoteAsString(s, sb);
        sb.append('"');
    }
}
