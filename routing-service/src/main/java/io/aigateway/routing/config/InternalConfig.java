package io.aigateway.routing.config;

import io.smallrye.config.ConfigMapping;

/** Service-to-service authentication ({@code X-Aigw-Internal-Token}). */
@ConfigMapping(prefix = "aigw.internal")
public interface InternalConfig {

    /** The shared secret every {@code /internal/**} caller must present (env {@code AIGW_INTERNAL_TOKEN}). */
    String token();
}
