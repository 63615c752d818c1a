package io.aigateway.admin.keys.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Repairs the Redis mirror from PostgreSQL at start and then every {@code aigw.keys.mirror-interval} (30 s):
 * removes the entries of keys that are no longer live (a revocation whose Redis delete failed, a Redis that was
 * restored from an old snapshot, rows deleted in PostgreSQL) and re-writes every live key with a fresh TTL
 * (Redis may have been flushed or restarted). Non-blocking: runs on a Vert.x context. Every admin-service
 * instance runs it; the work is idempotent.
 */
@ApplicationScoped
public class KeyMirrorJob {

    private static final Logger LOG = Logger.getLogger(KeyMirrorJob.class);

    private final ApiKeyService keys;

    public KeyMirrorJob(ApiKeyService keys) {
        this.keys = keys;
    }

    @Scheduled(identity = "key-mirror", every = "${aigw.keys.mirror-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().replaceWithVoid();
    }

    /** One repair run; never fails (a failed run is logged and retried at the next one). */
    public Uni<ApiKeyService.MirrorRepair> run() {
        return keys.repairMirror()
                .invoke(r -> LOG.debugf("Key mirror repaired: %d stale entries removed, %d live keys written",
                        r.removed(), r.written()))
                .onFailure().recoverWithItem(t -> {
                    LOG.warnf("Key mirror repair failed (retried at the next run): %s", t.getClass().getSimpleName());
                    return new ApiKeyService.MirrorRepair(0, 0);
                });
    }
}
