package io.aigateway.admin.security;

import io.smallrye.config.ConfigMapping;

/** {@code aigw.internal.*}: the shared service token ({@code AIGW_INTERNAL_TOKEN}); required, no default in prod. */
@ConfigMapping(prefix = "aigw.internal")
public interface InternalConfig {

    String token();
}
