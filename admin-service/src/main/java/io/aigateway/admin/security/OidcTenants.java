package io.aigateway.admin.security;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The OIDC tenant of the admin API, built from {@link AdminOidcConfig}. Quarkus' default tenant is disabled
 * ({@code quarkus.oidc.tenant-enabled=false}): this resolver hands out the {@code aigw} tenant when an issuer is
 * configured, and nothing otherwise (OIDC off, bearer tokens other than API keys are simply not credentials).
 * Quarkus creates the tenant on the first token it sees, so an unreachable issuer never stops the service from
 * starting or from serving API keys; until the issuer answers, a token gets 503 (see {@link OidcFailures}).
 */
@ApplicationScoped
public class OidcTenants implements TenantConfigResolver {

    public static final String TENANT_ID = "aigw";
    private static final Logger LOG = Logger.getLogger(OidcTenants.class);

    private final OidcTenantConfig tenant;

    public OidcTenants(AdminOidcConfig config) {
        String issuer = config.issuer().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (issuer == null) {
            LOG.info("OIDC is off (AIGW_OIDC_ISSUER not set): the admin API takes admin API keys only");
            this.tenant = null;
        } else {
            LOG.infof("OIDC is on: admin tokens from %s with audience %s", issuer, config.audience());
            this.tenant = OidcTenantConfig.authServerUrl(issuer)
                    .tenantId(TENANT_ID)
                    .applicationType(io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType.SERVICE)
                    .token().audience(config.audience()).principalClaim(config.userClaim()).end()
                    .roles().roleClaimPath(config.roleClaimPath()).end()
                    .build();
        }
    }

    public boolean enabled() {
        return tenant != null;
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
        return Uni.createFrom().item(tenant);
    }
}
