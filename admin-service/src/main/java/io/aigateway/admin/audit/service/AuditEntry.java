package io.aigateway.admin.audit.service;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One admin change to record in {@code admin.audit_log}. {@code before}/{@code after} hold configuration only,
 * never a secret (callers build them from views that have none).
 *
 * @param action e.g. {@code provider.patch}, {@code group.delete}, {@code quota.tier.put}, {@code key.create}
 * @param target e.g. {@code provider:fake}, {@code group:chat-default}, {@code tier:pro}, {@code key:key_…}
 * @param status the HTTP status of the change
 */
public record AuditEntry(Actor actor, String action, String target, JsonNode before, JsonNode after, int status) {
}
