package io.aigateway.edge.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * OIDC bearer tokens at the edge ({@code aigw.oidc.*}). The issuer, audience and JWKS handling are quarkus-oidc's
 * tenant {@value OidcTokenVerifier#TENANT} ({@code quarkus.oidc.edge.*}, set from {@code AIGW_OIDC_ISSUER} and
 * {@code AIGW_OIDC_AUDIENCE}); this only says how a verified token becomes a {@link Caller}.
 */
@ConfigMapping(prefix = "aigw.oidc")
public interface OidcConfig {

    /** The claim whose value is the caller's user id (quotas, preferences, usage, own keys). */
    @WithDefault("sub")
    String userClaim();

    /** A verification that has not finished after this (issuer hangs while fetching its keys) answers 503. */
    @WithDefault("5s")
    Duration verifyTimeout();
}
