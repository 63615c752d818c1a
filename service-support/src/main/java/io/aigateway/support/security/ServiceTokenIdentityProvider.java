package io.aigateway.support.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a presented service token into the identity of the caller it belongs to, or fails (→ 401). */
@ApplicationScoped
public class ServiceTokenIdentityProvider implements IdentityProvider<ServiceTokenRequest> {

    /** Identity attribute naming the calling service. */
    public static final String SERVICE_ATTRIBUTE = "aigw.service";

    private final ServiceCallers callers;

    public ServiceTokenIdentityProvider(ServiceCallers callers) {
        this.callers = callers;
    }

    @Override
    public Class<ServiceTokenRequest> getRequestType() {
        return ServiceTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ServiceTokenRequest request, AuthenticationRequestContext context) {
        ServiceCallers.Caller caller = callers.match(request.token());
        if (caller == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("invalid service token"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(ServiceCallers.ROLE_PREFIX + caller.name()))
                .addRoles(caller.roles())
                .addAttribute(SERVICE_ATTRIBUTE, caller.name())
                .build());
    }
}
