package io.aigateway.edge.keys;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The caller's own API keys, {@code /api/v1/ai/keys} ({@code aigw.edge.keys.*}). */
@ConfigMapping(prefix = "aigw.edge.keys")
public interface KeysConfig {

    /** Largest {@code POST} body; larger → 413 in the envelope. */
    @WithDefault("16384")
    long maxBodyBytes();

    /** Longest key name, in characters. */
    @WithDefault("100")
    int maxNameLength();

    /** How long admin-service may take to answer. */
    @WithDefault("5s")
    Duration timeout();
}
