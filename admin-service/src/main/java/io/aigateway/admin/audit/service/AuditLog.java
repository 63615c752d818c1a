package io.aigateway.admin.audit.service;

import io.aigateway.admin.audit.repository.AuditRepository;
import io.aigateway.contracts.text.LogSafe;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Records admin changes in {@code admin.audit_log} (and one INFO line on {@code io.aigateway.admin.audit}).
 * Changes to admin-service's own state are recorded in the same transaction as the change
 * ({@code ConfigStore}); relayed changes (quotas, cache, breakers) and key changes after the fact, with the status
 * they got. A failure to write the entry of a change that already happened is logged, never turned into a failed
 * answer (the change stands; the log line is still there).
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger("io.aigateway.admin.audit");

    private final AuditRepository repository;

    public AuditLog(AuditRepository repository) {
        this.repository = repository;
    }

    public Uni<Void> record(AuditEntry entry) {
        log(entry);
        return repository.insert(entry)
                .onFailure().recoverWithItem(t -> {
                    LOG.errorf("Could not write the audit entry of %s %s by %s: %s", entry.action(),
                            LogSafe.escape(String.valueOf(entry.target())), entry.actor().id(), t.getClass().getName());
                    return null;
                });
    }

    public static void log(AuditEntry e) {
        LOG.infof("Admin change by %s (user %s): %s %s -> %d", e.actor().id(), LogSafe.escape(String.valueOf(e.actor().userId())),
                e.action(), LogSafe.escape(String.valueOf(e.target())), e.status());
    }
}
