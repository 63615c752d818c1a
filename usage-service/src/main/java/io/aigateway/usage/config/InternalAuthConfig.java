package io.aigateway.usage.config;

import io.smallrye.config.ConfigMapping;

/** The shared service secret every {@code /internal/**} call carries (env {@code AIGW_INTERNAL_TOKEN}). */
@ConfigMapping(prefix = "aigw.internal")
public interface InternalAuthConfig {

    /** Required in prod; {@code %dev} and {@code %test} have fixed values. */
    String token();
}
