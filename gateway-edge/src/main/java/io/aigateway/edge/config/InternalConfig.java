package io.aigateway.edge.config;

import io.smallrye.config.ConfigMapping;

/** The shared service token sent on every internal hop ({@code aigw.internal.token}, env AIGW_INTERNAL_TOKEN). */
@ConfigMapping(prefix = "aigw.internal")
public interface InternalConfig {

    String token();
}
