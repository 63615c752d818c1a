package io.aigateway.adapter.provider;

/**
 * Creates adapters of one provider {@link #kind()}. Implementations are CDI beans; the catalog picks
 * the factory whose kind matches {@code aigw.providers.<id>.kind}. New kinds are new factories.
 */
public interface ProviderAdapterFactory {

    /** The {@code kind} string in configuration, e.g. {@code openai}. */
    String kind();

    /** Whether providers of this kind are unusable without an API key (overridable per provider). */
    boolean requiresApiKeyByDefault();

    ProviderAdapter create(ProviderSettings settings);
}
