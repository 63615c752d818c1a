package io.aigateway.edge.preferences;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The public preferences API ({@code aigw.edge.preferences.*}). */
@ConfigMapping(prefix = "aigw.edge.preferences")
public interface PreferencesConfig {

    /** Largest accepted PUT body ({@code {context, provider, model}} is tiny); larger → 413 in the envelope. */
    @WithDefault("16384")
    long maxBodyBytes();

    /** Longest wait for routing-service's answer; then 504. */
    @WithDefault("10s")
    Duration timeout();
}
