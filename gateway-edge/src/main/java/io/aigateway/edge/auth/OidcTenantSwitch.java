package io.aigateway.edge.auth;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Turns the edge's OIDC tenant on exactly when an issuer is configured: {@code quarkus.oidc.edge.tenant-enabled},
 * when not set explicitly, is {@code true} if {@code AIGW_OIDC_ISSUER} is set and not blank, else {@code false}
 * (OIDC off, API keys only). Without this an unset issuer would be a configuration error at start, and
 * configuration expressions cannot say "enabled when that one is not empty".
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
public class OidcTenantSwitch implements ConfigSourceInterceptor {

    static final String ENABLED = "quarkus.oidc." + OidcTokenVerifier.TENANT + ".tenant-enabled";
    static final String ISSUER_ENV = "AIGW_OIDC_ISSUER";
    private static final int SET_EXPLICITLY = 100;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        // quarkus-oidc's own default (true) comes from the defaults source (lowest ordinal): only a value someone set
        // (application.properties, environment, system property: ordinal 100 and up) overrides the switch
        if (!ENABLED.equals(name) || value != null && value.getConfigSourceOrdinal() >= SET_EXPLICITLY) {
            return value;
        }
        ConfigValue issuer = context.proceed(ISSUER_ENV);
        boolean on = issuer != null && issuer.getValue() != null && !issuer.getValue().isBlank();
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(on))
                .withConfigSourceName("aigw-oidc-tenant-switch").build();
    }
}
