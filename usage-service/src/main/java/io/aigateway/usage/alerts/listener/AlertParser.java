package io.aigateway.usage.alerts.listener;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.health.ProviderAlert;
import io.aigateway.usage.providerhealth.service.InvalidRecordException;
import io.aigateway.usage.providerhealth.service.ProviderHealthIngest;
import io.aigateway.usage.quota.alerts.QuotaAlert;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Reads one {@code ai.alerts.v1} value (a JSON object) into what is stored. The type is the alert's {@code type};
 * an alert without one that names a {@code userId} or {@code keyId} is a quota alert ({@code quota_threshold}, as
 * produced before the field existed). The subject is {@code provider:<id>} for a provider alert, {@code user:<id>} or
 * {@code key:<id>} for a quota alert; for another type the first of {@code provider}, {@code userId}, {@code keyId}. {@code alertId} and
 * {@code occurredAt} are required; anything else is rejected ({@link InvalidRecordException}).
 */
@ApplicationScoped
public class AlertParser {

    static final int MAX_TEXT_LENGTH = 256;

    private final ObjectMapper mapper;

    public AlertParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public StoredAlert parse(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidRecordException("empty record");
        }
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("not a JSON object (" + e.getClass().getSimpleName()
                    + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr()) + ")");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRecordException("not a JSON object");
        }
        UUID alertId;
        try {
            alertId = UUID.fromString(text(node, "alertId"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRecordException("alertId is required (a UUID)");
        }
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(text(node, "occurredAt"));
        } catch (DateTimeParseException | NullPointerException e) {
            throw new InvalidRecordException("occurredAt is required (an ISO-8601 instant)");
        }
        String provider = text(node, "provider");
        String userId = text(node, "userId");
        String keyId = text(node, "keyId");
        String type = text(node, "type");
        if (type == null && (userId != null || keyId != null)) {
            type = QuotaAlert.TYPE;
        }
        if (type == null) {
            throw new InvalidRecordException("type is required");
        }
        String subject;
        if (QuotaAlert.TYPE.equals(type)) {
            subject = userId != null ? "user:" + userId : keyId != null ? "key:" + keyId : null;
        } else if (ProviderAlert.TYPE.equals(type)) {
            subject = provider != null ? "provider:" + provider : null;
        } else {
            subject = provider != null ? "provider:" + provider
                    : userId != null ? "user:" + userId : keyId != null ? "key:" + keyId : null;
        }
        if (subject == null) {
            throw new InvalidRecordException("no subject (provider, userId or keyId) in a " + type + " alert");
        }
        return new StoredAlert(alertId, ProviderHealthIngest.storable(type, MAX_TEXT_LENGTH),
                ProviderHealthIngest.storable(subject, MAX_TEXT_LENGTH), occurredAt, json);
    }

    /** The field's text, null when absent, null, blank or not a string. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
    }
}
