package io.aigateway.admin.quotas.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigateway.admin.audit.service.Actor;
import io.aigateway.admin.audit.service.AuditEntry;
import io.aigateway.admin.audit.service.AuditLog;
import io.aigateway.admin.quotas.client.UsageAnswer;
import io.aigateway.admin.security.ApiKeyIdentityProvider;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.aigateway.contracts.text.LogSafe;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * One INFO line per quota change an admin asks for (PUT, DELETE, reset), on category
 * {@code io.aigateway.admin.audit.quotas}: which admin key, what was asked (the route, the target and the body,
 * which holds only tiers, limits and windows) and how usage-service answered — also when it refused or could not
 * be reached, since an attempt matters to an audit too. Never the key itself. Each change is also written to
 * {@code admin.audit_log} ({@link AuditLog}: action {@code quota.<tier|user|key>.<put|delete|reset>}, target
 * {@code <kind>:<id>}, the body as {@code after}, the status usage-service answered).
 */
@ApplicationScoped
public class QuotaAudit {

    static final String CATEGORY = "io.aigateway.admin.audit.quotas";
    private static final Logger LOG = Logger.getLogger(CATEGORY);
    private static final int BODY_MAX = 1000;

    private final SecurityIdentity identity;
    private final AuditLog auditLog;

    public QuotaAudit(SecurityIdentity identity, AuditLog auditLog) {
        this.identity = identity;
        this.auditLog = auditLog;
    }

    /**
     * Logs the change once {@code relayed} completes.
     *
     * @param action what was asked, e.g. {@code PUT tier pro} (ids already validated: no control characters)
     * @param body   the request body, or null
     */
    public Uni<UsageAnswer> change(String action, JsonNode body, Uni<UsageAnswer> relayed) {
        ApiKeyRecord key = identity.getAttribute(ApiKeyIdentityProvider.KEY_ATTRIBUTE);
        String keyId = key == null ? "?" : key.keyId();
        String admin = identity.getPrincipal() == null ? "?" : identity.getPrincipal().getName();
        String what = body == null ? "" : " " + body.toString();
        Actor actor = Actor.of(identity);
        // "PUT tier pro" → action quota.tier.put, target tier:pro
        String[] parts = action.split(" ", 3);
        String auditAction = "quota." + parts[1] + "." + parts[0].toLowerCase(java.util.Locale.ROOT);
        String target = parts[1] + ":" + parts[2];
        return relayed.onItemOrFailure().call((answer, failure) -> {
            int status = answer != null ? answer.status()
                    : failure instanceof ApiException api ? api.error().status() : 500;
            LOG.infof("Quota change by admin key %s (user %s): %s%s -> %d",
                    keyId, LogSafe.escape(admin), LogSafe.escape(action), LogSafe.escape(what, BODY_MAX), status);
            return auditLog.record(new AuditEntry(actor, auditAction, target, null, body, status));
        });
    }
}
