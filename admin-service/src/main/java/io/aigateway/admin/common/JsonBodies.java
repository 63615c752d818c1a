package io.aigateway.admin.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.Json;

/** Request bodies read as JSON trees, decimals exact (prices), with the envelope's {@code invalid_json} on bad JSON. */
public final class JsonBodies {

    private static final ObjectMapper MAPPER = Json.newMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    /** A required JSON object. */
    public static JsonNode object(String body) {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("A JSON object body is required.", null).exception();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("The request body is not valid JSON.", null, "invalid_json").exception();
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object.", null).exception();
        }
        return node;
    }

    /** None (null), or a JSON object. */
    public static JsonNode optionalObject(String body) {
        return body == null || body.isBlank() ? null : object(body);
    }
}
