package io.aigateway.contracts.internal;

import java.util.Locale;

/** Header names of the public API and the internal hops (docs/architecture.md, "Public API and errors"). */
public final class AigwHeaders {
    public static final String REQUEST_ID = "X-Request-Id";
    public static final String INTERNAL_TOKEN = "X-Aigw-Internal-Token";

    /** Identity set by the edge after authentication; any client-sent value is stripped. */
    public static final String CALLER_PREFIX = "X-Aigw-Caller-";
    public static final String CALLER_USER = "X-Aigw-Caller-User";
    public static final String CALLER_KEY = "X-Aigw-Caller-Key";
    public static final String CALLER_ROLES = "X-Aigw-Caller-Roles";

    /** Client controls forwarded by the edge. */
    public static final String CONTEXT = "X-Aigw-Context";
    public static final String POLICY = "X-Aigw-Policy";
    public static final String CACHE_TTL = "X-Aigw-Cache-Ttl";
    public static final String CACHE_CONTROL = "Cache-Control";
    /** edge → routing: the quota reservation made for this request (settled with its usage event). */
    public static final String QUOTA_RESERVATION = "X-Aigw-Quota-Reservation";

    /** Response headers relayed to the client. */
    public static final String PROVIDER = "x-aigw-provider";
    public static final String MODEL = "x-aigw-model";
    public static final String POLICY_USED = "x-aigw-policy";
    public static final String ATTEMPTS = "x-aigw-attempts";
    public static final String ROUTE_REASON = "x-aigw-route-reason";
    public static final String OVERHEAD_MS = "x-aigw-overhead-ms";
    public static final String CACHE = "x-aigw-cache";
    public static final String RETRY_AFTER = "retry-after";
    public static final String SHOULD_RETRY = "x-should-retry";

    /** Adapter → routing response headers. */
    public static final String COST_USD = "x-aigw-cost-usd";
    public static final String USAGE_ESTIMATED = "x-aigw-usage-estimated";
    public static final String UPSTREAM_MS = "x-aigw-upstream-ms";
    /** The answer's token counts (whole numbers), so routing need not read a JSON body it only relays. */
    public static final String PROMPT_TOKENS = "x-aigw-prompt-tokens";
    public static final String COMPLETION_TOKENS = "x-aigw-completion-tokens";

    /**
     * Routing → edge only (never relayed to clients): every try of the request as a compact JSON array
     * {@code [{"provider","model","outcome":"success|error","errorClass","latencyMs"}]}. With {@link #COST_USD} on a
     * JSON answer (and as an HTTP trailer at the end of a stream) it feeds the native API's {@code attempts} and
     * {@code costUsd}.
     */
    public static final String ATTEMPT_LOG = "x-aigw-attempt-log";

    /** SSE event names between adapter and routing; never leave routing. */
    public static final String EVENT_USAGE = "aigw-usage";
    public static final String EVENT_ERROR = "aigw-error";

    /** Allowed {@code X-Aigw-Context} values. */
    public static final String CONTEXT_PATTERN = "[a-z0-9_-]{1,32}";
    public static final String DEFAULT_CONTEXT = "default";

    private AigwHeaders() {
    }

    /** Whether a response header from an internal hop is relayed to the client. */
    public static boolean relayedToClient(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("x-request-id") || (n.startsWith("x-aigw-") && !n.equals(COST_USD)
                && !n.equals(USAGE_ESTIMATED) && !n.equals(UPSTREAM_MS) && !n.equals(PROMPT_TOKENS)
                && !n.equals(COMPLETION_TOKENS) && !n.equals(ATTEMPT_LOG))
                || n.equals(RETRY_AFTER) || n.equals(SHOULD_RETRY) || n.equals("age");
    }
}
