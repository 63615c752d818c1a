package io.aigateway.usage.providerhealth.service;

/** A record on ai.health.v1 or ai.alerts.v1 that cannot be stored (not JSON, a required field missing, ...). */
public class InvalidRecordException extends RuntimeException {

    public InvalidRecordException(String message) {
        super(message, null, false, false);
    }
}
