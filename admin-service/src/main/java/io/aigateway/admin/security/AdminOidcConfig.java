package io.aigateway.admin.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** {@code aigw.oidc.*}: OIDC access tokens on the admin API, beside admin API keys. */
@ConfigMapping(prefix = "aigw.oidc")
public interface AdminOidcConfig {

    /**
     * The issuer ({@code AIGW_OIDC_ISSUER}, e.g. {@code http://127.0.0.1:8180/realms/aigw}); its discovery document
     * names the JWKS. Unset or empty: OIDC is off and only API keys are accepted.
     */
    Optional<String> issuer();

    /** The audience every token must carry ({@code AIGW_OIDC_AUDIENCE}). */
    @WithDefault("aigw")
    String audience();

    /** The claim holding the user id. */
    @WithDefault("sub")
    String userClaim();

    /** Where the roles are in the access token (Keycloak realm roles). */
    @WithDefault("realm_access/roles")
    String roleClaimPath();
}
