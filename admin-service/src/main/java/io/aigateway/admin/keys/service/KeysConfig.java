package io.aigateway.admin.keys.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code aigw.keys.*}: API key handling. */
@ConfigMapping(prefix = "aigw.keys")
public interface KeysConfig {

    /** How long a Redis mirror write may take before it is given up (the create or revoke still succeeds). */
    @WithDefault("500ms")
    Duration redisTimeout();

    /** How often every live key is re-written into Redis (also once at start). */
    @WithDefault("5m")
    String mirrorInterval();

    /** How long the admin API trusts a looked-up admin key before asking PostgreSQL again. */
    @WithDefault("5s")
    Duration authCacheTtl();

    /** How long an unknown key is remembered as unknown by the admin API. */
    @WithDefault("2s")
    Duration authCacheNegativeTtl();

    /** Bound of the admin API's key cache. */
    @WithDefault("1000")
    int authCacheSize();
}
