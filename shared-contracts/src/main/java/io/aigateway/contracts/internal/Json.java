package io.aigateway.contracts.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON settings the contracts assume (ISO-8601 instants, unknown fields ignored). Quarkus services use
 * their injected ObjectMapper, which Quarkus configures the same way; plain Java code (tests, tools) uses this.
 */
public final class Json {

    private Json() {
    }

    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
