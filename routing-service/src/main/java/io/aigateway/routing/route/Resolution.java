package io.aigateway.routing.route;

import java.util.List;

/**
 * The ordered candidates for a requested model and why they were chosen.
 *
 * @param reason {@code group:<name>}, {@code pinned} or {@code model-match}
 */
public record Resolution(String requestedModel, List<Candidate> candidates, String reason) {

    public Resolution {
        candidates = List.copyOf(candidates);
    }
}
