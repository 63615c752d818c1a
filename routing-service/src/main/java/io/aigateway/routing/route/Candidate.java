package io.aigateway.routing.route;

/**
 * One (provider, model) the router may try.
 *
 * @param contextWindow the model's context window from the catalog, 0 when the catalog does not list it
 */
public record Candidate(String providerId, String modelId, int contextWindow) {

    @Override
    public String toString() {
        return providerId + "/" + modelId;
    }
}
