package io.aigateway.adapter.provider.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.RetryAfter;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.MultiMap;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Maps provider failures into the {@link ErrorClass} taxonomy: the HTTP status first
 * ({@link ErrorClass#fromHttpStatus}), refined by the error body {@code {"error":{message,type,param,code}}}
 * (OpenAI's shape, which Anthropic, Ollama and TGI bodies share closely enough). A wire format whose
 * provider has its own codes extends {@link #refineError} (or {@link #fromHttp}). Messages are scrubbed of the
 * provider key and anything that looks like one.
 */
public class ProviderErrorMapper {

    private static final int MAX_MESSAGE = 400;
    private static final Pattern KEY_LIKE = Pattern.compile("(sk-|aigw_|AIza)[A-Za-z0-9_*\\-]{4,}");

    private final ObjectMapper mapper;

    public ProviderErrorMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A non-2xx answer (or an {@code {"error":…}} stream chunk when {@code status} is 200). */
    public ProviderError fromHttp(String provider, String model, String apiKey, int status, MultiMap headers,
                                  Buffer body) {
        JsonNode error = null;
        if (body != null && body.length() > 0) {
            try {
                JsonNode tree = mapper.readTree(body.getBytes());
                error = tree == null ? null : tree.get("error");
            } catch (IOException | RuntimeException notJson) {
                error = null;
            }
        }
        ErrorClass cls = classifyError(status, error);
        Long retryAfter = headers == null ? null
                : RetryAfter.parse(headers.get("retry-after-ms"), headers.get("retry-after"), Instant.now());
        String upstreamMessage = error == null ? null : text(error.get("message"));
        if (upstreamMessage == null && error != null && error.isTextual()) {
            upstreamMessage = error.asText();
        }
        String message = provider + " answered " + (status > 0 ? "HTTP " + status : "an error")
                + (upstreamMessage == null ? "" : ": " + scrub(upstreamMessage, apiKey));
        return new ProviderError(cls, status > 0 ? status : null, retryAfter, message, provider, model);
    }

    /** The error object of an {@code {"error":…}} chunk inside a 200 stream. */
    public ProviderError fromStreamErrorChunk(String provider, String model, String apiKey, JsonNode error) {
        int status = 0;
        JsonNode code = error.get("code");
        if (code != null && code.isInt()) {
            status = code.asInt();
        }
        ErrorClass cls = status > 0 ? classifyError(status, error) : refineError(ErrorClass.UPSTREAM_5XX, 0, error);
        String upstreamMessage = text(error.get("message"));
        String message = provider + " failed mid-stream" + (upstreamMessage == null ? "" : ": " + scrub(upstreamMessage, apiKey));
        return new ProviderError(cls, 200, null, message, provider, model);
    }

    /** A transport failure: connection refused/reset → CONNECTION, any timeout → TIMEOUT, else CONNECTION. */
    public ProviderError fromFailure(String provider, String model, String apiKey, Throwable failure) {
        ErrorClass cls = classifyFailure(failure);
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return new ProviderError(cls, null, null, provider + ": " + scrub(detail, apiKey), provider, model);
    }

    public static ErrorClass classifyFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof ConnectTimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return ErrorClass.TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof HttpClosedException
                    || t instanceof ClosedChannelException) {
                return ErrorClass.CONNECTION;
            }
            if (t instanceof VertxException && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("timeout")) {
                return ErrorClass.TIMEOUT;
            }
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return ErrorClass.MALFORMED_RESPONSE;
            }
        }
        return ErrorClass.CONNECTION;
    }

    /** The class of an error answer: the status, refined by the error object; kinds override to add their codes. */
    protected ErrorClass classifyError(int status, JsonNode error) {
        return refineError(ErrorClass.fromHttpStatus(status), status, error);
    }

    protected ErrorClass refineError(ErrorClass base, int status, JsonNode error) {
        return refine(base, status, error);
    }

    static ErrorClass classify(int status, JsonNode error) {
        return refine(ErrorClass.fromHttpStatus(status), status, error);
    }

    static ErrorClass refine(ErrorClass base, int status, JsonNode error) {
        if (error == null || !error.isObject()) {
            return base;
        }
        String code = lower(text(error.get("code")));
        String type = lower(text(error.get("type")));
        String message = lower(text(error.get("message")));
        if ("context_length_exceeded".equals(code) || "string_above_max_length".equals(code)
                || (message != null && (message.contains("maximum context length") || message.contains("context length exceeded")
                || message.contains("context_length_exceeded")))) {
            return ErrorClass.CONTEXT_TOO_LONG;
        }
        if ("content_filter".equals(code) || "content_policy_violation".equals(code) || "content_filter".equals(type)) {
            return ErrorClass.CONTENT_FILTERED;
        }
        if ("insufficient_quota".equals(code) || "insufficient_quota".equals(type)) {
            return ErrorClass.INSUFFICIENT_CREDIT;
        }
        if ("model_not_found".equals(code) && (status == 404 || status == 400 || status == 0)) {
            return ErrorClass.MODEL_NOT_FOUND;
        }
        if ("invalid_api_key".equals(code) || "authentication_error".equals(type)) {
            return ErrorClass.AUTH;
        }
        if (status == 0 && ("rate_limit_exceeded".equals(code) || "rate_limit_error".equals(type))) {
            return ErrorClass.RATE_LIMITED;
        }
        if (status == 0 && ("overloaded_error".equals(type) || "server_overloaded".equals(code))) {
            return ErrorClass.OVERLOADED;
        }
        return base;
    }

    /** Removes our key (and anything key-shaped) from a message and bounds its length. */
    public static String scrub(String message, String apiKey) {
        if (message == null) {
            return null;
        }
        String m = message;
        if (apiKey != null && !apiKey.isEmpty()) {
            m = m.replace(apiKey, "[redacted]");
        }
        m = KEY_LIKE.matcher(m).replaceAll("[redacted]");
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m;
    }

    protected static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.isValueNode() ? n.asText() : null;
    }

    protected static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
