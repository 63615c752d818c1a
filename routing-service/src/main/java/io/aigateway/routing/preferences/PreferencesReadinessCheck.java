package io.aigateway.routing.preferences;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * The preference store in the readiness details. Always UP (docs/architecture.md, "Reliability"): without PostgreSQL
 * routing keeps routing, {@code user-preference} from the Redis mirror / local cache, and only the preferences
 * API and the usage-count flush wait for it.
 */
@Readiness
@ApplicationScoped
public class PreferencesReadinessCheck implements AsyncHealthCheck {

    private final PreferenceRepository repository;
    private final PreferenceService service;
    private final PreferencesSchemaMigration schema;

    public PreferencesReadinessCheck(PreferenceRepository repository, PreferenceService service,
                                     PreferencesSchemaMigration schema) {
        this.repository = repository;
        this.service = service;
        this.schema = schema;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return repository.ping()
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .map(v -> "ok")
                .onFailure().recoverWithItem(t -> "unavailable (degraded: preferences API down, routing from the mirror)")
                .map(pg -> {
                    HealthCheckResponseBuilder b = HealthCheckResponse.named("preferences").up()
                            .withData("postgres", pg)
                            .withData("schema", schema.migrated() ? "migrated" : "pending")
                            .withData("usageCountersPending", service.pendingCounters());
                    if (service.lastFlushError() != null) {
                        b.withData("usageFlushError", service.lastFlushError());
                    }
                    return b.build();
                });
    }
}
