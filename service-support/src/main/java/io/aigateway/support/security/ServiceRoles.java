package io.aigateway.support.security;

/**
 * The roles of authenticated services ({@code service:<caller name>}), for {@code @RolesAllowed} and the
 * {@code quarkus.http.auth.policy.*.roles-allowed} of Vert.x routes. {@code ops} is the operator's credential
 * (bootstrap, cache and breaker administration from scripts), never a service's.
 */
public final class ServiceRoles {

    public static final String EDGE = "service:edge";
    public static final String ROUTING = "service:routing";
    public static final String ADMIN = "service:admin";
    public static final String OPS = "service:ops";

    private ServiceRoles() {
    }
}
