package io.aigateway.admin.quotas.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.text.LogSafe;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What admin-service checks itself before relaying a quota request: usage-service owns the rules on tiers and
 * limits, but an id that cannot be a valid path segment or a body that is not a JSON object is refused here, with
 * {@code param} naming it, without a round trip.
 */
@ApplicationScoped
public class QuotaRequests {

    static final int MAX_ID_LENGTH = 128;

    private final ObjectMapper mapper;

    public QuotaRequests(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A tier name, user id or key id from the path: not blank, at most {@value #MAX_ID_LENGTH} characters, no
     * control character (an id also lands in the audit log line), not a dot segment.
     *
     * @return the id, unchanged
     */
    public String id(String value, String param) {
        if (value == null || value.isBlank()) {
            throw ApiError.badRequest("'" + param + "' must not be blank.", param).exception();
        }
        if (value.codePointCount(0, value.length()) > MAX_ID_LENGTH) {
            throw ApiError.badRequest("'" + param + "' must be at most " + MAX_ID_LENGTH + " characters.", param)
                    .exception();
        }
        int control = LogSafe.indexOfControl(value);
        if (control >= 0) {
            throw ApiError.badRequest("'" + param + "' must not contain control characters (found "
                    + LogSafe.codePoint(value.charAt(control)) + ").", param).exception();
        }
        if (value.equals(".") || value.equals("..")) {
            throw ApiError.badRequest("'" + param + "' must not be '.' or '..'.", param).exception();
        }
        return value;
    }

    /** The body of a PUT: a JSON object is required. */
    public JsonNode requiredObject(String body) {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("A JSON object body is required.", null).exception();
        }
        return object(body);
    }

    /** The body of a reset: none, or a JSON object. @return the parsed object, or null when there is no body */
    public JsonNode optionalObject(String body) {
        return body == null || body.isBlank() ? null : object(body);
    }

    private JsonNode object(String body) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("The request body is not valid JSON.", null, "invalid_json").exception();
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object.", null).exception();
        }
        return node;
    }
}
