package io.aigateway.usage.records.service;

/** A record that can never be stored (bad JSON, missing required fields, values the schema rejects): DLQ. */
public class InvalidUsageEventException extends RuntimeException {

    public InvalidUsageEventException(String message) {
        super(message, null, false, false);
    }
}
