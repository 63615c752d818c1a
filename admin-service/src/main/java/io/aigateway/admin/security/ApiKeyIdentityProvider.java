package io.aigateway.admin.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * An admin's API key → the identity of its user with the key's roles ({@code admin}, {@code user}); the key's
 * record is the identity attribute {@link #KEY_ATTRIBUTE}. Unknown, revoked or expired → 401.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    public static final String KEY_ATTRIBUTE = "aigw.apiKey";
    private static final Logger LOG = Logger.getLogger(ApiKeyIdentityProvider.class);

    private final AdminAuthenticator authenticator;

    public ApiKeyIdentityProvider(AdminAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        return authenticator.authenticate(request.key()).map(found -> {
            if (found.isEmpty()) {
                LOG.info("Rejected an unknown, revoked or expired API key");
                throw new AuthenticationFailedException("unknown, revoked or expired API key");
            }
            var record = found.get();
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(record.userId()))
                    .addRoles(new java.util.HashSet<>(record.roles()))
                    .addAttribute(KEY_ATTRIBUTE, record)
                    .build();
        });
    }
}
