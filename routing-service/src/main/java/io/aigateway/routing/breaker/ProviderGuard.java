package io.aigateway.routing.breaker;

import io.smallrye.mutiny.Uni;

import java.util.function.Supplier;

/** Runs one call to a provider through that provider's circuit breaker. */
@FunctionalInterface
public interface ProviderGuard {

    /** Pass-through (tests). */
    ProviderGuard NONE = new ProviderGuard() {
        @Override
        public <T> Uni<T> call(String provider, Supplier<Uni<T>> call) {
            return Uni.createFrom().deferred(call::get);
        }
    };

    /** Fails with {@link CircuitOpenException}, without calling, when the provider's circuit is open. */
    <T> Uni<T> call(String provider, Supplier<Uni<T>> call);
}
